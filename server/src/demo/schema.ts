import { sql } from 'drizzle-orm';
import { check, integer, pgTable, timestamp } from 'drizzle-orm/pg-core';

/** Marks that the demo clinic was seeded; written in the seed's own transaction. */
export const demoSeed = pgTable(
  'demo_seed',
  {
    id: integer().primaryKey().default(1),
    seededAt: timestamp('seeded_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('demo_seed_single_row', sql`${t.id} = 1`)],
);
