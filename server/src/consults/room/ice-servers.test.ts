import { describe, expect, it } from 'vitest';
import { iceServersFor } from './ice-servers.js';

const PARTICIPANT = '0b6c2f1e-7a55-4f0e-9c61-2d1f3b4a5c6d';

describe('ICE servers for a participant', () => {
  it('gives none when none are configured', () => {
    expect(iceServersFor({ stunUrls: [], turn: null }, PARTICIPANT, new Date())).toEqual([]);
  });

  it('gives TURN credentials by the TURN REST convention, expiring, per participant', () => {
    const now = new Date((1764064800 - 240 * 60) * 1000);
    const servers = iceServersFor(
      {
        stunUrls: ['stun:stun.clinic.example:3478'],
        turn: {
          urls: ['turns:turn.clinic.example:5349'],
          secret: 'coturn-shared-secret-1234',
          credentialMs: 240 * 60_000,
        },
      },
      PARTICIPANT,
      now,
    );
    expect(servers).toEqual([
      { urls: ['stun:stun.clinic.example:3478'] },
      {
        urls: ['turns:turn.clinic.example:5349'],
        username: `1764064800:${PARTICIPANT}`,
        // From `openssl dgst -sha1 -hmac <secret> -binary | base64` of the user name.
        credential: 'Fa4qK07bK8Kti1FsAsHuwmWbcbg=',
      },
    ]);
  });
});
