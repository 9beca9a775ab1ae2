import type { FastifyInstance, FastifyRequest } from 'fastify';
// The route options and handler types of WebSocket routes.
import type {} from '@fastify/websocket';
import { z } from 'zod';
import { SIGNAL_CLOSE, SIGNAL_MESSAGE_ACTIONS, type ParticipantState } from '@safeconsult/protocol';
import type { Principal } from '../../access/index.js';
import { getClinicInfo } from '../../clinic/index.js';
import type { AppContext } from '../../context.js';
import { liveStaffSessionIds } from '../../identity/index.js';
import { AppError, realtime } from '../../platform/http/index.js';
import { findAppointment } from '../appointment-lookup.js';
import { standingParticipantSessionIds } from '../participant-sessions.js';
import { RoomConnection, type RoomAccess } from '../room/connection.js';
import { RoomHub } from '../room/room-hub.js';
import { entrantOf } from './entrant.js';

const params = z.strictObject({ appointmentId: z.uuid() });

export interface SignalRouteOptions {
  ctx: AppContext;
  access: RoomAccess;
}

/**
 * The consult room's WebSocket. Before the upgrade: the Origin must be ours (browsers always send
 * it on a WebSocket, and cookies go with cross-site WebSocket requests), a staff session past its
 * second factor or a participant session must come with it, and the access policy must let the
 * caller join this consult. A refusal is an HTTP answer, so no socket opens.
 */
export async function signalRoutes(app: FastifyInstance, { ctx, access }: SignalRouteOptions) {
  const hub = new RoomHub(ctx, (kind, ids) =>
    kind === 'staff'
      ? liveStaffSessionIds(ctx, ids)
      : standingParticipantSessionIds(ctx.store.db, ids, ctx.now()),
  );
  const ownOrigin = new URL(ctx.config.publicUrl).origin;
  app.addHook('preClose', async () => {
    await hub.close();
  });

  app.get(
    '/api/consults/:appointmentId/signal',
    {
      websocket: true,
      config: {
        access: realtime(
          'joinConsult',
          (request: FastifyRequest) => ({
            type: 'Appointment',
            id: (request.params as z.infer<typeof params>).appointmentId,
          }),
          SIGNAL_MESSAGE_ACTIONS,
        ),
      },
      schema: { params },
      onRequest: async (request, reply) => {
        if (request.headers.origin !== ownOrigin) {
          throw new AppError('origin_refused', 'Connect from the SafeConsult web app.');
        }
        const staff = await app.loadStaffSession(request, reply);
        if (staff?.stage === 'full') {
          request.staffSession = staff;
          return;
        }
        const participant = await app.loadParticipant(request, reply);
        if (!participant) {
          throw new AppError('unauthenticated', 'Sign in, or open your consult link again.');
        }
        request.participantSession = participant;
      },
    },
    async (socket, request) => {
      const { appointmentId } = request.params as z.infer<typeof params>;
      await access.recordRequestDecisions(request, ctx.store.db);
      const found = await findAppointment(ctx.store.db, appointmentId);
      if (!found) {
        socket.close(SIGNAL_CLOSE.notFound);
        return;
      }
      const staff = request.staffSession;
      const participant = request.participantSession;
      const entrant = entrantOf(request);
      const clinic = await getClinicInfo(ctx.store.db);
      const principal = (roomState: ParticipantState): Principal =>
        staff
          ? { kind: 'staff', userId: staff.userId, role: staff.role }
          : {
              kind: 'participant',
              sessionId: participant!.id,
              participantKind: participant!.kind,
              appointmentId: participant!.appointmentId,
              patientId: participant!.patientId,
              roomState,
            };
      new RoomConnection({
        ctx,
        hub,
        access,
        socket,
        appointmentId,
        patientId: found.patientId,
        entrant,
        principal,
        request: { id: String(request.id), ip: request.ip },
        // The session loaded before the upgrade; the hub's watch checks it stays.
        session: staff
          ? { kind: 'staff', id: staff.id }
          : { kind: 'participant', id: participant!.id },
        storage: {
          keptBy: clinic?.name ?? ctx.config.clinicDefaults.name,
          retentionYears: ctx.config.recordRetentionYears,
        },
      });
    },
  );
}
