import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify } from 'jose';
import { grantedScopes, JWT_BEARER_ASSERTION } from '@safeconsult/protocol';
import type { Database, Queryable } from '../platform/db/index.js';
import { hashOpaqueToken, newOpaqueToken } from '../platform/crypto/index.js';
import { ASSERTION_ALGORITHMS, activeClient } from './registry.js';
import { clientAccessToken, clientAssertionJti, systemClient } from './schema.js';

/** SMART Backend Services: an access token lives five minutes; an assertion may not reach further. */
const ACCESS_TOKEN_LIFETIME_S = 300;
const MAX_ASSERTION_LIFETIME_S = 300;
/** Clocks of the client and the server differ a little. */
const CLOCK_TOLERANCE_S = 30;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A refusal as RFC 6749 §5.2 names it, with the reason for the audit trail. */
export class TokenRefusal extends Error {
  constructor(
    readonly error:
      'invalid_request' | 'invalid_client' | 'invalid_scope' | 'unsupported_grant_type',
    readonly description: string,
    /** The registered client that asked, when the assertion named one. */
    readonly clientId?: string,
  ) {
    super(description);
  }
}

interface TokenRequest {
  grant_type?: string | undefined;
  client_assertion_type?: string | undefined;
  client_assertion?: string | undefined;
  scope?: string | undefined;
}

interface IssuedToken {
  clientId: string;
  accessToken: string;
  scopes: string[];
  expiresIn: number;
}

/** The client an assertion claims to be, read before its signature is checked (to find its keys). */
function claimedClient(assertion: string): string {
  try {
    const { iss } = decodeJwt(assertion);
    if (typeof iss === 'string' && iss.length > 0) return iss;
  } catch {
    // Not a JWT at all: refused below like any other unusable assertion.
  }
  throw new TokenRefusal('invalid_client', 'The client assertion is not a signed JWT.');
}

/**
 * Checks a client's signed assertion (RFC 7523 as SMART Backend Services profiles it) with the
 * keys registered for it: the signature with an accepted algorithm, iss and sub the client, aud
 * this token endpoint, at most five minutes to expiry, and a jti never used before.
 */
async function verifyAssertion(
  db: Database,
  assertion: string,
  tokenUrl: string,
  now: Date,
): Promise<{ clientId: string; allowedScopes: string[] }> {
  const clientId = claimedClient(assertion);
  const client = UUID.test(clientId) ? await activeClient(db, clientId) : undefined;
  if (!client)
    throw new TokenRefusal('invalid_client', 'The client is not registered or is disabled.');
  const refuse = (description: string) => new TokenRefusal('invalid_client', description, clientId);
  let payload;
  try {
    ({ payload } = await jwtVerify(assertion, createLocalJWKSet(client.jwks), {
      algorithms: [...ASSERTION_ALGORITHMS],
      issuer: clientId,
      subject: clientId,
      audience: tokenUrl,
      requiredClaims: ['exp', 'jti'],
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_S,
    }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw refuse('The client assertion has expired.');
    if (error instanceof joseErrors.JWTClaimValidationFailed) {
      throw refuse(`The client assertion's ${error.claim} claim is not acceptable.`);
    }
    throw refuse('The client assertion is not signed by a registered key of the client.');
  }
  const exp = payload.exp!;
  if (exp > now.getTime() / 1000 + MAX_ASSERTION_LIFETIME_S + CLOCK_TOLERANCE_S) {
    throw refuse('The client assertion expires more than five minutes from now.');
  }
  if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 256) {
    throw refuse("The client assertion's jti claim is not acceptable.");
  }
  // Kept until the assertion expires: an assertion used twice is refused, on any node.
  const used = await db
    .insert(clientAssertionJti)
    .values({ clientId, jti: payload.jti, expiresAt: new Date(exp * 1000) })
    .onConflictDoNothing()
    .returning({ jti: clientAssertionJti.jti });
  if (used.length === 0) throw refuse('The client assertion was already used.');
  return { clientId, allowedScopes: client.scopes };
}

/**
 * The client-credentials grant: a verified assertion and a scope within what the client was
 * registered for buy a five-minute opaque access token, of which only the hash is kept.
 */
export async function exchangeAssertion(
  db: Database,
  request: TokenRequest,
  tokenUrl: string,
  now: Date,
): Promise<IssuedToken> {
  if (request.grant_type !== 'client_credentials') {
    throw new TokenRefusal('unsupported_grant_type', 'Only client_credentials is supported.');
  }
  if (request.client_assertion_type !== JWT_BEARER_ASSERTION || !request.client_assertion) {
    throw new TokenRefusal(
      'invalid_request',
      `Send client_assertion_type=${JWT_BEARER_ASSERTION} and a client_assertion.`,
    );
  }
  if (!request.scope?.trim()) throw new TokenRefusal('invalid_request', 'Send the scope wanted.');
  const { clientId, allowedScopes } = await verifyAssertion(
    db,
    request.client_assertion,
    tokenUrl,
    now,
  );
  // Housekeeping for clients that proved who they are, not for anyone who posts.
  await forgetExpired(db, now);
  const scopes = grantedScopes(request.scope.trim().split(/\s+/), allowedScopes);
  if (scopes.length === 0) {
    throw new TokenRefusal(
      'invalid_scope',
      'None of the scopes asked for is granted to this client.',
      clientId,
    );
  }
  const accessToken = newOpaqueToken();
  await db.insert(clientAccessToken).values({
    tokenHash: hashOpaqueToken(accessToken),
    clientId,
    scopes,
    issuedAt: now,
    expiresAt: new Date(now.getTime() + ACCESS_TOKEN_LIFETIME_S * 1000),
  });
  return { clientId, accessToken, scopes, expiresIn: ACCESS_TOKEN_LIFETIME_S };
}

/** Spent assertion ids and tokens are of no further use once expired. */
async function forgetExpired(db: Queryable, now: Date) {
  await db.delete(clientAssertionJti).where(lt(clientAssertionJti.expiresAt, now));
  await db.delete(clientAccessToken).where(lt(clientAccessToken.expiresAt, now));
}

/** The client and scopes behind a live access token of a client that is not disabled. */
export async function clientOfToken(db: Queryable, token: string, now: Date) {
  const [row] = await db
    .select({ clientId: clientAccessToken.clientId, scopes: clientAccessToken.scopes })
    .from(clientAccessToken)
    .innerJoin(systemClient, eq(systemClient.clientId, clientAccessToken.clientId))
    .where(
      and(
        eq(clientAccessToken.tokenHash, hashOpaqueToken(token)),
        gt(clientAccessToken.expiresAt, now),
        isNull(systemClient.disabledAt),
      ),
    );
  return row;
}
