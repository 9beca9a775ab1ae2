import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditTrailEntry } from '@safeconsult/protocol';
import { DEMO_PATIENTS, seedDemoClinic } from '../../demo/index.js';
import { createTestApp, type TestApp } from '../../test-support/context.js';
import { withClockAt } from '../../test-support/clock.js';
import { demoStaff, readSections, signInDemo } from '../../test-support/demo-sessions.js';
import { asSession, type HeldSession } from '../../test-support/staff-client.js';
import { storeTargets } from '../../test-support/stores.js';

const [MARIA, DANIEL, LENA] = DEMO_PATIENTS.map((p) => p.patient.id!) as [string, string, string];
const JONAS = demoStaff('jonas.');
const ALEX = demoStaff('alex.');

interface Page {
  entries: AuditTrailEntry[];
  next: string | null;
}

describe.each(storeTargets())('searching the audit trail on %s', (target) => {
  let t: TestApp;
  let officer: HeldSession;
  const search = async (query: Record<string, string>) =>
    asSession(t.app, officer, 'GET', `/api/audit/entries?${new URLSearchParams(query).toString()}`);
  const page = async (query: Record<string, string>) => {
    const res = await search(query);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Page>();
  };

  /** Reads a section with the clinic's clock at `iso`, so that its entry carries that time. */
  const readAt = (iso: string, who: string, patientId: string, section: string) =>
    withClockAt(t.ctx, iso, () => readSections(t.app, who, [[patientId, section]]));

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
    await readAt('2026-10-01T08:00:00Z', 'jonas.', DANIEL, 'problems');
    await readAt('2026-10-02T08:00:00Z', 'alex.', LENA, 'problems');
    await readAt('2026-10-03T08:00:00Z', 'jonas.', LENA, 'allergies');
    officer = await signInDemo(t.app, 'priya.');
  });
  afterAll(() => t.close());

  it('finds what a person did and what was done to their account, with names', async () => {
    const { entries } = await page({ user: JONAS.id, limit: '200' });
    expect(entries.length).toBeGreaterThanOrEqual(4);
    for (const e of entries) expect([e.actor.id, e.subjectUserId]).toContain(JONAS.id);
    const reads = entries.filter((e) => e.action === 'readRecord');
    expect(reads.map((e) => e.patientId)).toEqual([LENA, DANIEL]);
    expect(reads.map((e) => e.actorName)).toEqual([JONAS.displayName, JONAS.displayName]);
    const signIn = entries.find((e) => e.action === 'signed_in');
    expect(signIn).toMatchObject({ category: 'security', subjectName: JONAS.displayName });
  });

  it('filters by patient, outcome, category and action, and by time', async () => {
    const refused = await page({ patient: LENA, outcome: 'refused' });
    expect(refused.entries).toHaveLength(1);
    expect(refused.entries[0]).toMatchObject({
      actor: { id: ALEX.id, role: 'admin' },
      actorName: ALEX.displayName,
      resource: { type: 'RecordSection', patientId: LENA, section: 'problems' },
      policies: ['no-clinical-outside-care'],
    });
    const reads = await page({ category: 'access', action: 'readRecord', limit: '200' });
    expect(new Set(reads.entries.map((e) => e.patientId))).toEqual(new Set([DANIEL, LENA]));
    expect((await page({ patient: MARIA })).entries).toEqual([]);

    const between = await page({
      from: '2026-10-01T12:00:00Z',
      to: '2026-10-03T00:00:00+02:00',
      category: 'access',
    });
    expect(between.entries.map((e) => e.at)).toEqual(['2026-10-02T08:00:00.000Z']);
  });

  it('returns the entries an alert names, and pages newest first without gaps or repeats', async () => {
    const all = await page({ limit: '200' });
    expect(all.next).toBeNull();
    const picked = [all.entries[1]!.id, all.entries[3]!.id];
    const byId = await page({ ids: picked.join(',') });
    expect(byId.entries.map((e) => e.id)).toEqual(picked);

    const seen: AuditTrailEntry[] = [];
    let next: string | null = '';
    while (next !== null) {
      const p: Page = await page({ limit: '3', ...(next ? { after: next } : {}) });
      expect(p.entries.length).toBeLessThanOrEqual(3);
      seen.push(...p.entries);
      next = p.next;
    }
    expect(seen.map((e) => e.id)).toEqual(all.entries.map((e) => e.id));
    const times = seen.map((e) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('answers bad filters with 400 and names the field', async () => {
    for (const [query, field] of [
      [{ from: '2026-10-03T00:00:00Z', to: '2026-10-01T00:00:00Z' }, 'to'],
      [{ from: '2026-10-03' }, 'from'],
      [{ category: 'gossip' }, 'category'],
      [{ ids: '1;drop table' }, 'ids'],
      [{ after: 'yesterday' }, 'after'],
      [{ limit: '5000' }, 'limit'],
      [{ user: 'jonas' }, 'user'],
    ] as const) {
      const res = await search(query);
      expect(res.statusCode, JSON.stringify(query)).toBe(400);
      expect(res.json<{ code: string; errors: { path: string }[] }>()).toMatchObject({
        code: 'validation_failed',
        errors: [{ path: `querystring.${field}` }],
      });
    }
  });

  it('refuses everyone but the security officer, and records the refusal', async () => {
    for (const who of ['alex.', 'jonas.', 'sam.']) {
      const res = await asSession(t.app, await signInDemo(t.app, who), 'GET', '/api/audit/entries');
      expect(res.statusCode, who).toBe(403);
    }
    const refusals = await page({ action: 'readAudit', outcome: 'refused' });
    expect(refusals.entries.map((e) => e.actorName).sort()).toEqual(
      ['Alex Morgan', 'Dr. Jonas Becker', 'Sam Weller'].sort(),
    );
  });
});
