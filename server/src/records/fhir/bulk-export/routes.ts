import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { OperationOutcome, Parameters } from 'fhir/r4.js';
import { z } from 'zod';
import { FHIR_NDJSON } from '@safeconsult/protocol';
import { appendAuditEntries } from '../../../audit/index.js';
import type { AppContext } from '../../../context.js';
import { AppError, NO_BODY, sensitive, signedIn } from '../../../platform/http/index.js';
import { asJson, pairsOf, queryPairsSchema, resourceSchema } from '../http.js';
import { FHIR_JSON } from '../operation-outcome.js';
import type { QueryPairs } from '../search-params.js';
import { isStoreId } from '../store.js';
import { deleteJob, filesOf, insertJob, jobOf, readFile, type ExportJob } from './jobs.js';
import { EXPORT_OPERATIONS } from './operations.js';
import { pairsOfParameters, parseExportRequest } from './parameters.js';
import type { BulkExportDeps } from './run-job.js';

export interface BulkExportRouteOptions {
  ctx: AppContext;
  baseUrl: string;
  deps: BulkExportDeps;
}

const EXPORTERS = { type: 'Directory', id: 'patients' } as const;
/** Starting an export and taking its files out are sensitive: recent re-authentication. */
const KICK_OFF_ACCESS = sensitive('bulkExportRecords', EXPORTERS);
const JOB_ACCESS = signedIn('bulkExportRecords', EXPORTERS);

const jobParams = z.object({ job: z.string() });
const fileParams = z.object({ job: z.string(), file: z.string() });

/** The completion manifest of the Bulk Data Access IG (v2.0.0). */
const manifestSchema = z.object({
  transactionTime: z.string(),
  request: z.string(),
  requiresAccessToken: z.boolean(),
  output: z.array(z.object({ type: z.string(), url: z.string(), count: z.number().int() })),
  error: z.array(z.object({ type: z.string(), url: z.string() })),
});

const information = (text: string): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity: 'information', code: 'informational', diagnostics: text }],
});

const noJob = () => new AppError('not_found', 'No export of yours exists at this address.');

/** `Prefer: respond-async` is what makes a kick-off; without it there is no synchronous export. */
function assertKickOffHeaders(request: FastifyRequest) {
  if (!/\brespond-async\b/i.test(String(request.headers.prefer ?? ''))) {
    throw new AppError('validation_failed', 'A bulk export runs asynchronously.', [
      { path: 'Prefer', message: 'must be respond-async' },
    ]);
  }
  const accept = request.headers.accept;
  if (accept && !/application\/(fhir\+)?json|\*\/\*/i.test(accept)) {
    throw new AppError('validation_failed', 'A kick-off answers in FHIR JSON.', [
      { path: 'Accept', message: 'must be application/fhir+json' },
    ]);
  }
}

/**
 * FHIR Bulk Data export (Bulk Data Access IG v2.0.0): the kick-off at system, Patient and Group
 * level, the status address to poll and delete, and the NDJSON files. Only the requester reaches
 * a job; anyone else is told it does not exist.
 */
