import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  appointmentSchema,
  newAppointmentSchema,
  newCompanionSchema,
  rescheduleSchema,
  type ResourceRef,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { changeWithAudit } from '../../access/index.js';
import { requireSession } from '../../identity/index.js';
import { AppError, NO_BODY, signedIn } from '../../platform/http/index.js';
import { findAppointment } from '../appointment-lookup.js';
import {
  bookAppointment,
  cancelAppointment,
  rescheduleAppointment,
  type ConsultChange,
} from '../appointments.js';
import { inviteCompanion } from '../invitations.js';
import { consultDayRoutes } from './day-route.js';

const appointmentParams = z.strictObject({ appointmentId: z.uuid() });
const appointmentOf = (request: FastifyRequest): ResourceRef => ({
  type: 'Appointment',
  id: (request.params as z.infer<typeof appointmentParams>).appointmentId,
});

/** Who changes the consult, for its ledger entry. */
function changeBy(request: FastifyRequest): ConsultChange {
  const session = requireSession(request);
  return {
    by: { userId: session.userId, role: session.role },
    requestId: request.id,
    address: request.ip,
  };
}

export const appointmentRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  // The day's list belongs with the scheduling it shows.
  await app.register(consultDayRoutes, { ctx });

  app.post(
    '/api/appointments',
    {
      config: {
        access: signedIn('bookAppointment', (request) => ({
          type: 'Patient',
          id: (request.body as { patientId: string }).patientId,
        })),
      },
      schema: {
        tags: ['consults'],
        summary: "Book a consult; the patient's join link goes out through the outbox",
        body: newAppointmentSchema,
        response: { 201: appointmentSchema },
      },
    },
    async (request, reply) => {
      const booked = await bookAppointment(
        ctx,
        { ...request.body, startsAt: new Date(request.body.startsAt) },
        requireSession(request).userId,
      );
      return reply.code(201).send(booked);
    },
  );

  app.get(
    '/api/appointments/:appointmentId',
    {
      config: { access: signedIn('manageAppointment', appointmentOf, { hideRefusal: true }) },
      schema: {
        tags: ['consults'],
        summary: 'One consult, with its patient, for staff who hold or manage it',
        params: appointmentParams,
        response: { 200: appointmentSchema },
      },
    },
    async (request) => {
      const found = await findAppointment(ctx.store.db, request.params.appointmentId);
      if (!found) throw new AppError('not_found');
      return found;
    },
  );

  app.post(
    '/api/appointments/:appointmentId/companions',
    {
      config: { access: signedIn('manageAppointment', appointmentOf) },
      schema: {
        tags: ['consults'],
        summary: 'Invite a companion (family, carer, interpreter) with a link of their own',
        params: appointmentParams,
        body: newCompanionSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await inviteCompanion(ctx, request.params.appointmentId, request.body);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/appointments/:appointmentId/cancel',
    {
      config: { access: signedIn('manageAppointment', appointmentOf) },
      schema: {
        tags: ['consults'],
        summary: 'Cancel a consult: its links stop working and joined participants leave',
        params: appointmentParams,
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await changeWithAudit(request, ctx.store.db, (tx) =>
        cancelAppointment(ctx, tx, request.params.appointmentId, changeBy(request)),
      );
      ctx.outboxSignal.notify();
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/appointments/:appointmentId/reschedule',
    {
      config: { access: signedIn('manageAppointment', appointmentOf) },
      schema: {
        tags: ['consults'],
        summary:
          'Move a consult: earlier links and sessions stop working; the patient and companions get new links',
        params: appointmentParams,
        body: rescheduleSchema,
        response: { 200: appointmentSchema },
      },
    },
    async (request) => {
      const { appointmentId } = request.params;
      const { startsAt, durationMinutes } = request.body;
      await changeWithAudit(request, ctx.store.db, (tx) =>
        rescheduleAppointment(
          ctx,
          tx,
          appointmentId,
          { startsAt: new Date(startsAt), durationMinutes },
          changeBy(request),
        ),
      );
      ctx.outboxSignal.notify();
      const moved = await findAppointment(ctx.store.db, appointmentId);
      if (!moved) throw new Error('a rescheduled appointment did not load');
      return moved;
    },
  );
};
