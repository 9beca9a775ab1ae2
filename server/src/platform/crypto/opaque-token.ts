import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer tokens for links and cookies: 256 random bits, base64url. Only a token's SHA-256 is ever
 * stored, so a copy of the store cannot be replayed as a credential.
 */
export const newOpaqueToken = () => randomBytes(32).toString('base64url');

export const hashOpaqueToken = (token: string) =>
  createHash('sha256').update(token).digest('base64url');

/** The shape every token takes; anything else is refused before the store is asked. */
export const OPAQUE_TOKEN_FORMAT = /^[\w-]{43}$/;
