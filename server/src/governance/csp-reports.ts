import { lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Queryable } from '../platform/db/index.js';
import { cspViolation } from './schema.js';

const reportText = z.string().max(4096);

/** The `report-uri` body browsers send (`application/csp-report`); extra members are dropped. */
export const cspReportBodySchema = z.strictObject({
  'csp-report': z.object({
    'document-uri': reportText.optional(),
    'blocked-uri': reportText.optional(),
    'violated-directive': z.string().max(256).optional(),
    'effective-directive': z.string().max(256).optional(),
    disposition: z.enum(['enforce', 'report']).optional(),
    'source-file': reportText.optional(),
    'line-number': z.number().int().nonnegative().optional(),
  }),
});

export type CspReportBody = z.infer<typeof cspReportBodySchema>;

/** Keeps the table bounded even when a hostile page floods it from many addresses. */
const MAX_KEPT = 10_000;

/** 'inline', 'eval' and similar keywords are kept; URLs are cut down to origin or path. */
export function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).origin;
  } catch {
    return value.slice(0, 64);
  }
}

export function pathOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).pathname;
  } catch {
    return null;
  }
}

export async function recordCspViolation(db: Queryable, body: CspReportBody): Promise<void> {
  const r = body['csp-report'];
  await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cspViolation)
      .values({
        documentPath: pathOf(r['document-uri']),
        blockedOrigin: originOf(r['blocked-uri']),
        effectiveDirective: r['effective-directive'] ?? r['violated-directive'] ?? null,
        disposition: r.disposition ?? null,
        sourcePath: pathOf(r['source-file']),
        lineNumber: r['line-number'] ?? null,
      })
      .returning({ id: cspViolation.id });
    if (row && row.id > MAX_KEPT) {
      await tx.delete(cspViolation).where(lt(cspViolation.id, sql`${row.id - MAX_KEPT}`));
    }
  });
}

export async function countCspViolations(db: Queryable): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(cspViolation);
  return row?.n ?? 0;
}
