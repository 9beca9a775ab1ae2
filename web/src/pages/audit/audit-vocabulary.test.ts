import { describe, expect, it } from 'vitest';
import {
  ALERT_STATUSES,
  AUDIT_CATEGORIES,
  AUDIT_OUTCOMES,
  INCIDENT_STATUSES,
  SECURITY_EVENT_TYPES,
  type ClockState,
} from '@safeconsult/protocol';
import de from '../../i18n/locales/de.json';
import en from '../../i18n/locales/en.json';

type Tree = { [key: string]: string | Tree };
const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);

const CLOCK_STATES: ClockState[] = ['running', 'overdue', 'notified', 'notified_late', 'stopped'];

/** Keys the audit pages build from the protocol's lists, which the literal-key check cannot see. */
const BUILT_KEYS = [
  ...AUDIT_CATEGORIES.map((c) => `auditTrail.categories.${c}`),
  ...AUDIT_OUTCOMES.map((o) => `auditTrail.outcomes.${o}`),
  ...SECURITY_EVENT_TYPES.map((e) => `auditTrail.eventTypes.${e}`),
  ...ALERT_STATUSES.map((s) => `alerts.status.${s}`),
  ...ALERT_STATUSES.filter((s) => s !== 'open').map((s) => `alerts.reviewedAs.${s}`),
  ...INCIDENT_STATUSES.map((s) => `incidents.statuses.${s}`),
  ...CLOCK_STATES.map((s) => `incidents.clockState.${s}`),
  ...['authority', 'individuals'].flatMap((kind) =>
    ['title', 'law', 'notifiedAt', 'notifiedField', 'record'].map(
      (part) => `incidents.clocks.${kind}.${part}`,
    ),
  ),
];

describe('words for the audit pages', () => {
  it('exist in English and German for every category, outcome, event, status and clock', () => {
    for (const key of BUILT_KEYS) {
      expect(typeof lookup(en, key), key).toBe('string');
      expect(typeof lookup(de, key), key).toBe('string');
    }
  });
});
