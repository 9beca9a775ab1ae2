import { and, asc, desc, eq, isNotNull, sql } from 'drizzle-orm';
import type { SecurityEvent, StaffAccount, StaffRole } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { passkey, securityEvent, staffUser, totpFactor } from './schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function listStaffAccounts(db: Queryable): Promise<StaffAccount[]> {
  const rows = await db
    .select({
      user: staffUser,
      totp: totpFactor.userId,
      passkeys: sql<number>`(select count(*)::int from ${passkey} where ${passkey.userId} = ${staffUser.id})`,
    })
    .from(staffUser)
    .leftJoin(
      totpFactor,
      and(eq(totpFactor.userId, staffUser.id), isNotNull(totpFactor.confirmedAt)),
    )
    .orderBy(asc(staffUser.displayName));
  return rows.map(({ user: u, totp, passkeys }) => ({
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
  }));
}

export async function listSecurityEvents(db: Queryable, limit: number): Promise<SecurityEvent[]> {
  const rows = await db.select().from(securityEvent).orderBy(desc(securityEvent.id)).limit(limit);
  return rows.map((e) => ({
    at: e.at.toISOString(),
    type: e.type,
    userId: e.userId,
    address: e.address,
    detail: e.detail ?? null,
  }));
}
