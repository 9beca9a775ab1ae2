import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SIGNAL_CLOSE, SIGNAL_MAX_MESSAGE_BYTES } from '@safeconsult/protocol';
import { auditEntryTable } from '../audit/index.js';
import { consultFixture } from '../test-support/consult-fixture.js';
import { createTestApp, type TestApp } from '../test-support/context.js';
import { SignalClient } from '../test-support/signal-client.js';
import { storeTargets } from '../test-support/stores.js';

const ORIGIN = 'http://localhost:3000';

describe.each(storeTargets())('consult room signaling on %s', (target) => {
  let t: TestApp;
  let base: string;
  let f: Awaited<ReturnType<typeof consultFixture>>;

  beforeAll(async () => {
    t = await createTestApp(target, {
      MFA_REQUIRED_ROLES: 'none',
      PUBLIC_URL: ORIGIN,
      ICE_SERVERS: 'stun:stun.clinic.example:3478',
      TURN_URLS: 'turns:turn.clinic.example:5349',
      TURN_SECRET: 'coturn-shared-secret-1234',
    });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    if (!address || typeof address === 'string') throw new Error('not listening');
    base = `ws://127.0.0.1:${address.port}`;
    f = await consultFixture(t.app, t.ctx);
  });
  afterAll(() => t.close());

  const url = (appointmentId: string) => `${base}/api/consults/${appointmentId}/signal`;
  async function connect(appointmentId: string, cookie: string) {
    const result = await SignalClient.connect(url(appointmentId), { origin: ORIGIN, cookie });
    if (!('client' in result)) throw new Error(`refused with ${result.status}`);
    return result.client;
  }
  const refusal = async (appointmentId: string, headers: Record<string, string>) => {
    const result = await SignalClient.connect(url(appointmentId), headers);
    if ('client' in result) {
      result.client.close();
      return 101;
    }
    return result.status;
  };

  const consultEntries = async (appointmentId: string) =>
    t.ctx.store.db
      .select({
        action: auditEntryTable.action,
        outcome: auditEntryTable.outcome,
        patientId: auditEntryTable.patientId,
        detail: auditEntryTable.detail,
      })
      .from(auditEntryTable)
      .where(
        and(
          eq(auditEntryTable.category, 'consult'),
          sql`${auditEntryTable.resource}->>'id' = ${appointmentId}`,
        ),
      )
      .orderBy(auditEntryTable.id);

  /** The room's own events in the ledger, in order; refusals aside. */
  const roomEvents = async (appointmentId: string) =>
    (await consultEntries(appointmentId))
      .map((e) => e.action)
      .filter((a) => !a.startsWith('signal_'));

  /**
   * Locks the room and waits for the clinician to see it: room events reach each socket in order,
   * so anything relayed before has arrived by then.
   */
  async function roundTrip(clinician: SignalClient) {
    clinician.send({ type: 'lock', locked: true });
    await clinician.take('state', (s) => s.status === 'locked');
  }

  /** Clinician and patient in one room, the patient admitted. */
  async function admittedPair() {
    const { appointmentId, patientCookie } = await f.consult();
    const clinician = await connect(appointmentId, f.clinician.session.cookie);
    const cWelcome = await clinician.take('welcome');
    const patient = await connect(appointmentId, patientCookie);
    const pWelcome = await patient.take('welcome');
    await clinician.take('state', (s) =>
      s.participants.some((p) => p.id === pWelcome.participantId),
    );
    clinician.send({ type: 'admit', participantId: pWelcome.participantId });
    await patient.take('state', (s) => s.you.state === 'admitted');
    await clinician.take('state', (s) =>
      s.participants.some((p) => p.id === pWelcome.participantId && p.state === 'admitted'),
    );
    return {
      appointmentId,
      patientCookie,
      clinician,
      patient,
      clinicianId: cWelcome.participantId,
      patientId: pWelcome.participantId,
    };
  }

  it('refuses a foreign origin, no session, and a patient of another consult before upgrading', async () => {
    const first = await f.consult();
    const second = await f.consult();
    const staffCookie = f.clinician.session.cookie;
    expect(
      await refusal(first.appointmentId, { origin: 'https://evil.example', cookie: staffCookie }),
    ).toBe(403);
    expect(await refusal(first.appointmentId, { cookie: staffCookie })).toBe(403);
    expect(await refusal(first.appointmentId, { origin: ORIGIN })).toBe(401);
    expect(
      await refusal(first.appointmentId, { origin: ORIGIN, cookie: 'safeconsult_session=forged' }),
    ).toBe(401);
    expect(
      await refusal(second.appointmentId, { origin: ORIGIN, cookie: first.patientCookie }),
    ).toBe(403);
    // Front desk books consults but does not sit in them.
    const desk = await f.staff('front_desk', 'Sam');
    expect(
      await refusal(first.appointmentId, { origin: ORIGIN, cookie: desk.session.cookie }),
    ).toBe(403);
    // The refusals of the access policy are in the ledger.
    const refused = await t.ctx.store.db
      .select({ actorId: auditEntryTable.actorId })
      .from(auditEntryTable)
      .where(
        and(
          eq(auditEntryTable.category, 'access'),
          eq(auditEntryTable.action, 'joinConsult'),
          eq(auditEntryTable.outcome, 'refused'),
        ),
      );
    expect(refused.map((r) => r.actorId)).toContain(desk.id);
  });

  it('puts the patient in the waiting room, where they cannot send media offers', async () => {
    const { appointmentId, patientCookie } = await f.consult();
    const clinician = await connect(appointmentId, f.clinician.session.cookie);
    const welcome = await clinician.take('welcome');
    expect(welcome.role).toBe('clinician');
    const [stun, turn] = welcome.iceServers;
    expect(stun).toEqual({ urls: ['stun:stun.clinic.example:3478'] });
    expect(turn?.urls).toEqual(['turns:turn.clinic.example:5349']);
    expect(turn?.username).toMatch(new RegExp(`^\\d+:${welcome.participantId}$`));
    expect(turn?.credential).toMatch(/^[A-Za-z0-9+/]{27}=$/);
    expect((await clinician.take('state')).status).toBe('open');

    const patient = await connect(appointmentId, patientCookie);
    const mine = await patient.take('welcome');
    expect(mine.role).toBe('patient');
    const waiting = await patient.take('state');
    expect(waiting.you).toEqual({ id: mine.participantId, state: 'waiting' });
    // A waiting patient sees nobody else.
    expect(waiting.participants.map((p) => p.id)).toEqual([mine.participantId]);
    const list = await clinician.take('state', (s) => s.participants.length === 2);
    const listed = list.participants.find((p) => p.id === mine.participantId);
    expect(listed).toMatchObject({ role: 'patient', name: null, state: 'waiting' });
    expect(Date.parse(listed?.joinedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);

    patient.send({ type: 'offer', to: welcome.participantId, sdp: 'v=0' });
    expect(await patient.take('error')).toMatchObject({ code: 'forbidden', refused: 'offer' });
    patient.send({ type: 'admit', participantId: mine.participantId });
    expect(await patient.take('error')).toMatchObject({ code: 'forbidden', refused: 'admit' });
    await roundTrip(clinician);
    expect(clinician.has('offer')).toBe(false);
    clinician.close();
    patient.close();
  });

  it('relays offer, answer and candidates between clinician and patient once admitted', async () => {
    const room = await admittedPair();
    const { clinician, patient } = room;
    clinician.send({ type: 'offer', to: room.patientId, sdp: 'v=0 offer' });
    expect(await patient.take('offer')).toEqual({
      type: 'offer',
      from: room.clinicianId,
      sdp: 'v=0 offer',
    });
    patient.send({ type: 'answer', to: room.clinicianId, sdp: 'v=0 answer' });
    expect(await clinician.take('answer')).toEqual({
      type: 'answer',
      from: room.patientId,
      sdp: 'v=0 answer',
    });
    const candidate = {
      candidate: 'candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host',
      sdpMid: '0',
      sdpMLineIndex: 0,
    };
    patient.send({ type: 'ice-candidate', to: room.clinicianId, candidate });
    clinician.send({ type: 'ice-candidate', to: room.patientId, candidate: null });
    expect(await clinician.take('ice-candidate')).toEqual({
      type: 'ice-candidate',
      from: room.patientId,
      candidate,
    });
    expect((await patient.take('ice-candidate')).candidate).toBeNull();
    // Addressed to someone not in the room: refused, nobody else receives it.
    patient.send({ type: 'offer', to: '00000000-0000-4000-8000-000000000000', sdp: 'v=0' });
    expect(await patient.take('error')).toMatchObject({ code: 'not_in_room' });
    await roundTrip(clinician);
    expect(clinician.has('offer')).toBe(false);
    // The admitted patient sees who is in, but no host action is theirs.
    patient.send({ type: 'end' });
    expect(await patient.take('error')).toMatchObject({ code: 'forbidden', refused: 'end' });
    clinician.close();
    patient.close();
  });

  it('answers unknown, malformed and oversized messages with clear codes, and records them', async () => {
    const room = await admittedPair();
    const { patient } = room;
    patient.send({ type: 'teleport', to: room.clinicianId });
    expect(await patient.take('error')).toMatchObject({ code: 'unknown_type' });
    patient.send('{not json');
    expect(await patient.take('error')).toMatchObject({ code: 'invalid_message' });
    patient.send({ type: 'offer', to: 'nobody', sdp: 'v=0' });
    expect(await patient.take('error')).toMatchObject({
      code: 'invalid_message',
      refused: 'offer',
    });
    patient.send({
      type: 'offer',
      to: room.clinicianId,
      sdp: 'x'.repeat(SIGNAL_MAX_MESSAGE_BYTES + 1),
    });
    expect(await patient.take('error')).toMatchObject({ code: 'message_too_large' });
    // The socket stays: signaling still works.
    patient.send({ type: 'answer', to: room.clinicianId, sdp: 'v=0' });
    await room.clinician.take('answer');

    const refused = (await consultEntries(room.appointmentId)).filter(
      (e) => e.action === 'signal_refused',
    );
    expect(refused.map((e) => e.detail?.code).sort()).toEqual([
      'invalid_message',
      'message_too_large',
      'unknown_type',
    ]);
    expect(refused.every((e) => e.outcome === 'refused' && e.patientId === f.patientId)).toBe(true);
    room.clinician.close();
    patient.close();
  });

  it('rate-limits a flood, closes the flooding socket, and leaves the others’ call alone', async () => {
    const room = await admittedPair();
    for (let i = 0; i < 200; i++) {
      room.patient.send({ type: 'ice-candidate', to: room.clinicianId, candidate: null });
    }
    expect(await room.patient.take('error')).toMatchObject({ code: 'rate_limited' });
    expect(await room.patient.closed).toBe(SIGNAL_CLOSE.abuse);
    const actions = (await consultEntries(room.appointmentId)).map((e) => e.action);
    expect(actions).toContain('signal_refused');
    expect(actions).toContain('signal_connection_closed');
    // The clinician's socket is still open and the room still answers.
    await roundTrip(room.clinician);
    room.clinician.close();
  });

  it('lets the clinician lock the room and remove a participant, whose session then ends', async () => {
    const room = await admittedPair();
    const token = await f.companionLink(room.appointmentId, 'Jana Novak');
    const companionCookie = await f.join(token);
    room.clinician.send({ type: 'lock', locked: true });
    await room.clinician.take('state', (s) => s.status === 'locked');
    const companion = await connect(room.appointmentId, companionCookie);
    const welcome = await companion.take('welcome');
    const seen = await room.clinician.take('state', (s) =>
      s.participants.some((p) => p.id === welcome.participantId),
    );
    expect(seen.participants.find((p) => p.id === welcome.participantId)).toMatchObject({
      role: 'companion',
      name: 'Jana Novak',
      relationship: 'interpreter',
      state: 'waiting',
    });
    room.clinician.send({ type: 'admit', participantId: welcome.participantId });
    expect(await room.clinician.take('error')).toMatchObject({ code: 'room_locked' });

    room.clinician.send({ type: 'remove', participantId: welcome.participantId });
    await companion.take('removed');
    expect(await companion.closed).toBe(SIGNAL_CLOSE.removed);
    expect(await refusal(room.appointmentId, { origin: ORIGIN, cookie: companionCookie })).toBe(
      401,
    );
    expect(await roomEvents(room.appointmentId)).toEqual([
      'participant_joined',
      'participant_admitted',
      'participant_joined',
      'room_locked',
      'participant_removed',
    ]);
    room.clinician.close();
    room.patient.close();
  });

  it('ends the consult for everyone: sockets close, links and sessions stop working, all in the ledger', async () => {
    const room = await admittedPair();
    const companionToken = await f.companionLink(room.appointmentId, 'Ali Demir');
    room.clinician.send({ type: 'end' });
    await room.patient.take('ended');
    await room.clinician.take('ended');
    expect(await room.patient.closed).toBe(SIGNAL_CLOSE.ended);
    expect(await room.clinician.closed).toBe(SIGNAL_CLOSE.ended);

    expect(await refusal(room.appointmentId, { origin: ORIGIN, cookie: room.patientCookie })).toBe(
      401,
    );
    const session = await t.app.inject({
      url: '/api/join/session',
      headers: { cookie: room.patientCookie },
    });
    expect(session.json()).toEqual({ session: null });
    const inspect = await t.app.inject({
      method: 'POST',
      url: '/api/join/inspect',
      payload: { token: companionToken },
    });
    expect(inspect.json()).toMatchObject({ code: 'token_invalid' });
    // The clinician cannot reopen an ended consult's room.
    const again = await connect(room.appointmentId, f.clinician.session.cookie);
    expect(await again.take('error')).toMatchObject({ code: 'conflict' });
    await again.closed;

    expect(await roomEvents(room.appointmentId)).toEqual([
      'participant_joined',
      'participant_admitted',
      'consult_ended',
    ]);
    const entries = await consultEntries(room.appointmentId);
    expect(entries.every((e) => e.patientId === f.patientId)).toBe(true);
  });

  it('keeps an admitted patient admitted when they reconnect, and closes the older socket', async () => {
    const room = await admittedPair();
    const again = await connect(room.appointmentId, room.patientCookie);
    const welcome = await again.take('welcome');
    expect(welcome.participantId).toBe(room.patientId);
    expect(await room.patient.closed).toBe(SIGNAL_CLOSE.replaced);
    expect((await again.take('state')).you.state).toBe('admitted');
    room.clinician.send({ type: 'offer', to: room.patientId, sdp: 'v=0 again' });
    expect((await again.take('offer')).sdp).toBe('v=0 again');
    room.clinician.close();
    again.close();
  });
});
