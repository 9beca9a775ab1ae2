import { and, asc, eq, isNotNull, sql } from 'drizzle-orm';
import type { StaffAccount, StaffRole } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { passkey, staffUser, totpFactor } from './schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Staff accounts with their second factors: a confirmed authenticator app, and passkeys. */
function selectStaffAccounts(db: Queryable) {
  return db
    .select({
      user: staffUser,
      totp: totpFactor.userId,
      passkeys: sql<number>`(select count(*)::int from ${passkey} where ${passkey.userId} = ${staffUser.id})`,
    })
    .from(staffUser)
    .leftJoin(
      totpFactor,
      and(eq(totpFactor.userId, staffUser.id), isNotNull(totpFactor.confirmedAt)),
    );
}

function toStaffAccount({
  user: u,
  totp,
  passkeys,
}: Awaited<ReturnType<typeof selectStaffAccounts>>[number]): StaffAccount {
  return {
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role as StaffRole,
    createdAt: u.createdAt.toISOString(),
    lastSignInAt: iso(u.lastSignInAt),
    failedSignIns: u.failedSignIns,
    lockedAt: iso(u.lockedAt),
    disabledAt: iso(u.disabledAt),
    mfaEnrolled: totp !== null || passkeys > 0,
    authenticatorApp: totp !== null,
    passkeys,
  };
}

export async function listStaffAccounts(db: Queryable): Promise<StaffAccount[]> {
  const rows = await selectStaffAccounts(db).orderBy(asc(staffUser.displayName));
  return rows.map(toStaffAccount);
}

export async function findStaffAccount(
  db: Queryable,
  userId: string,
): Promise<StaffAccount | undefined> {
  const [row] = await selectStaffAccounts(db).where(eq(staffUser.id, userId));
  return row && toStaffAccount(row);
}
