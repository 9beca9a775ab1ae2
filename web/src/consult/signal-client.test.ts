import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SIGNAL_CLOSE } from '@safeconsult/protocol';
import { SignalClient, type SignalHandlers } from './signal-client.js';

/** A stand-in for the browser's WebSocket that the test drives by hand. */
class FakeSocket extends EventTarget {
  static readonly OPEN = 1;
  static readonly CLOSED = 3;
  static made: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  constructor(readonly url: string) {
    super();
    FakeSocket.made.push(this);
  }
  send(data: string) {
    this.sent.push(data);
  }
  close(code = 1000) {
    this.drop(code);
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  receive(data: unknown) {
    this.dispatchEvent(Object.assign(new Event('message'), { data: JSON.stringify(data) }));
  }
  drop(code: number) {
    this.readyState = FakeSocket.CLOSED;
    this.dispatchEvent(Object.assign(new Event('close'), { code }));
  }
}

const APPOINTMENT = '00000000-0000-4000-8000-0000000000a1';
const ME = '00000000-0000-4000-8000-0000000000b2';
const PEER = '00000000-0000-4000-8000-0000000000c3';

function start(handlers: SignalHandlers = {}) {
  const client = new SignalClient(APPOINTMENT, handlers);
  const socket = FakeSocket.made.at(-1)!;
  socket.open();
  return { client, socket };
}

describe('SignalClient', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.made = [];
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal(
      'window',
      Object.assign(new EventTarget(), {
        location: { protocol: 'https:', host: 'clinic.example' },
      }),
    );
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('connects to the room of the appointment, over TLS when the page is', () => {
    start();
    expect(FakeSocket.made[0]?.url).toBe(`wss://clinic.example/api/consults/${APPOINTMENT}/signal`);
  });

  it('hands on server messages that match the protocol and drops those that do not', () => {
    const offers: string[] = [];
    const { socket } = start({ offer: (m) => offers.push(m.sdp) });
    socket.receive({ type: 'offer', from: PEER, sdp: 'v=0' });
    socket.receive({ type: 'offer', from: 'not-an-id', sdp: 'v=0' });
    socket.receive({ type: 'offer', from: PEER });
    expect(offers).toEqual(['v=0']);
  });

  it('sends only messages the protocol allows', () => {
    const { client, socket } = start();
    expect(client.send({ type: 'offer', to: PEER, sdp: 'v=0' })).toBe(true);
    expect(client.send({ type: 'admit', participantId: 'someone' })).toBe(false);
    expect(socket.sent.map((s) => JSON.parse(s) as unknown)).toEqual([
      { type: 'offer', to: PEER, sdp: 'v=0' },
    ]);
  });

  it('reconnects after a network loss, and the server greets it again', () => {
    const links: string[] = [];
    const welcomes: string[] = [];
    const { socket } = start({
      onLink: (s) => links.push(s),
      welcome: (m) => welcomes.push(m.participantId),
    });
    socket.drop(1006);
    expect(links.at(-1)).toBe('reconnecting');
    vi.advanceTimersByTime(1_000);
    expect(FakeSocket.made).toHaveLength(2);
    const again = FakeSocket.made[1]!;
    again.open();
    again.receive({
      type: 'welcome',
      participantId: ME,
      role: 'patient',
      iceServers: [],
      storage: { keptBy: 'Riverside Family Practice', retentionYears: 10 },
    });
    expect(links.at(-1)).toBe('open');
    expect(welcomes).toEqual([ME]);
  });

  it('ends the call on the application close codes, without reconnecting', () => {
    for (const [code, reason] of [
      [SIGNAL_CLOSE.ended, 'ended'],
      [SIGNAL_CLOSE.removed, 'removed'],
      [SIGNAL_CLOSE.replaced, 'replaced'],
      [SIGNAL_CLOSE.sessionEnded, 'sessionEnded'],
    ] as const) {
      FakeSocket.made = [];
      const ends: string[] = [];
      const { socket } = start({ onEnd: (r) => ends.push(r) });
      socket.drop(code);
      vi.advanceTimersByTime(60_000);
      expect(ends).toEqual([reason]);
      expect(FakeSocket.made).toHaveLength(1);
    }
  });

  it('ends the call once when the server says it has ended, then closes', () => {
    const ends: string[] = [];
    const { socket } = start({ onEnd: (r) => ends.push(r) });
    socket.receive({ type: 'ended' });
    socket.drop(SIGNAL_CLOSE.ended);
    expect(ends).toEqual(['ended']);
  });
});
