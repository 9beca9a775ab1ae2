import { randomBytes } from 'node:crypto';
import { and, desc, eq, gt, gte, inArray, isNull, ne } from 'drizzle-orm';
import type { StaffRole, VerificationMethod } from '@safeconsult/protocol';
import { hashOpaqueToken, newOpaqueToken } from '../../platform/crypto/index.js';
import type { Queryable } from '../../platform/db/index.js';
import { staffSession, staffUser } from '../schema.js';

export interface SessionPolicy {
  /** A session not used for this long ends. */
  idleMs: number;
  /** A session ends this long after sign-in, however active. */
  absoluteMs: number;
}

/**
 * How far a session has come: `full` may use the product; the others have passed the password and
 * may only complete their second factor (`mfa_pending`) or enrol one (`mfa_enrolment`).
 */
export type SessionStage = 'full' | 'mfa_pending' | 'mfa_enrolment';

/** How a member of staff proved who they are for a session. */
export type StaffVerification = Extract<VerificationMethod, `staff_${string}`>;

export interface ClientInfo {
  address: string;
  userAgent: string | undefined;
}

export interface ActiveSession {
  id: string;
  userId: string;
  role: StaffRole;
  displayName: string;
  email: string;
  csrfToken: string;
  stage: SessionStage;
  verifiedBy: StaffVerification;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  reauthenticatedAt: Date;
}

/** Last-seen times are written at most this often, so reads do not each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export const sessionIdOf = hashOpaqueToken;

/** Starts a session and returns the token for the cookie; only the token's hash is stored. */
export async function createSession(
  db: Queryable,
  userId: string,
  client: ClientInfo,
  policy: SessionPolicy,
  now: Date,
  stage: SessionStage,
  verifiedBy: StaffVerification,
): Promise<string> {
  const token = newOpaqueToken();
  await db.insert(staffSession).values({
    id: sessionIdOf(token),
    userId,
    createdAt: now,
    lastSeenAt: now,
    reauthenticatedAt: now,
    expiresAt: new Date(now.getTime() + policy.absoluteMs),
    csrfToken: randomBytes(24).toString('base64url'),
    stage,
    verifiedBy,
    address: client.address,
    userAgent: client.userAgent?.slice(0, 300) ?? null,
  });
  return token;
}

/**
 * The live session behind a cookie token, or nothing when it is unknown, revoked, idle too long,
 * past its absolute end, or its user is disabled or locked.
 */
export async function loadSession(
  db: Queryable,
  token: string,
  policy: SessionPolicy,
  now: Date,
): Promise<ActiveSession | undefined> {
  const id = sessionIdOf(token);
  const [row] = await db
    .select({ session: staffSession, user: staffUser })
    .from(staffSession)
    .innerJoin(staffUser, eq(staffUser.id, staffSession.userId))
    .where(and(eq(staffSession.id, id), isNull(staffSession.revokedAt)));
  if (!row || !standing(row, policy, now)) return undefined;
  const { session, user } = row;
  const touched = dueForTouch(session, now);
  if (touched) await touchSessions(db, [id], now);
  return {
    id,
    userId: user.id,
    role: user.role as StaffRole,
    displayName: user.displayName,
    email: user.email,
    csrfToken: session.csrfToken,
    stage: session.stage as SessionStage,
    verifiedBy: session.verifiedBy as StaffVerification,
    createdAt: session.createdAt,
    lastSeenAt: touched ? now : session.lastSeenAt,
    expiresAt: session.expiresAt,
    reauthenticatedAt: session.reauthenticatedAt,
  };
}

/**
 * Which of these sessions (by id) still stand, in one query: for a node that holds many open
 * sockets and must notice a sign-out elsewhere. Those it finds standing count as used, as a
 * request would (an open call keeps its session from going idle).
 */
export async function standingSessionIds(
  db: Queryable,
  ids: readonly string[],
  policy: SessionPolicy,
  now: Date,
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  // Only what `standing` weighs: this runs for every open socket of the node every few seconds.
  const rows = await db
    .select({
      session: {
        id: staffSession.id,
        lastSeenAt: staffSession.lastSeenAt,
        expiresAt: staffSession.expiresAt,
      },
      user: { disabledAt: staffUser.disabledAt, lockedAt: staffUser.lockedAt },
    })
    .from(staffSession)
    .innerJoin(staffUser, eq(staffUser.id, staffSession.userId))
    .where(and(inArray(staffSession.id, [...ids]), isNull(staffSession.revokedAt)));
  const standingRows = rows.filter((row) => standing(row, policy, now));
  await touchSessions(
    db,
    standingRows.filter((row) => dueForTouch(row.session, now)).map((row) => row.session.id),
    now,
  );
  return new Set(standingRows.map((row) => row.session.id));
}

