import { asc, eq, isNull } from 'drizzle-orm';
import type { Colleague, StaffRole } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { hashPassword } from './password/password-hash.js';
import { staffUser } from './schema.js';

export interface NewStaffUser {
  /** Chosen by the store unless given (the demo clinic's accounts have fixed ids). */
  id?: string;
  email: string;
  displayName: string;
  role: StaffRole;
}

export interface StaffUser extends NewStaffUser {
  id: string;
  createdAt: Date;
  disabledAt: Date | null;
  lockedAt: Date | null;
  failedSignIns: number;
  lastSignInAt: Date | null;
}

export async function createStaffUser(db: Queryable, user: NewStaffUser): Promise<StaffUser> {
  const [row] = await db
    .insert(staffUser)
    .values({ ...user, email: user.email.trim().toLowerCase() })
    .returning();
  if (!row) throw new Error('insert returned no row');
  return row as StaffUser;
}

export async function listStaffUsers(db: Queryable): Promise<StaffUser[]> {
  const rows = await db.select().from(staffUser).orderBy(asc(staffUser.email));
  return rows as StaffUser[];
}

/** Staff whose accounts are in use, by role and name: names and roles only. */
export async function listColleagues(db: Queryable): Promise<Colleague[]> {
  const rows = await db
    .select({ userId: staffUser.id, displayName: staffUser.displayName, role: staffUser.role })
    .from(staffUser)
    .where(isNull(staffUser.disabledAt))
    .orderBy(asc(staffUser.role), asc(staffUser.displayName));
  return rows.map((r) => ({ ...r, role: r.role as StaffRole }));
}

/** Stores a new password hash; the caller has checked the password against the policy. */
export async function setStaffPassword(
  db: Queryable,
  userId: string,
  password: string,
  now: Date,
): Promise<void> {
  await db
    .update(staffUser)
    .set({ passwordHash: await hashPassword(password), passwordChangedAt: now })
    .where(eq(staffUser.id, userId));
}
