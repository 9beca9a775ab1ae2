import { and, eq } from 'drizzle-orm';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import type { z } from 'zod';
import type {
  authenticationResponseSchema,
  PasskeyCeremony,
  PasskeySummary,
  registrationResponseSchema,
} from '@safeconsult/protocol';
import type { Queryable } from '../../platform/db/index.js';
import { passkey } from '../schema.js';
import { storeChallenge, takeChallenge, type ChallengePurpose } from './challenges.js';
import type { RelyingParty } from './relying-party.js';

type RegistrationResponse = z.infer<typeof registrationResponseSchema>;
type AuthenticationResponse = z.infer<typeof authenticationResponseSchema>;

/** Every ceremony asks the authenticator to verify the person (PIN, fingerprint, face). */
const USER_VERIFICATION = 'required' as const;

/** The library's option types are closed interfaces; on the wire they are open JSON objects. */
const ceremony = (challengeId: string, options: { challenge: string }): PasskeyCeremony => ({
  challengeId,
  options,
});

export async function listPasskeys(db: Queryable, userId: string): Promise<PasskeySummary[]> {
  const rows = await db.select().from(passkey).where(eq(passkey.userId, userId));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.createdAt.toISOString(),
    lastUsedAt: r.lastUsedAt?.toISOString() ?? null,
    synced: r.deviceType === 'multiDevice',
  }));
}

export async function countPasskeys(db: Queryable, userId: string): Promise<number> {
  return (await db.select({ id: passkey.id }).from(passkey).where(eq(passkey.userId, userId)))
    .length;
}

export async function registrationCeremony(
  db: Queryable,
  rp: RelyingParty,
  rpName: string,
  user: { id: string; email: string; displayName: string },
  now: Date,
): Promise<PasskeyCeremony> {
  const existing = await db
    .select({ id: passkey.id, transports: passkey.transports })
    .from(passkey)
    .where(eq(passkey.userId, user.id));
  const options = await generateRegistrationOptions({
    rpName,
    rpID: rp.id,
    userName: user.email,
    userDisplayName: user.displayName,
    // The account id, not the e-mail address, is what the authenticator keeps as the user handle.
    userID: new TextEncoder().encode(user.id),
    attestationType: 'none',
    // Discoverable, so the passkey can also sign in without typing an e-mail address.
    authenticatorSelection: { residentKey: 'required', userVerification: USER_VERIFICATION },
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
  });
  const challengeId = await storeChallenge(db, options.challenge, 'register', user.id, now);
  return ceremony(challengeId, options);
}

/** Verifies a new passkey's attestation against its challenge and keeps its public key. */
export async function registerPasskey(
  db: Queryable,
  rp: RelyingParty,
  userId: string,
  answer: { challengeId: string; name: string; credential: RegistrationResponse },
  now: Date,
): Promise<PasskeySummary | undefined> {
  const challenge = await takeChallenge(db, answer.challengeId, 'register', userId, now);
  if (!challenge) return undefined;
  const result = await verifyRegistrationResponse({
    response: answer.credential,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
  }).catch(() => undefined);
  if (!result?.verified) return undefined;
  const { credential, credentialDeviceType, credentialBackedUp } = result.registrationInfo;
  const [row] = await db
    .insert(passkey)
    .values({
      id: credential.id,
      userId,
      publicKey: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: credential.transports ?? [],
      deviceType: credentialDeviceType,
      backedUp: credentialBackedUp,
      name: answer.name,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: null,
    synced: row.deviceType === 'multiDevice',
  };
}

/**
 * A challenge to prove a passkey: for one user (second factor, re-authentication) it lists that
 * user's passkeys; for a sign-in it lists none, and the browser offers whichever it holds.
 */
export async function authenticationCeremony(
  db: Queryable,
  rp: RelyingParty,
  purpose: Exclude<ChallengePurpose, 'register'>,
  userId: string | null,
  now: Date,
): Promise<PasskeyCeremony> {
  const allowed = userId
    ? await db
        .select({ id: passkey.id, transports: passkey.transports })
        .from(passkey)
        .where(eq(passkey.userId, userId))
    : [];
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: USER_VERIFICATION,
    allowCredentials: allowed.map((c) => ({ id: c.id, transports: c.transports })),
  });
  const challengeId = await storeChallenge(db, options.challenge, purpose, userId, now);
  return ceremony(challengeId, options);
}

/**
 * Checks a passkey's signature over the challenge, and that its counter moved on (a cloned
 * authenticator would replay an old one). Returns the passkey's owner, or nothing.
 */
export async function verifyPasskey(
  db: Queryable,
  rp: RelyingParty,
  purpose: Exclude<ChallengePurpose, 'register'>,
  userId: string | null,
  answer: { challengeId: string; credential: AuthenticationResponse },
  now: Date,
): Promise<{ userId: string; passkeyId: string } | undefined> {
  const challenge = await takeChallenge(db, answer.challengeId, purpose, userId, now);
  if (!challenge) return undefined;
  const [stored] = await db
    .select()
    .from(passkey)
    .where(
      userId
        ? and(eq(passkey.id, answer.credential.id), eq(passkey.userId, userId))
        : eq(passkey.id, answer.credential.id),
    );
  if (!stored) return undefined;
  const result = await verifyAuthenticationResponse({
    response: answer.credential,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    requireUserVerification: true,
    credential: {
      id: stored.id,
      publicKey: new Uint8Array(Buffer.from(stored.publicKey, 'base64url')),
      counter: stored.counter,
      transports: stored.transports,
    },
  }).catch(() => undefined);
  if (!result?.verified) return undefined;
  await db
    .update(passkey)
    .set({ counter: result.authenticationInfo.newCounter, lastUsedAt: now })
    .where(eq(passkey.id, stored.id));
  return { userId: stored.userId, passkeyId: stored.id };
}

export async function deletePasskey(db: Queryable, userId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(passkey)
    .where(and(eq(passkey.id, id), eq(passkey.userId, userId)))
    .returning({ id: passkey.id });
  return deleted.length > 0;
}