type SessionRow = {
  session: Pick<typeof staffSession.$inferSelect, 'id' | 'lastSeenAt' | 'expiresAt'>;
  user: Pick<typeof staffUser.$inferSelect, 'disabledAt' | 'lockedAt'>;
};

/** Not idle too long, not past its end, its user neither disabled nor locked. */
function standing({ session, user }: SessionRow, policy: SessionPolicy, now: Date): boolean {
  const idleSince = now.getTime() - session.lastSeenAt.getTime();
  return !(
    idleSince > policy.idleMs ||
    now >= session.expiresAt ||
    user.disabledAt ||
    user.lockedAt
  );
}

const dueForTouch = (session: SessionRow['session'], now: Date) =>
  now.getTime() - session.lastSeenAt.getTime() > TOUCH_INTERVAL_MS;

async function touchSessions(db: Queryable, ids: readonly string[], now: Date) {
  if (ids.length === 0) return;
  await db
    .update(staffSession)
    .set({ lastSeenAt: now })
    .where(inArray(staffSession.id, [...ids]));
}

export async function revokeSession(
  db: Queryable,
  userId: string,
  id: string,
  now: Date,
): Promise<boolean> {
  const revoked = await db
    .update(staffSession)
    .set({ revokedAt: now })
    .where(
      and(eq(staffSession.id, id), eq(staffSession.userId, userId), isNull(staffSession.revokedAt)),
    )
    .returning({ id: staffSession.id });
  return revoked.length > 0;
}

export async function revokeAllSessions(db: Queryable, userId: string, now: Date): Promise<number> {
  const revoked = await db
    .update(staffSession)
    .set({ revokedAt: now })
    .where(and(eq(staffSession.userId, userId), isNull(staffSession.revokedAt)))
    .returning({ id: staffSession.id });
  return revoked.length;
}

export interface SessionSummary {
  id: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  address: string | null;
  userAgent: string | null;
}

/** A user's sessions that still work: not revoked, not idle too long, not past their absolute end. */
function liveSessionsOf(userId: string, policy: SessionPolicy, now: Date) {
  return and(
    eq(staffSession.userId, userId),
    isNull(staffSession.revokedAt),
    gt(staffSession.expiresAt, now),
    gte(staffSession.lastSeenAt, new Date(now.getTime() - policy.idleMs)),
  );
}

/** A user's live sessions, most recently used first. */
export async function listSessions(
  db: Queryable,
  userId: string,
  policy: SessionPolicy,
  now: Date,
): Promise<SessionSummary[]> {
  return db
    .select({
      id: staffSession.id,
      createdAt: staffSession.createdAt,
      lastSeenAt: staffSession.lastSeenAt,
      expiresAt: staffSession.expiresAt,
      address: staffSession.address,
      userAgent: staffSession.userAgent,
    })
    .from(staffSession)
    .where(liveSessionsOf(userId, policy, now))
    .orderBy(desc(staffSession.lastSeenAt));
}

/**
 * Ends every live session of a user except `keepId` (the caller's own) and returns how many ended.
 * Sessions that already stopped working are left alone, so the count matches the list the user saw.
 */
export async function revokeOtherSessions(
  db: Queryable,
  userId: string,
  keepId: string,
  policy: SessionPolicy,
  now: Date,
): Promise<number> {
  const revoked = await db
    .update(staffSession)
    .set({ revokedAt: now })
    .where(and(liveSessionsOf(userId, policy, now), ne(staffSession.id, keepId)))
    .returning({ id: staffSession.id });
  return revoked.length;
}

/**
 * Replaces a session by a new one at a later stage (after the second factor): a new id, so a token
 * seen before the privilege change is worthless after it.
 */
export async function promoteSession(
  db: Queryable,
  session: ActiveSession,
  client: ClientInfo,
  policy: SessionPolicy,
  now: Date,
  stage: SessionStage,
): Promise<string> {
  await revokeSession(db, session.userId, session.id, now);
  // Promotion follows a second factor (a code, a recovery code, or a factor just enrolled).
  const token = await createSession(
    db,
    session.userId,
    client,
    policy,
    now,
    stage,
    'staff_password_and_second_factor',
  );
  // The new session keeps the old one's absolute end: a second factor does not extend the day.
  await db
    .update(staffSession)
    .set({ expiresAt: session.expiresAt })
    .where(eq(staffSession.id, sessionIdOf(token)));
  return token;
}
