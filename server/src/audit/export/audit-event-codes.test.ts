import { describe, expect, it } from 'vitest';
import { ACCESS_ACTIONS, AUDIT_CATEGORIES, SECURITY_EVENT_TYPES } from '@safeconsult/protocol';
import { actionCodeOf, entriesWithActionCode, type ActionCode } from './audit-event-codes.js';

const CODES: ActionCode[] = ['C', 'R', 'U', 'D', 'E'];

describe('selecting ledger entries by their AuditEvent action code', () => {
  it('selects exactly the entries whose AuditEvent carries that code', () => {
    const actions = [
      ...ACCESS_ACTIONS,
      ...SECURITY_EVENT_TYPES,
      'participant_joined',
      'audit_export',
      // An action a later policy version dropped: still in old entries.
      'retiredAction',
    ];
    for (const category of AUDIT_CATEGORIES) {
      for (const action of actions) {
        const code = actionCodeOf(category, action);
        for (const wanted of CODES) {
          const { categories, access } = entriesWithActionCode(wanted);
          const selected =
            categories.includes(category) ||
            (category === 'access' &&
              ('in' in access ? access.in.includes(action) : !access.notIn.includes(action)));
          expect(selected, `${category} ${action} as ${wanted}`).toBe(code === wanted);
        }
      }
    }
  });
});
