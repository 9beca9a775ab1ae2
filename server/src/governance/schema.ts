import { bigserial, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Content-Security-Policy violations reported by browsers: attempts to load or send to an origin
 * the product does not allow (injected scripts, browser extensions, unapproved services).
 * Only origins and paths are kept, never query strings, which may carry tokens.
 */
export const cspViolation = pgTable('csp_violation', {
  id: bigserial({ mode: 'number' }).primaryKey(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  documentPath: text('document_path'),
  blockedOrigin: text('blocked_origin'),
  effectiveDirective: text('effective_directive'),
  disposition: text(),
  sourcePath: text('source_path'),
  lineNumber: integer('line_number'),
});
