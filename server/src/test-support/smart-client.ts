import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { JWT_BEARER_ASSERTION } from '@safeconsult/protocol';

/** A system client's key pair as a test holds it: the private key, and the public JWKS to register. */
export interface ClientKeys {
  privateKey: CryptoKey;
  alg: 'ES384' | 'RS384';
  kid: string;
  jwks: { keys: JWK[] };
}

export async function clientKeys(alg: 'ES384' | 'RS384' = 'ES384'): Promise<ClientKeys> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  const kid = randomUUID();
  const jwk = { ...(await exportJWK(publicKey)), alg, kid, use: 'sig' };
  return { privateKey, alg, kid, jwks: { keys: [jwk] } };
}

export interface AssertionClaims {
  clientId: string;
  audience: string;
  /** Seconds since the epoch; five minutes from `now` unless given. */
  exp?: number;
  jti?: string;
  now?: Date;
}

/** A client assertion (RFC 7523) signed with the given key, as SMART Backend Services asks. */
export function clientAssertion(keys: ClientKeys, claims: AssertionClaims): Promise<string> {
  const now = Math.floor((claims.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: keys.alg, kid: keys.kid, typ: 'JWT' })
    .setIssuer(claims.clientId)
    .setSubject(claims.clientId)
    .setAudience(claims.audience)
    .setExpirationTime(claims.exp ?? now + 240)
    .setJti(claims.jti ?? randomUUID())
    .sign(keys.privateKey);
}

/** The form body of a client-credentials token request. */
export const tokenRequestBody = (assertion: string, scope: string) =>
  new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER_ASSERTION,
    client_assertion: assertion,
    scope,
  }).toString();
