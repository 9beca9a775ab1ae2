import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** The clinic this installation serves: one row, created at first start. */
export const organisation = pgTable(
  'organisation',
  {
    id: integer().primaryKey().default(1),
    name: text().notNull(),
    defaultLocale: text('default_locale').notNull(),
    timeZone: text('time_zone').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('organisation_single_row', sql`${t.id} = 1`)],
);
