import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { auditExportQuerySchema, FHIR_NDJSON } from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../platform/db/index.js';
import { sensitive } from '../../platform/http/index.js';
import { appendAuditEntries } from '../ledger/append.js';
import { staffIdsOf, toAuditEvent } from './audit-event.js';
import { entriesInScope, exportScope, type ExportScope } from './export-scope.js';

export interface AuditExportOptions {
  ctx: AppContext;
  /** The signed-in member of staff asking (the identity module knows; this one does not import it). */
  requesterOf: (request: FastifyRequest) => { id: string; role: string };
  /** Staff names by account id, for the people who read the export. */
  staffNames: (db: Queryable, ids: readonly string[]) => Promise<Map<string, string>>;
}

/** The header that tells the client how many AuditEvents the body holds, before it is read. */
export const EXPORT_COUNT_HEADER = 'x-audit-event-count';

/**
 * The audit ledger as FHIR R4 AuditEvents, one per line (NDJSON), for a SIEM or an archive: for
 * the security officer, after re-authentication. The export is itself recorded, with its range and
 * count, in the transaction that fixes its scope, so it is in the ledger before its first line.
 */
export const auditExportRoutes: FastifyPluginAsyncZod<AuditExportOptions> = async (
  app,
  { ctx, requesterOf, staffNames },
) => {
  app.get(
    '/api/audit/export.ndjson',
    {
      config: { access: sensitive('readAudit', { type: 'AuditLog', id: 'audit-trail' }) },
      schema: {
        tags: ['audit'],
        summary:
          'The audit ledger as FHIR R4 AuditEvents (NDJSON), by time range or after a ledger position (re-authentication required)',
        querystring: auditExportQuerySchema,
        // A stream, which Fastify sends without serialising: its lines are FHIR, not a JSON schema.
        response: {
          200: z.unknown().describe('One FHIR R4 AuditEvent per line, in ledger order'),
        },
      },
    },
    async (request, reply) => {
      const { since, until, afterSequence } = request.query;
      const requester = requesterOf(request);
      const now = ctx.now();
      const range = {
        since: since === undefined ? undefined : new Date(since),
        until: until === undefined ? now : new Date(until),
        afterSequence,
      };
      const scope = await ctx.store.db.transaction(async (tx) => {
        const fixed = await exportScope(tx, range);
        await appendAuditEntries(tx, [
          {
            at: now,
            category: 'export',
            action: 'audit_export',
            outcome: 'succeeded',
            actor: { type: 'staff', id: requester.id, role: requester.role },
            resource: { type: 'AuditLog', id: 'audit-trail' },
            requestId: request.id,
            address: request.ip,
            detail: {
              format: 'fhir-r4-auditevent-ndjson',
              count: fixed.count,
              ...(range.since ? { since: range.since.toISOString() } : {}),
              until: range.until.toISOString(),
              ...(afterSequence === undefined ? {} : { afterSequence }),
              throughSequence: fixed.throughSequence,
            },
          },
        ]);
        return fixed;
      });
      return reply
        .header('content-type', FHIR_NDJSON)
        .header('content-disposition', 'attachment; filename="safeconsult-audit-events.ndjson"')
        .header(EXPORT_COUNT_HEADER, String(scope.count))
        .send(Readable.from(auditEventLines(ctx, scope, staffNames)));
    },
  );
};

async function* auditEventLines(
  ctx: AppContext,
  scope: ExportScope,
  staffNames: AuditExportOptions['staffNames'],
): AsyncGenerator<string> {
  const observer = { publicUrl: ctx.config.publicUrl };
  for await (const page of entriesInScope(ctx.store.db, scope)) {
    const names = await staffNames(ctx.store.db, staffIdsOf(page));
    yield page
      .map((row) => `${JSON.stringify(toAuditEvent(row, { ...observer, staffNames: names }))}\n`)
      .join('');
  }
}
