import { describe, expect, it } from 'vitest';
import { signalClientMessageSchema } from '@safeconsult/protocol';
import { iceCandidate, sentAt, sessionDescription } from './signaling-wire.js';

const to = '0b6f3c58-5d0e-4d57-9a3e-2f4a1c9e7b10';

describe('the signaling bench payloads', () => {
  it('are messages the room accepts, of a browser’s size, carrying their send time', () => {
    const offer = { type: 'offer', to, sdp: sessionDescription('offer', 7, 1234.5678) };
    const candidate = { type: 'ice-candidate', to, candidate: iceCandidate(7, 99.25) };
    expect(signalClientMessageSchema.safeParse(offer).success).toBe(true);
    expect(signalClientMessageSchema.safeParse(candidate).success).toBe(true);
    expect(offer.sdp.length).toBeGreaterThan(1_000);
    expect(offer.sdp.length).toBeLessThan(3_000);
    // The server relays the payload inside its own JSON; the time is read back from that text.
    expect(sentAt(JSON.stringify({ type: 'offer', from: to, sdp: offer.sdp }))).toBe(1234.568);
    expect(sentAt(JSON.stringify(candidate))).toBe(99.25);
    expect(sentAt('{"type":"state"}')).toBeUndefined();
  });
});
