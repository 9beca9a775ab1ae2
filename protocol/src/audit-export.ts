import { z } from 'zod';

/** The media type of the export: FHIR resources as newline-delimited JSON (FHIR Bulk Data). */
export const FHIR_NDJSON = 'application/fhir+ndjson';

/** A time with its offset (`Z` or `+01:00`), so a range never depends on the server's zone. */
const instant = z.iso.datetime({
  offset: true,
  error: 'must be an ISO 8601 time with its offset, e.g. 2026-11-25T08:00:00Z',
});

/**
 * Which ledger entries to export as FHIR AuditEvents: those recorded in [since, until), and, for a
 * SIEM that pulls repeatedly, only those after the last ledger position it already has.
 */
export const auditExportQuerySchema = z
  .strictObject({
    since: instant.optional(),
    until: instant.optional(),
    afterSequence: z.coerce.number().int().min(0).optional(),
  })
  .refine((q) => !q.since || !q.until || Date.parse(q.since) < Date.parse(q.until), {
    path: ['until'],
    message: 'until must be later than since',
  });
export type AuditExportQuery = z.infer<typeof auditExportQuerySchema>;
