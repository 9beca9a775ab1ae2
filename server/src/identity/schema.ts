import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { STAFF_ROLES } from '@safeconsult/protocol';

/** Staff accounts. Credentials and MFA factors live in their own tables. */
export const staffUser = pgTable(
  'staff_user',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Stored lower-cased, so uniqueness ignores case. */
    email: text().notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    disabledAt: timestamp('disabled_at', { withTimezone: true }),
  },
  (t) => [
    check(
      'staff_user_role_known',
      sql.raw(`role in (${STAFF_ROLES.map((r) => `'${r}'`).join(', ')})`),
    ),
    check('staff_user_email_lower', sql`${t.email} = lower(${t.email})`),
  ],
);
