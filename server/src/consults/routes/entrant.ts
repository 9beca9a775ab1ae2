import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/http/index.js';
import type { Entrant } from '../room/room-store.js';

/** The caller of a consult route in the room's terms: the staff session, else the participant's. */
export function entrantOf(request: FastifyRequest): Entrant {
  const staff = request.staffSession;
  if (staff) {
    return { kind: 'staff', userId: staff.userId, role: staff.role, verifiedBy: staff.verifiedBy };
  }
  const participant = request.participantSession;
  if (!participant) throw new AppError('unauthenticated');
  return {
    kind: 'participant',
    sessionId: participant.id,
    participantKind: participant.kind,
    verifiedBy: participant.verifiedBy,
  };
}
