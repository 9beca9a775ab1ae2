import { asc, desc } from 'drizzle-orm';
import type { SecurityEvent, StaffAccount, StaffRole } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { securityEvent, staffUser } from './schema.js';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export async function listStaffAccounts(db: Queryable): Promise<StaffAccount[]> {
  const rows = await db.select().from(staffUser).orderBy(asc(staffUser.displayName));
  return rows.map((u) => ({
    id: u.id,
    email: u.email,
    displayName: u.displayName,
    role: u.role as StaffRole,
    createdAt: u.createdAt.toISOString(),
    lastSignInAt: iso(u.lastSignInAt),
    failedSignIns: u.failedSignIns,
    lockedAt: iso(u.lockedAt),
    disabledAt: iso(u.disabledAt),
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
