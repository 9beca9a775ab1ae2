import { describe, expect, it } from 'vitest';
import { ALERT_RULES, type AuditAlert } from '@safeconsult/protocol';
import de from '../../i18n/locales/de.json';
import en from '../../i18n/locales/en.json';
import { explainAlert, weekdayNames } from './describe-alert.js';

type Tree = { [key: string]: string | Tree };
const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);

const alert = (rule: AuditAlert['rule'], pattern: Partial<AuditAlert['pattern']>): AuditAlert => ({
  id: 1,
  rule,
  raisedAt: '2026-11-21T02:01:00.000Z',
  actorId: '00000000-0000-4000-8000-000000000003',
  actorName: 'Dr. Jonas Becker',
  entryIds: [4, 5],
  pattern: {
    count: 2,
    threshold: 1,
    from: '2026-11-21T02:00:00.000Z',
    until: '2026-11-21T02:00:01.000Z',
    ...pattern,
  },
  status: 'open',
  reviewedBy: null,
  reviewedByName: null,
  reviewedAt: null,
  incidentId: null,
});

describe('alerts in plain words', () => {
  it('have a title, an explanation and a count in English and German for every rule', () => {
    for (const rule of ALERT_RULES) {
      for (const part of ['title', 'explain', 'count']) {
        const key = `alerts.rules.${rule}.${part}`;
        expect(typeof lookup(en, key), key).toBe('string');
        expect(typeof lookup(de, key), key).toBe('string');
      }
      expect(explainAlert(alert(rule, {}), 'en').key).toBe(`alerts.rules.${rule}.explain`);
    }
  });

  it('say the window, the threshold and the working time the rule used', () => {
    expect(
      explainAlert(
        alert('patients_outside_care', { count: 4, threshold: 3, windowMinutes: 1440 }),
        'en',
      ).values,
    ).toMatchObject({ name: 'Dr. Jonas Becker', count: 4, threshold: 3, hours: 24 });
    const night = alert('out_of_hours_reads', {
      workingHours: '07:00-19:00',
      workingDays: '1,2,3,4,5',
      timeZone: 'Europe/Berlin',
    });
    expect(explainAlert(night, 'en').values).toMatchObject({
      workingHours: '07:00-19:00',
      days: 'Monday, Tuesday, Wednesday, Thursday, and Friday',
      zone: 'Europe/Berlin',
    });
    expect(weekdayNames('6,7', 'de')).toBe('Samstag und Sonntag');
  });
});
