import type { Queryable } from '../platform/db/index.js';
import { securityEvent } from './schema.js';

export type SecurityEventType =
  | 'signed_in'
  | 'sign_in_failed'
  | 'sign_in_throttled'
  | 'account_locked'
  | 'account_unlocked'
  | 'signed_out'
  | 'session_revoked'
  | 'sessions_revoked_by_admin'
  | 'password_rehashed'
  | 'mfa_enrolled'
  | 'mfa_verified'
  | 'staff_invited'
  | 'invitation_accepted'
  | 'password_reset_requested'
  | 'password_reset'
  | 'reauthenticated'
  | 'security_policy_changed'
  | 'mfa_removed'
  | 'participant_joined'
  | 'participant_check_failed'
  | 'participant_link_locked';

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
