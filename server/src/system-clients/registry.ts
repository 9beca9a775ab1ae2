import { desc, eq } from 'drizzle-orm';
import { importJWK } from 'jose';
import type { NewSystemClient, PublicJwks, SystemClient } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { systemClient } from './schema.js';

/** What a client may sign its assertions with (SMART Backend Services requires both). */
export const ASSERTION_ALGORITHMS = ['RS384', 'ES384'] as const;

/** Members of a JWK that only a private key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k'];

/**
 * Checks a key set before it is kept: public keys only (a private key pasted by mistake is refused
 * rather than stored), each one usable with an algorithm we accept.
 */
async function assertPublicJwks(jwks: PublicJwks): Promise<void> {
  for (const [i, key] of jwks.keys.entries()) {
    const problem = (message: string) =>
      new AppError('validation_failed', 'The key set is not usable.', [
        { path: `jwks.keys.${i}`, message },
      ]);
    if (PRIVATE_MEMBERS.some((m) => m in key)) {
      throw problem('is a private key; register the public key only');
    }
    const alg = typeof key.alg === 'string' ? key.alg : key.kty === 'EC' ? 'ES384' : 'RS384';
    if (!(ASSERTION_ALGORITHMS as readonly string[]).includes(alg)) {
      throw problem(`uses ${alg}; use one of ${ASSERTION_ALGORITHMS.join(', ')}`);
    }
    try {
      await importJWK(key, alg);
    } catch {
      throw problem(`is not a valid ${alg} public key`);
    }
  }
}

type Row = typeof systemClient.$inferSelect;

const view = (row: Row): SystemClient => ({
  clientId: row.clientId,
  name: row.name,
  jwks: row.jwks,
  scopes: row.scopes,
  disabled: row.disabledAt !== null,
  createdAt: row.createdAt.toISOString(),
  createdBy: row.createdBy,
});

export async function registerClient(
  db: Queryable,
  input: NewSystemClient,
  createdBy: string,
  now: Date,
): Promise<SystemClient> {
  await assertPublicJwks(input.jwks);
  const [row] = await db
    .insert(systemClient)
    .values({ ...input, scopes: [...new Set(input.scopes)], createdBy, createdAt: now })
    .returning();
  return view(row!);
}

export async function listClients(db: Queryable): Promise<SystemClient[]> {
  const rows = await db.select().from(systemClient).orderBy(desc(systemClient.createdAt));
  return rows.map(view);
}

interface ClientChange {
  disabled?: boolean | undefined;
  jwks?: PublicJwks | undefined;
  scopes?: string[] | undefined;
}

/** Changes a client; undefined when there is none with that id. */
export async function changeClient(
  db: Queryable,
  clientId: string,
  change: ClientChange,
  now: Date,
): Promise<SystemClient | undefined> {
  if (change.jwks) await assertPublicJwks(change.jwks);
  const [row] = await db
    .update(systemClient)
    .set({
      ...(change.jwks ? { jwks: change.jwks } : {}),
      ...(change.scopes ? { scopes: [...new Set(change.scopes)] } : {}),
      ...(change.disabled === undefined ? {} : { disabledAt: change.disabled ? now : null }),
    })
    .where(eq(systemClient.clientId, clientId))
    .returning();
  return row ? view(row) : undefined;
}

/** The client that may ask for tokens, if it is registered and not disabled. */
export async function activeClient(db: Queryable, clientId: string): Promise<Row | undefined> {
  const [row] = await db.select().from(systemClient).where(eq(systemClient.clientId, clientId));
  return row && row.disabledAt === null ? row : undefined;
}
