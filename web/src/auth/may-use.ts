import type { SessionInfo, StaffRole } from '@safeconsult/protocol';

/**
 * Whether a session may use a part of the app meant for `roles` (for any staff role when absent).
 * The server decides every request; this only keeps people from pages that would refuse them.
 */
export function mayUse(
  session: SessionInfo | null | undefined,
  roles?: readonly StaffRole[],
): boolean {
  return session?.stage === 'full' && (!roles || roles.includes(session.user.role));
}
