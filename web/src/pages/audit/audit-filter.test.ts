import { describe, expect, it } from 'vitest';
import { auditTrailPath, entriesQuery, filterOf } from './audit-filter.js';

describe('the audit trail’s filters', () => {
  it('read the address, and write back only what is set', () => {
    const filter = filterOf(new URLSearchParams('user=u1&outcome=refused&from=2026-11-02&junk=1'));
    expect(filter).toMatchObject({ user: 'u1', outcome: 'refused', from: '2026-11-02', ids: '' });
    expect(auditTrailPath(filter)).toBe('/admin/audit?user=u1&outcome=refused&from=2026-11-02');
    expect(auditTrailPath({ ids: '4,7' })).toBe('/admin/audit?ids=4%2C7');
    expect(auditTrailPath({})).toBe('/admin/audit');
  });

  it('ask the server for whole days on the clinic’s clock', () => {
    const filter = filterOf(new URLSearchParams('from=2026-10-24&to=2026-10-25&category=access'));
    const query = entriesQuery(filter, 'Europe/Berlin', '123.4');
    expect(Object.fromEntries(query)).toEqual({
      category: 'access',
      // 25 October 2026 has 25 hours in Berlin: summer time ends.
      from: '2026-10-23T22:00:00.000Z',
      to: '2026-10-25T23:00:00.000Z',
      after: '123.4',
    });
  });
});
