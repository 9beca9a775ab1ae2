import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  invitationPreviewSchema,
  joinRequestSchema,
  joinTokenSchema,
  participantSessionSchema,
  type ParticipantSession,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { NO_BODY, participant, publicRoute } from '../../platform/http/index.js';
import {
  checkIdentity,
  invitationById,
  previewInvitation,
  type InvitationDetails,
} from '../invitations.js';
import { participantCookie, requireParticipant } from '../participant-auth.js';
import { endParticipantSession, startParticipantSession } from '../participant-sessions.js';

/** Each address may try links and answers only so often; the link itself also counts wrong answers. */
const JOIN_BUDGET = { max: 10, timeWindow: 60_000 };

function describe(
  details: InvitationDetails,
  session: { csrfToken: string; expiresAt: Date },
): ParticipantSession {
  return {
    appointmentId: details.appointmentId,
    participant: details.participant,
    companionName: details.companionName,
    clinicName: details.clinicName,
    clinicianName: details.clinicianName,
    startsAt: details.startsAt,
    durationMinutes: details.durationMinutes,
    expiresAt: session.expiresAt.toISOString(),
    csrfToken: session.csrfToken,
  };
}

export const joinRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const cookie = participantCookie(ctx.config);

  app.post(
    '/api/join/inspect',
    {
      config: {
        access: publicRoute('the invitation token is the credential'),
        rateLimit: JOIN_BUDGET,
      },
      schema: {
        tags: ['join'],
        summary: 'What an invitation link is for: clinician, time, and the check before joining',
        body: joinTokenSchema,
        response: { 200: invitationPreviewSchema },
      },
    },
    async (request) => {
      const details = await previewInvitation(ctx, request.body.token);
      return invitationPreviewSchema.parse(details);
    },
  );

  app.post(
    '/api/join',
    {
      config: {
        access: publicRoute('the invitation token is the credential'),
        rateLimit: JOIN_BUDGET,
      },
      schema: {
        tags: ['join'],
        summary: 'Exchange the invitation for a session, after the identity check; sets its cookie',
        body: joinRequestSchema,
        response: { 200: participantSessionSchema },
      },
    },
    async (request, reply) => {
      const details = await previewInvitation(ctx, request.body.token);
      const verifiedBy = await checkIdentity(ctx, details, request.body.birthDate, request.ip);
      const session = await startParticipantSession(ctx, details, verifiedBy, {
        address: request.ip,
        requestId: request.id,
      });
      reply.setCookie(cookie.name, session.token, {
        ...cookie.options,
        expires: session.expiresAt,
      });
      return describe(details, session);
    },
  );

  app.get(
    '/api/join/session',
    {
      config: {
        access: publicRoute("answers only about the caller's own participant session, or none"),
      },
      schema: {
        tags: ['join'],
        summary: "The participant's own session (which consult, with whom, until when), or null",
        response: { 200: z.object({ session: participantSessionSchema.nullable() }) },
      },
    },
    async (request, reply) => {
      const session = await app.loadParticipant(request, reply);
      if (!session) return { session: null };
      return { session: describe(await invitationById(ctx, session.invitationId), session) };
    },
  );

  app.post(
    '/api/join/leave',
    {
      config: { access: participant('joinConsult', 'own-consult') },
      schema: {
        tags: ['join'],
        summary: 'Leave: the session ends on this device',
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await endParticipantSession(ctx.store.db, requireParticipant(request).id, ctx.now());
      reply.clearCookie(cookie.name, { path: '/' });
      return reply.code(204).send(null);
    },
  );
};
