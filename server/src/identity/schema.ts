import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { STAFF_ROLES, type SecurityPolicy } from '@safeconsult/protocol';

const at = (name: string) => timestamp(name, { withTimezone: true });

/** Staff accounts with their password and sign-in state. */
export const staffUser = pgTable(
  'staff_user',
  {
    id: uuid().primaryKey().defaultRandom(),
    /** Stored lower-cased, so uniqueness ignores case. */
    email: text().notNull().unique(),
    displayName: text('display_name').notNull(),
    role: text().notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    disabledAt: at('disabled_at'),
    /** Argon2id PHC string; null until the invitation is accepted. */
    passwordHash: text('password_hash'),
    passwordChangedAt: at('password_changed_at'),
    /** Consecutive failed sign-ins; reset by a successful one. */
    failedSignIns: integer('failed_sign_ins').notNull().default(0),
    lastFailedSignInAt: at('last_failed_sign_in_at'),
    /** Set after too many consecutive failures; only an admin or a password reset clears it. */
    lockedAt: at('locked_at'),
    lastSignInAt: at('last_sign_in_at'),
  },
  (t) => [
    check(
      'staff_user_role_known',
      sql.raw(`role in (${STAFF_ROLES.map((r) => `'${r}'`).join(', ')})`),
    ),
    check('staff_user_email_lower', sql`${t.email} = lower(${t.email})`),
  ],
);

/**
 * Server-side sessions. The cookie holds a random token; only its SHA-256 is stored, so a copy of
 * the table cannot be replayed.
 */
export const staffSession = pgTable(
  'staff_session',
  {
    id: text().primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUser.id),
    createdAt: at('created_at').notNull().defaultNow(),
    lastSeenAt: at('last_seen_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    reauthenticatedAt: at('reauthenticated_at').notNull().defaultNow(),
    /** 'full', or a session that has passed the password but still owes its second factor. */
    stage: text().notNull().default('full'),
    /**
     * How the person proved who they are when this session began, shown to everyone in a consult.
     * Sessions from before it was kept count as the weakest way.
     */
    verifiedBy: text('verified_by').notNull().default('staff_password'),
    csrfToken: text('csrf_token').notNull(),
    address: text(),
    userAgent: text('user_agent'),
    revokedAt: at('revoked_at'),
  },
  (t) => [index('staff_session_user_idx').on(t.userId)],
);

/** Failed sign-ins per client address in the current window, shared by every node. */
export const signInThrottle = pgTable('sign_in_throttle', {
  address: text().primaryKey(),
  windowStartedAt: at('window_started_at').notNull(),
  failures: integer().notNull(),
});

/** A user's TOTP authenticator: the shared secret, encrypted; unconfirmed until a code proves it. */
export const totpFactor = pgTable('totp_factor', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => staffUser.id),
  secret: text().notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  confirmedAt: at('confirmed_at'),
  /** The last time step whose code was accepted: that code and older ones never work again. */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }).notNull().default(0),
});

/** One-time recovery codes, stored as SHA-256 hashes. */
export const recoveryCode = pgTable(
  'recovery_code',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUser.id),
    codeHash: text('code_hash').notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    usedAt: at('used_at'),
  },
  (t) => [index('recovery_code_user_idx').on(t.userId)],
);

/** Single-use links for staff: invitations and password resets. Only the token's hash is kept. */
export const staffToken = pgTable(
  'staff_token',
  {
    id: uuid().primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUser.id),
    purpose: text().notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: at('created_at').notNull().defaultNow(),
    expiresAt: at('expires_at').notNull(),
    usedAt: at('used_at'),
  },
  (t) => [index('staff_token_user_idx').on(t.userId)],
);

/**
 * The organisation's sign-in policy (one row) and every earlier version of it, so that an auditor
 * can see what was in force when.
 */
export const securityPolicyVersion = pgTable('security_policy_version', {
  version: integer().primaryKey(),
  policy: jsonb().$type<SecurityPolicy>().notNull(),
  createdAt: at('created_at').notNull().defaultNow(),
  /** Null for the policy written from configuration at first start. */
  createdBy: uuid('created_by').references(() => staffUser.id),
});

/**
 * WebAuthn passkeys. The public key is not secret; the credential id is the authenticator's own,
 * and the signature counter lets a cloned authenticator be noticed.
 */
export const passkey = pgTable(
  'passkey',
  {
    id: text().primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => staffUser.id),
    publicKey: text('public_key').notNull(),
    counter: bigint({ mode: 'number' }).notNull(),
    transports: jsonb().$type<string[]>().notNull(),
    /** `multiDevice` passkeys are synced between a person's devices; `singleDevice` ones are not. */
    deviceType: text('device_type').notNull(),
    backedUp: boolean('backed_up').notNull(),
    name: text().notNull(),
    createdAt: at('created_at').notNull().defaultNow(),
    lastUsedAt: at('last_used_at'),
  },
  (t) => [index('passkey_user_idx').on(t.userId)],
);

/** Outstanding WebAuthn challenges: single-use and short-lived, so a signed answer cannot be replayed. */
export const webauthnChallenge = pgTable('webauthn_challenge', {
  id: uuid().primaryKey().defaultRandom(),
  challenge: text().notNull(),
  purpose: text().notNull(),
  /** The user a registration or second-factor challenge is for; null for a passkey sign-in. */
  userId: uuid('user_id').references(() => staffUser.id),
  expiresAt: at('expires_at').notNull(),
});
