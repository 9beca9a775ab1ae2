import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import {
  ehrConnectionInputSchema,
  ehrConnectionSchema,
  ehrImportResultSchema,
  ehrWritebackSchema,
  publicJwksSchema,
  type ResourceRef,
} from '@safeconsult/protocol';
import { changeWithAudit } from '../access/index.js';
import { appointmentTable } from '../consults/index.js';
import type { AppContext } from '../context.js';
import { recordSecurityEvent, requireSession } from '../identity/index.js';
import { AppError, NO_BODY, sensitive, signedIn } from '../platform/http/index.js';
import { connectionView, newKeyPair, requireEhrSettings, saveConnection } from './connection.js';
import { EhrFhirClient } from './ehr-client.js';
import { importRecord } from './import.js';
import { queueWriteback, writebackOf } from './writeback.js';

const settings = { type: 'Settings', id: 'ehr-connection' } as const;
const consultParams = z.strictObject({ appointmentId: z.uuid() });
const consult = (request: FastifyRequest): ResourceRef => ({
  type: 'Appointment',
  id: (request.params as z.infer<typeof consultParams>).appointmentId,
});
/** The consult's clinician (or the patient's care team) works with the EHR for it. */
const consultAccess = signedIn('manageAppointment', consult, { hideRefusal: true });

async function patientOfConsult(ctx: AppContext, appointmentId: string): Promise<string> {
  const [row] = await ctx.store.db
    .select({ patientId: appointmentTable.patientId })
    .from(appointmentTable)
    .where(eq(appointmentTable.id, appointmentId));
  if (!row) throw new AppError('not_found');
  return row.patientId;
}

/** The administrator's EHR connection, and the consult's import from and write-back to the EHR. */
export const ehrRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/admin/ehr-connection',
    {
      config: { access: signedIn('viewSettings', settings) },
      schema: {
        tags: ['admin'],
        summary: 'The external EHR connection (never its private key or bearer token)',
        response: { 200: ehrConnectionSchema },
      },
    },
    async () => connectionView(ctx.store.db),
  );

  app.post(
    '/api/admin/ehr-connection/key-pair',
    {
      config: { access: sensitive('changeSettings', settings) },
      schema: {
        tags: ['admin'],
        summary:
          'Make a new key pair for SMART Backend Services; its public key set is to be registered with the EHR',
        body: NO_BODY,
        response: { 201: z.object({ publicJwks: publicJwksSchema }) },
      },
    },
    async (request, reply) => {
      const { userId } = requireSession(request);
      const now = ctx.now();
      const publicJwks = await ctx.store.db.transaction(async (tx) => {
        const jwks = await newKeyPair(tx, ctx.fields, userId, now);
        await recordSecurityEvent(
          tx,
          {
            type: 'ehr_connection_changed',
            userId,
            address: request.ip,
            detail: { change: 'key-pair' },
          },
          now,
        );
        return jwks;
      });
      return reply.code(201).send({ publicJwks });
    },
  );

  app.put(
    '/api/admin/ehr-connection',
    {
      config: { access: sensitive('changeSettings', settings) },
      schema: {
        tags: ['admin'],
        summary:
          'Set the EHR: its FHIR base URL, how patients are matched, and how to authenticate',
        body: ehrConnectionInputSchema,
        response: { 200: ehrConnectionSchema },
      },
    },
    async (request) => {
      const { userId } = requireSession(request);
      const now = ctx.now();
      await ctx.store.db.transaction(async (tx) => {
        await saveConnection(tx, ctx.fields, request.body, userId, now);
        await recordSecurityEvent(
          tx,
          {
            type: 'ehr_connection_changed',
            userId,
            address: request.ip,
            detail: { change: 'settings', auth: request.body.auth.kind },
          },
          now,
        );
      });
      return connectionView(ctx.store.db);
    },
  );

  app.post(
    '/api/consults/:appointmentId/ehr-import',
    {
      config: { access: consultAccess },
      schema: {
        tags: ['consults'],
        summary:
          "Import the consult's patient's record from the EHR (conditions, allergies, medications, recent observations, documents); a repeat brings changes, never duplicates",
        params: consultParams,
        body: NO_BODY,
        response: { 200: ehrImportResultSchema },
      },
    },
    async (request) => {
      const patientId = await patientOfConsult(ctx, request.params.appointmentId);
      const ehr = await requireEhrSettings(ctx.store.db, ctx.fields);
      const client = new EhrFhirClient(ehr, ctx.ehrTokens, () => ctx.now());
      return importRecord(ctx, request, client, ehr.patientIdentifierSystem, patientId);
    },
  );

  app.post(
    '/api/consults/:appointmentId/ehr-writeback',
    {
      config: { access: consultAccess },
      schema: {
        tags: ['consults'],
        summary:
          "Queue the ended consult's Encounter and note for the EHR; delivered in the background, retried until the EHR takes them",
        params: consultParams,
        body: NO_BODY,
        response: { 202: ehrWritebackSchema },
      },
    },
    async (request, reply) => {
      const { userId } = requireSession(request);
      const { appointmentId } = request.params;
      const patientId = await patientOfConsult(ctx, appointmentId);
      await requireEhrSettings(ctx.store.db, ctx.fields);
      // Sending the note out is reading it: decided and recorded like any read of the notes.
      const principal = ctx.access.principalOf(request);
      const [decision] = await ctx.access.decideForRequest(
        request,
        [
          {
            principal,
            action: 'readRecord',
            resource: { type: 'RecordSection', patientId, section: 'clinical_notes' },
          },
        ],
        ctx.now(),
      );
      if (!decision!.allowed) throw new AppError('not_found');
      const job = await changeWithAudit(request, ctx.store.db, (tx) =>
        queueWriteback(ctx, tx, appointmentId, patientId, userId),
      );
      return reply.code(202).send(job);
    },
  );

  app.get(
    '/api/consults/:appointmentId/ehr-writeback',
    {
      config: { access: consultAccess },
      schema: {
        tags: ['consults'],
        summary: "Where the consult's write-back to the EHR stands",
        params: consultParams,
        response: { 200: ehrWritebackSchema },
      },
    },
    async (request) => {
      const { appointmentId } = request.params;
      const patientId = await patientOfConsult(ctx, appointmentId);
      const job = await writebackOf(ctx.store.db, appointmentId, patientId);
      if (!job) throw new AppError('not_found', 'This consult has not been sent to the EHR.');
      return job;
    },
  );
};
