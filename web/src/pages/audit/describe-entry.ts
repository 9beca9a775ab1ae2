import {
  ACCESS_ACTIONS,
  SECURITY_EVENT_TYPES,
  type AuditTrailEntry,
  type SecurityEventType,
} from '@safeconsult/protocol';
import { describeEvent, type EventWords } from '../describe-event.js';

const isSecurityEvent = (action: string): action is SecurityEventType =>
  (SECURITY_EVENT_TYPES as readonly string[]).includes(action);

/** The key naming an access-policy action ("Read a record"), when the action is one. */
export const accessActionKey = (action: string) =>
  (ACCESS_ACTIONS as readonly string[]).includes(action) ? `accessActions.${action}` : undefined;

/**
 * What an entry that is not an access decision says, in plain words: security events as the
 * sign-in activity page words them, exports with their size, anything else by its name.
 */
export function describeEntry(
  entry: Pick<AuditTrailEntry, 'category' | 'action' | 'detail'>,
): EventWords {
  if (entry.category === 'security' && isSecurityEvent(entry.action)) {
    return describeEvent({ type: entry.action, detail: entry.detail });
  }
  if (entry.category === 'export') {
    const count = entry.detail?.count;
    return { key: 'auditTrail.exported', values: { count: typeof count === 'number' ? count : 1 } };
  }
  return { key: 'auditTrail.otherEvent', values: { action: entry.action } };
}

/** Who acted, as the timeline names them: the key and the name it needs. */
export function actorWords(entry: Pick<AuditTrailEntry, 'actor' | 'actorName'>): EventWords {
  switch (entry.actor.type) {
    case 'staff':
      return {
        key: 'auditTrail.byStaff',
        values: { name: entry.actorName ?? entry.actor.id ?? '—' },
      };
    case 'participant':
      return { key: 'auditTrail.byParticipant' };
    case 'anonymous':
      return { key: 'auditTrail.byNobody' };
    case 'system':
      return { key: 'auditTrail.bySystem' };
    case 'client':
      return { key: 'auditTrail.byClient', values: { id: entry.actor.id ?? '—' } };
  }
}
