import type { ResourceRef } from '@safeconsult/protocol';

/**
 * What the review routes ask the access policy about: the audit trail, with the alerts and
 * incidents drawn from it (security officers read and review it).
 */
export const AUDIT_TRAIL: ResourceRef = { type: 'AuditLog', id: 'audit-trail' };
