import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { desc, eq, sql } from 'drizzle-orm';
import type {
  PatientReach,
  PolicyFile,
  RecordSectionView,
  WhatIfResult,
} from '@safeconsult/protocol';
import { DEMO_PATIENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD, seedDemoClinic } from '../demo/index.js';
import { listMessages } from '../outbox/index.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { asSession, heldSession, type HeldSession } from '../test-support/staff-client.js';
import { storeTargets } from '../test-support/stores.js';
import { auditEntryTable as ledger } from '../audit/index.js';

const [MARIA, DANIEL, LENA] = DEMO_PATIENTS.map((p) => p.patient.id!) as [string, string, string];
const staffId = (prefix: string) => DEMO_STAFF.find((s) => s.email.startsWith(prefix))!.id;

describe.each(storeTargets())('the access policy decides every request on %s', (target) => {
  let t: TestApp;
  const sessions = new Map<string, HeldSession>();

  /** A fresh sign-in, which also counts as recent authentication for sensitive actions. */
  async function as(prefix: string): Promise<HeldSession> {
    const email = DEMO_STAFF.find((s) => s.email.startsWith(prefix))!.email;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      payload: { email, password: DEMO_STAFF_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const held = heldSession(res);
    sessions.set(prefix, held);
    return held;
  }
  const session = async (prefix: string) => sessions.get(prefix) ?? as(prefix);
  const section = async (who: string, patientId: string, name: string) =>
    asSession(t.app, await session(who), 'GET', `/api/patients/${patientId}/sections/${name}`);

  beforeAll(async () => {
    t = await createTestApp(target, { MFA_REQUIRED_ROLES: 'none' });
    await seedDemoClinic(t.ctx);
  });
  afterAll(() => t.close());

  it('lets the care team read clinical content, and no one unrelated, at the desk or in admin', async () => {
    const becker = await section('jonas.', DANIEL, 'problems');
    expect(becker.statusCode).toBe(200);
    expect(becker.json<RecordSectionView>().items.length).toBeGreaterThan(0);
    expect(becker.json<RecordSectionView>().allowedBy.map((p) => p.id)).toEqual(['care-team']);

    for (const who of ['amara.', 'sam.', 'alex.', 'priya.', 'leah.']) {
      const res = await section(who, LENA, 'problems');
      expect(res.statusCode, who).toBe(404);
      expect(res.json()).toMatchObject({ code: 'not_found' });
    }
    // The desk sees what booking needs, never the clinical record.
    expect((await section('sam.', LENA, 'demographics')).statusCode).toBe(200);
    expect((await section('sam.', LENA, 'medications')).statusCode).toBe(404);
  });

  it('gives a consult’s clinician the record around the booked time only', async () => {
    expect((await section('amara.', MARIA, 'observations')).statusCode).toBe(200);
    const later = t.ctx.now;
    t.ctx.now = () => new Date(Date.now() + 3 * 86_400_000);
    try {
      const res = await asSession(
        t.app,
        await as('amara.'),
        'GET',
        `/api/patients/${MARIA}/sections/observations`,
      );
      // Still on Maria's care team in the demo: the window is not the only relationship.
      expect(res.statusCode).toBe(200);
      expect(res.json<RecordSectionView>().allowedBy.map((p) => p.id)).toEqual(['care-team']);
    } finally {
      t.ctx.now = later;
      sessions.delete('amara.');
    }
  });

  it('leaves out content the patient withheld, and a directive shuts out a permitted clinician', async () => {
    const lena = (await section('jonas.', LENA, 'problems')).json<RecordSectionView>();
    const shown = lena.items.map((i) => JSON.stringify(i));
    expect(shown.some((s) => s.includes('Hypothyroidism'))).toBe(true);
    expect(shown.some((s) => s.includes('anxiety'))).toBe(false);

    const nurse = await session('tomasz.');
    const added = await asSession(
      t.app,
      nurse,
      'POST',
      `/api/patients/${LENA}/consent-directives`,
      {
        kind: 'exclude_staff',
        userId: staffId('jonas.'),
      },
    );
    expect(added.statusCode).toBe(201);
    expect((await section('jonas.', LENA, 'problems')).statusCode).toBe(404);
    expect((await section('jonas.', LENA, 'demographics')).statusCode).toBe(404);

    const revoked = await asSession(
      t.app,
      nurse,
      'DELETE',
      `/api/patients/${LENA}/consent-directives/${added.json<{ id: string }>().id}`,
    );
    expect(revoked.statusCode).toBe(204);
    expect((await section('jonas.', LENA, 'problems')).statusCode).toBe(200);
  });

  it('records each refusal and each read of patient data with the deciding policy', async () => {
    const accessEntries = () =>
      t.ctx.store.db.select().from(ledger).where(eq(ledger.category, 'access'));
    const before = await accessEntries();
    await section('alex.', LENA, 'problems');
    await section('jonas.', LENA, 'allergies');
    const rows = await t.ctx.store.db
      .select()
      .from(ledger)
      .where(eq(ledger.category, 'access'))
      .orderBy(desc(ledger.id))
      .limit(2);
    expect((await accessEntries()).length).toBe(before.length + 2);
    expect(rows[1]).toMatchObject({
      actorType: 'staff',
      actorId: staffId('alex.'),
      actorRole: 'admin',
      action: 'readRecord',
      patientId: LENA,
      outcome: 'refused',
      policies: ['no-clinical-outside-care'],
    });
    expect(rows[0]).toMatchObject({
      actorId: staffId('jonas.'),
      outcome: 'allowed',
      policies: ['care-team'],
      resource: { type: 'RecordSection', patientId: LENA, section: 'allergies' },
      address: '127.0.0.1',
    });
    // Identifiers only: nothing of the record's content is in the entry.
    expect(JSON.stringify(rows)).not.toMatch(/Lena|Fischer/);
  });

  it('sends no record whose read could not be committed to the ledger', async () => {
    // A read's entry is written while the handler reads; the answer must still wait for it.
    const { db } = t.ctx.store;
    await session('jonas.'); // signing in writes to the ledger too
    await db.execute(sql`
      create function refuse_audit_entry() returns trigger language plpgsql
        as $$ begin raise exception 'the ledger is unavailable'; end $$`);
    await db.execute(sql`
      create trigger refuse_audit_entry before insert on audit_entry
        for each row execute function refuse_audit_entry()`);
    try {
      const res = await section('jonas.', LENA, 'problems');
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toMatch(/Lena|Fischer|items/);
    } finally {
      await db.execute(sql`drop trigger refuse_audit_entry on audit_entry`);
      await db.execute(sql`drop function refuse_audit_entry`);
    }
    expect((await section('jonas.', LENA, 'problems')).statusCode).toBe(200);
  });

  it('lists for each clinician only the patients they may see, with the relationship', async () => {
    const list = async (who: string) =>
      (await asSession(t.app, await session(who), 'GET', '/api/patients')).json<{
        patients: { id: string; relationship: string }[];
      }>().patients;
    expect((await list('jonas.')).map((p) => p.id).sort()).toEqual([DANIEL, LENA].sort());
    expect(await list('amara.')).toEqual([
      expect.objectContaining({ id: MARIA, relationship: 'care_team' }),
    ]);
    expect(await list('sam.')).toHaveLength(3);
    // An administrator has no business with the patient list at all.
    expect(
      (await asSession(t.app, await session('alex.'), 'GET', '/api/patients')).statusCode,
    ).toBe(403);
  });

  it('grants emergency access for a limited time, alerts the security officer, and lists it for review', async () => {
    const amara = await as('amara.');
    const lookup = await asSession(t.app, amara, 'POST', '/api/patients/lookup', {
      mrn: 'RFP-100912',
    });
    expect(lookup.json()).toEqual({ patientId: LENA, reachable: false });

    const desk = await asSession(
      t.app,
      await session('sam.'),
      'POST',
      `/api/patients/${LENA}/emergency-access`,
      {
        reason: 'Collapsed in the waiting room; allergies needed now.',
      },
    );
    expect(desk.statusCode).toBe(403);
    const tooShort = await asSession(
      t.app,
      amara,
      'POST',
      `/api/patients/${LENA}/emergency-access`,
      { reason: 'now' },
    );
    expect(tooShort.statusCode).toBe(400);

    const granted = await asSession(
      t.app,
      amara,
      'POST',
      `/api/patients/${LENA}/emergency-access`,
      {
        reason: 'Collapsed in the waiting room; allergies needed now.',
      },
    );
    expect(granted.statusCode).toBe(201);
    const grant = granted.json<{ id: string; startedAt: string; expiresAt: string }>();
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.startedAt)).toBe(60 * 60_000);

    const read = await section('amara.', LENA, 'allergies');
    expect(read.statusCode).toBe(200);
    expect(read.json<RecordSectionView>().allowedBy.map((p) => p.id)).toEqual(['emergency-access']);
    // Consent still holds in an emergency: the withheld mental-health entry stays out.
    const problems = (await section('amara.', LENA, 'problems')).json<RecordSectionView>();
    expect(JSON.stringify(problems.items)).not.toContain('anxiety');

    const alerts = (await listMessages(t.ctx.store.db, t.ctx.fields, 50)).filter(
      (m) => m.purpose === 'security_alert',
    );
    expect(alerts.map((m) => m.recipient)).toEqual(['priya.natarajan@riverside.example']);
    expect(alerts[0]!.body).not.toContain('Fischer');

    const officer = await session('priya.');
    const review = await asSession(t.app, officer, 'GET', '/api/access/emergency');
    expect(review.json<{ grants: { id: string; reviewedAt: null }[] }>().grants[0]).toMatchObject({
      id: grant.id,
      reason: 'Collapsed in the waiting room; allergies needed now.',
      reviewedAt: null,
    });
    const reviewed = await asSession(
      t.app,
      officer,
      'POST',
      `/api/access/emergency/${grant.id}/review`,
      {
        note: 'Confirmed with the ward: genuine emergency.',
      },
    );
    expect(reviewed.statusCode).toBe(200);
    expect(reviewed.json()).toMatchObject({ reviewedBy: 'Priya Natarajan' });
    expect((await asSession(t.app, amara, 'GET', '/api/access/emergency')).statusCode).toBe(403);

    const expired = t.ctx.now;
    t.ctx.now = () => new Date(Date.now() + 61 * 60_000);
    try {
      const res = await asSession(
        t.app,
        await as('amara.'),
        'GET',
        `/api/patients/${LENA}/sections/allergies`,
      );
      expect(res.statusCode).toBe(404);
    } finally {
      t.ctx.now = expired;
      sessions.delete('amara.');
    }
  });

  it('shows the security officer who can reach a patient and which policy decides', async () => {
    const res = await asSession(
      t.app,
      await session('priya.'),
      'GET',
      `/api/access/patients/${DANIEL}/reach?section=clinical_notes`,
    );
    expect(res.statusCode).toBe(200);
    const byName = new Map(res.json<PatientReach>().staff.map((s) => [s.displayName, s]));
    expect(byName.get('Dr. Jonas Becker')!.read).toMatchObject({
      decision: 'allow',
      policies: [{ id: 'care-team', effect: 'permit' }],
    });
    expect(byName.get('Dr. Amara Okafor')!.read).toMatchObject({
      decision: 'deny',
      policies: [{ id: 'consent-excluded-staff' }],
    });
    expect(byName.get('Sam Weller')!.read).toMatchObject({
      decision: 'deny',
      policies: [{ id: 'front-desk-no-clinical' }],
    });
    expect(byName.get('Dr. Leah Stein')!.read.policies[0]!.explanation).toContain(
      'never read or write clinical content',
    );
    expect(
      (
        await asSession(
          t.app,
          await session('jonas.'),
          'GET',
          `/api/access/patients/${DANIEL}/reach`,
        )
      ).statusCode,
    ).toBe(403);
  });

  it('tries a proposed policy, adopts it after re-authentication, and rolls it back', async () => {
    const officer = await as('priya.');
    const state = (await asSession(t.app, officer, 'GET', '/api/access/policy')).json<{
      version: number;
      files: PolicyFile[];
    }>();
    const broken = state.files.map((f) =>
      f.name === 'front-desk.cedar'
        ? {
            ...f,
            text: f.text + '\npermit (principal, action, resource) when { resource.nope };\n',
          }
        : f,
    );
    const invalid = (
      await asSession(t.app, officer, 'POST', '/api/access/policy/what-if', { files: broken })
    ).json<WhatIfResult>();
    expect(invalid.valid).toBe(false);
    expect(invalid.problems[0]?.file).toBe('front-desk.cedar');
    expect(invalid.problems[0]?.line).toBeGreaterThan(1);
    const refused = await asSession(t.app, officer, 'POST', '/api/access/policy/versions', {
      files: broken,
      basedOn: state.version,
      note: 'broken',
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'policy_invalid' });

    // The proposal: the front desk no longer sees demographics.
    const withoutDesk = state.files.map((f) =>
      f.name === 'front-desk.cedar'
        ? { ...f, text: f.text.replace(/@id\("front-desk-administrative"\)[\s\S]*?\);\n/, '') }
        : f,
    );
    const sample = {
      userId: staffId('sam.'),
      action: 'readRecord',
      resource: { type: 'RecordSection', patientId: LENA, section: 'demographics' },
    };
    const tried = (
      await asSession(t.app, officer, 'POST', '/api/access/policy/what-if', {
        files: withoutDesk,
        samples: [sample],
      })
    ).json<WhatIfResult>();
    expect(tried.valid).toBe(true);
    expect(tried.samples[0]).toMatchObject({
      changed: true,
      current: { decision: 'allow', policies: [{ id: 'front-desk-administrative' }] },
      proposed: { decision: 'deny', policies: [] },
    });
    expect(tried.changedRecent.some((o) => o.request.role === 'front_desk')).toBe(true);

    const adopted = await asSession(t.app, officer, 'POST', '/api/access/policy/versions', {
      files: withoutDesk,
      basedOn: state.version,
      note: 'Desk books by record number only.',
    });
    expect(adopted.statusCode).toBe(201);
    expect(adopted.json()).toMatchObject({ version: state.version + 1 });
    expect((await section('sam.', LENA, 'demographics')).statusCode).toBe(404);

    const stale = await asSession(t.app, officer, 'POST', '/api/access/policy/versions', {
      files: state.files,
      basedOn: state.version,
      note: 'stale edit',
    });
    expect(stale.statusCode).toBe(409);
    const restored = await asSession(
      t.app,
      officer,
      'POST',
      `/api/access/policy/versions/${state.version}/restore`,
      { basedOn: state.version + 1, note: 'Roll back.' },
    );
    expect(restored.statusCode).toBe(201);
    expect(restored.json()).toMatchObject({ version: state.version + 2 });
    expect((await section('sam.', LENA, 'demographics')).statusCode).toBe(200);

    const admin = await as('alex.');
    expect(
      (
        await asSession(t.app, admin, 'POST', '/api/access/policy/versions', {
          files: state.files,
          basedOn: state.version + 2,
          note: 'admin',
        })
      ).statusCode,
    ).toBe(403);
  });
});
