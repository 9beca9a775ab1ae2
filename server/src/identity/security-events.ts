import { and, desc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { SecurityEvent, SecurityEventType } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { securityEvent, staffUser } from './schema.js';

export interface SecurityEventInput {
  type: SecurityEventType;
  userId?: string | undefined;
  address?: string | undefined;
  detail?: Record<string, string | number | boolean>;
}

export async function recordSecurityEvent(db: Queryable, event: SecurityEventInput, now: Date) {
  await db.insert(securityEvent).values({
    at: now,
    type: event.type,
    userId: event.userId ?? null,
    address: event.address ?? null,
    detail: event.detail ?? null,
  });
}

export interface SecurityEventFilter {
  limit: number;
  /** Only these types; all when absent. */
  types?: readonly SecurityEventType[] | undefined;
  userId?: string | undefined;
  /** From this time on, inclusive. */
  since?: Date | undefined;
  /** Before this time. */
  until?: Date | undefined;
}

/** The newest events that pass the filter, each with the name and e-mail of its account. */
export async function listSecurityEvents(
  db: Queryable,
  filter: SecurityEventFilter,
): Promise<SecurityEvent[]> {
  const rows = await db
    .select({ event: securityEvent, displayName: staffUser.displayName, email: staffUser.email })
    .from(securityEvent)
    .leftJoin(staffUser, eq(staffUser.id, securityEvent.userId))
    .where(
      and(
        filter.types ? inArray(securityEvent.type, [...filter.types]) : undefined,
        filter.userId ? eq(securityEvent.userId, filter.userId) : undefined,
        filter.since ? gte(securityEvent.at, filter.since) : undefined,
        filter.until ? lt(securityEvent.at, filter.until) : undefined,
      ),
    )
    .orderBy(desc(securityEvent.id))
    .limit(filter.limit);
  return rows.map(({ event: e, displayName, email }) => ({
    id: e.id,
    at: e.at.toISOString(),
    // Written only through recordSecurityEvent, whose input is typed by the same list.
    type: e.type as SecurityEventType,
    userId: e.userId,
    user: displayName !== null && email !== null ? { displayName, email } : null,
    address: e.address,
    detail: e.detail ?? null,
  }));
}