export const bulkExportRoutes: FastifyPluginAsyncZod<BulkExportRouteOptions> = async (
  app,
  { ctx, baseUrl, deps },
) => {
  const db = ctx.store.db;
  const statusUrl = (id: string) => `${baseUrl}/bulk-export/${id}`;
  const fileUrl = (job: ExportJob, type: string) => `${statusUrl(job.id)}/${type}.ndjson`;

  async function kickOff(
    request: FastifyRequest,
    reply: FastifyReply,
    pairs: QueryPairs,
    groupId?: string,
  ) {
    assertKickOffHeaders(request);
    const { since, types } = parseExportRequest(pairs);
    if (groupId !== undefined) {
      const patients = isStoreId(groupId) ? await deps.patientsOfGroup(db, groupId) : undefined;
      if (!patients) throw new AppError('not_found', 'No group exists at this address.');
    }
    const session = request.staffSession!;
    const decision = request.accessDecision!;
    const now = ctx.now();
    const id = randomUUID();
    await db.transaction(async (tx) => {
      await insertJob(tx, {
        id,
        requesterId: session.userId,
        state: 'in-progress',
        request: `${ctx.config.publicUrl}${request.url}`,
        since: since ?? null,
        types,
        groupId: groupId ?? null,
        createdAt: now,
        expiresAt: new Date(now.getTime() + ctx.config.bulkExportRetentionMs),
      });
      // The kick-off's decision, which names no patient, is recorded with the job it started.
      const question = {
        principal: ctx.access.principalOf(request),
        action: 'bulkExportRecords' as const,
        resource: EXPORTERS,
      };
      await appendAuditEntries(tx, [
        {
          ...deps.decisionEntry(question, decision, now, request),
          detail: {
            bulkExportJob: id,
            types: types.join(','),
            ...(since ? { since: since.toISOString() } : {}),
            ...(groupId ? { group: groupId } : {}),
          },
        },
      ]);
    });
    reply.code(202).type(FHIR_JSON).header('content-location', statusUrl(id));
    return asJson(information('The export has started; poll the Content-Location address.'));
  }

  const kickOffSchema = (summary: string) => ({
    tags: ['fhir'],
    summary,
    response: { 202: resourceSchema },
  });

  // System level is Patient level here: everything this server stores belongs to a patient.
  for (const { path } of [EXPORT_OPERATIONS.system, EXPORT_OPERATIONS.Patient]) {
    app.get(
      path,
      {
        config: { access: KICK_OFF_ACCESS },
        schema: {
          ...kickOffSchema('FHIR bulk export kick-off: every patient (Prefer: respond-async)'),
          querystring: queryPairsSchema,
        },
      },
      (request, reply) => kickOff(request, reply, pairsOf(request.query)),
    );
    app.post(
      path,
      {
        config: { access: KICK_OFF_ACCESS },
        schema: {
          ...kickOffSchema('FHIR bulk export kick-off with a Parameters body: every patient'),
          body: resourceSchema,
        },
      },
      (request, reply) =>
        kickOff(request, reply, pairsOfParameters(request.body as unknown as Parameters)),
    );
  }
  const groupParams = z.object({ id: z.string() });
  app.get(
    EXPORT_OPERATIONS.Group.path,
    {
      config: { access: KICK_OFF_ACCESS },
      schema: {
        ...kickOffSchema('FHIR bulk export kick-off: the patients of a care team'),
        params: groupParams,
        querystring: queryPairsSchema,
      },
    },
    (request, reply) => kickOff(request, reply, pairsOf(request.query), request.params.id),
  );
  app.post(
    EXPORT_OPERATIONS.Group.path,
    {
      config: { access: KICK_OFF_ACCESS },
      schema: {
        ...kickOffSchema('FHIR bulk export kick-off with a Parameters body: a care team'),
        params: groupParams,
        body: resourceSchema,
      },
    },
    (request, reply) =>
      kickOff(
        request,
        reply,
        pairsOfParameters(request.body as unknown as Parameters),
        request.params.id,
      ),
  );

  const ownJob = async (request: FastifyRequest, id: string) => {
    const job = isStoreId(id)
      ? await jobOf(db, id, request.staffSession!.userId, ctx.now())
      : undefined;
    if (!job) throw noJob();
    return job;
  };

  app.get(
    '/bulk-export/:job',
    {
      config: { access: JOB_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR bulk export status: 202 while running, 200 with the manifest when complete',
        params: jobParams,
        response: { 200: manifestSchema, 202: resourceSchema },
      },
    },
    async (request, reply) => {
      const job = await ownJob(request, request.params.job);
      if (job.state === 'in-progress') {
        const progress = `${job.progress} of ${job.types.length} resource types exported`;
        reply.code(202).type(FHIR_JSON).header('x-progress', progress).header('retry-after', '2');
        return asJson(information(progress));
      }
      if (job.state === 'failed') {
        throw new AppError('internal_error', job.error ?? 'The export failed.');
      }
      const files = await filesOf(db, job);
      reply.header('expires', job.expiresAt.toUTCString()).type('application/json');
      return {
        transactionTime: job.transactionTime!.toISOString(),
        request: job.request,
        requiresAccessToken: true,
        output: files.map((f) => ({ type: f.type, url: fileUrl(job, f.type), count: f.count })),
        error: [],
      };
    },
  );

  app.delete(
    '/bulk-export/:job',
    {
      config: { access: JOB_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR bulk export: cancel a running export or delete a finished one and its files',
        params: jobParams,
        body: NO_BODY,
        response: { 202: resourceSchema },
      },
    },
    async (request, reply) => {
      const job = await ownJob(request, request.params.job);
      await deleteJob(db, job.id);
      reply.code(202).type(FHIR_JSON);
      return asJson(information('The export and its files are deleted.'));
    },
  );

  app.get(
    '/bulk-export/:job/:file',
    {
      config: { access: KICK_OFF_ACCESS },
      schema: {
        tags: ['fhir'],
        summary:
          'FHIR bulk export: one NDJSON file of a completed export (re-authentication required)',
        params: fileParams,
        // Sent as bytes, which Fastify does not serialise: its lines are FHIR resources.
        response: { 200: z.unknown().describe('One FHIR resource per line') },
      },
    },
    async (request, reply) => {
      const job = await ownJob(request, request.params.job);
      const type = /^([A-Za-z]+)\.ndjson$/.exec(request.params.file)?.[1];
      const file =
        job.state === 'completed' && type
          ? await readFile(db, ctx.fields, job.id, type)
          : undefined;
      if (!file) throw noJob();
      const session = request.staffSession!;
      // Recorded before a byte leaves: the file is patient data going out of the product.
      await appendAuditEntries(db, [
        {
          at: ctx.now(),
          category: 'export',
          action: 'fhir_bulk_export_downloaded',
          outcome: 'succeeded',
          actor: { type: 'staff', id: session.userId, role: session.role },
          resource: EXPORTERS,
          requestId: request.id,
          address: request.ip,
          detail: { bulkExportJob: job.id, type: type!, count: file.count },
        },
      ]);
      return reply
        .type(FHIR_NDJSON)
        .header('content-disposition', `attachment; filename="${job.id}-${type}.ndjson"`)
        .send(Buffer.from(file.content, 'utf8'));
    },
  );
};
