import { randomBytes } from 'node:crypto';
import { and, eq, gt, inArray, isNull } from 'drizzle-orm';
import { appendAuditEntries } from '../audit/index.js';
import type { AppContext } from '../context.js';
import { recordSecurityEvent } from '../identity/index.js';
import { hashOpaqueToken, newOpaqueToken } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import {
  OVERRUN_MS,
  useInvitation,
  type InvitationDetails,
  type ParticipantVerification,
} from './invitations.js';
import { appointment, consultInvitation, participantSession } from './schema.js';

export interface ActiveParticipant {
  id: string;
  invitationId: string;
  appointmentId: string;
  patientId: string;
  kind: 'patient' | 'companion';
  verifiedBy: ParticipantVerification;
  csrfToken: string;
  expiresAt: Date;
}

/**
 * Exchanges a checked invitation for a session, in one transaction: the link is used up exactly
 * when a session exists for it. The session ends when the appointment's time (with its overrun)
 * does, or earlier when the consult is cancelled or ended.
 */
export async function startParticipantSession(
  ctx: AppContext,
  invitation: InvitationDetails,
  verifiedBy: ParticipantVerification,
  request: { address: string; requestId: string },
): Promise<{ token: string; csrfToken: string; expiresAt: Date }> {
  const now = ctx.now();
  const token = newOpaqueToken();
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAt = new Date(invitation.endsAt.getTime() + OVERRUN_MS);
  const sessionId = hashOpaqueToken(token);
  const { address } = request;
  await ctx.store.db.transaction(async (tx) => {
    await useInvitation(tx, invitation.invitationId, now);
    await tx.insert(participantSession).values({
      id: sessionId,
      invitationId: invitation.invitationId,
      appointmentId: invitation.appointmentId,
      csrfToken,
      verifiedBy,
      createdAt: now,
      expiresAt,
    });
    await recordSecurityEvent(
      tx,
      {
        type: 'participant_joined',
        address,
        detail: { appointmentId: invitation.appointmentId, participant: invitation.participant },
      },
      now,
    );
    // The consult's own account of it, filed under the patient and the appointment, so a review of
    // a patient's activity finds who came to which consult; the security event above is the sign-in.
    await appendAuditEntries(tx, [
      {
        at: now,
        category: 'consult',
        action: 'participant_joined',
        outcome: 'succeeded',
        actor: { type: 'participant', id: sessionId, role: invitation.participant },
        patientId: invitation.patientId,
        resource: { type: 'Appointment', id: invitation.appointmentId },
        requestId: request.requestId,
        address,
        detail: { appointmentId: invitation.appointmentId },
      },
    ]);
  });
  return { token, csrfToken, expiresAt };
}

/** The live participant session behind a cookie token, while its appointment is still on. */
export async function loadParticipantSession(
  db: Queryable,
  token: string,
  now: Date,
): Promise<ActiveParticipant | undefined> {
  const [row] = await db
    .select({
      session: participantSession,
      patientId: appointment.patientId,
      kind: consultInvitation.kind,
    })
    .from(participantSession)
    .innerJoin(appointment, eq(appointment.id, participantSession.appointmentId))
    .innerJoin(consultInvitation, eq(consultInvitation.id, participantSession.invitationId))
    .where(and(eq(participantSession.id, hashOpaqueToken(token)), standing(now)));
  if (!row) return undefined;
  const { session } = row;
  return {
    id: session.id,
    invitationId: session.invitationId,
    appointmentId: session.appointmentId,
    patientId: row.patientId,
    kind: row.kind === 'companion' ? 'companion' : 'patient',
    verifiedBy: session.verifiedBy as ParticipantVerification,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
  };
}

/** Which of these participant sessions (by id) still stand, in one query. */
export async function standingParticipantSessionIds(
  db: Queryable,
  ids: readonly string[],
  now: Date,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .select({ id: participantSession.id })
    .from(participantSession)
    .innerJoin(appointment, eq(appointment.id, participantSession.appointmentId))
    .where(and(inArray(participantSession.id, [...ids]), standing(now)));
  return new Set(rows.map((row) => row.id));
}

/** Not revoked, not expired, and its appointment still on. */
const standing = (now: Date) =>
  and(
    isNull(participantSession.revokedAt),
    gt(participantSession.expiresAt, now),
    eq(appointment.status, 'scheduled'),
  );

export async function endParticipantSession(db: Queryable, id: string, now: Date): Promise<void> {
  await db.update(participantSession).set({ revokedAt: now }).where(eq(participantSession.id, id));
}
