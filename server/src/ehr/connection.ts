import { eq } from 'drizzle-orm';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import type { EhrConnection, EhrConnectionInput, PublicJwks } from '@safeconsult/protocol';
import type { FieldProtection } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { ehrConnection } from './schema.js';

const ID = 'default';
/** The algorithm of the key pair we make; SMART Backend Services requires EHRs to accept it. */
export const CONNECTOR_ALG = 'ES384';

export const secretContext = (column: 'private_key' | 'bearer_token') =>
  `ehr_connection.${column}:${ID}`;

/** What the connector needs to reach the EHR, secrets unsealed; only the server holds it. */
export type EhrSettings = {
  baseUrl: string;
  patientIdentifierSystem: string;
  /** Changes whenever the settings do: a cached access token belongs to one version. */
  version: string;
} & (
  | { kind: 'smart-backend'; clientId: string; scopes: string[]; privateKey: JWK }
  | { kind: 'bearer'; token: string }
);

type Row = typeof ehrConnection.$inferSelect;

/** Writes the one connection row, made on its first save. */
async function writeRow(db: Queryable, values: Omit<typeof ehrConnection.$inferInsert, 'id'>) {
  await db
    .insert(ehrConnection)
    .values({ id: ID, ...values })
    .onConflictDoUpdate({ target: ehrConnection.id, set: values });
}

async function readRow(db: Queryable): Promise<Row | undefined> {
  const [row] = await db.select().from(ehrConnection).where(eq(ehrConnection.id, ID));
  return row;
}

/** The connection as the administrator sees it: no private key, no bearer token. */
export async function connectionView(db: Queryable): Promise<EhrConnection> {
  const row = await readRow(db);
  return {
    baseUrl: row?.baseUrl ?? null,
    patientIdentifierSystem: row?.patientIdentifierSystem ?? null,
    authKind: (row?.authKind as EhrConnection['authKind']) ?? null,
    clientId: row?.clientId ?? null,
    scopes: row?.scopes ?? [],
    publicJwks: row?.publicJwks ?? null,
    hasBearerToken: row?.bearerToken != null,
  };
}

/**
 * Makes a new key pair for SMART Backend Services, replacing any earlier one: the private key is
 * sealed in the store, the public key set is returned to be registered with the EHR.
 */
export async function newKeyPair(db: Queryable, fields: FieldProtection, by: string, now: Date) {
  const { privateKey, publicKey } = await generateKeyPair(CONNECTOR_ALG, { extractable: true });
  const kid = randomUUID();
  const privateJwk = { ...(await exportJWK(privateKey)), alg: CONNECTOR_ALG, kid };
  // An ES384 key is an elliptic-curve (P-384) key.
  const publicJwks: PublicJwks = {
    keys: [{ ...(await exportJWK(publicKey)), kty: 'EC', alg: CONNECTOR_ALG, kid, use: 'sig' }],
  };
  const values = {
    privateKey: fields.encryptJson(privateJwk, secretContext('private_key')),
    publicJwks,
    updatedBy: by,
    updatedAt: now,
  };
  await writeRow(db, values);
  return publicJwks;
}

/** Saves the connection; the bearer token is sealed, and a SMART client needs our key pair first. */
export async function saveConnection(
  db: Queryable,
  fields: FieldProtection,
  input: EhrConnectionInput,
  by: string,
  now: Date,
): Promise<void> {
  const existing = await readRow(db);
  if (input.auth.kind === 'smart-backend' && !existing?.privateKey) {
    throw new AppError(
      'conflict',
      'Make a key pair first and register its public key with the EHR.',
    );
  }
  const values = {
    baseUrl: input.baseUrl.replace(/\/+$/, ''),
    patientIdentifierSystem: input.patientIdentifierSystem,
    authKind: input.auth.kind,
    clientId: input.auth.kind === 'smart-backend' ? input.auth.clientId : null,
    scopes: input.auth.kind === 'smart-backend' ? input.auth.scopes : [],
    bearerToken:
      input.auth.kind === 'bearer'
        ? fields.encrypt(input.auth.token, secretContext('bearer_token'))
        : null,
    updatedBy: by,
    updatedAt: now,
  };
  await writeRow(db, values);
}

/** The settings the connector works with, or nothing when no EHR is configured. */
export async function ehrSettings(
  db: Queryable,
  fields: FieldProtection,
): Promise<EhrSettings | undefined> {
  const row = await readRow(db);
  if (!row?.baseUrl || !row.patientIdentifierSystem) return undefined;
  const common = {
    baseUrl: row.baseUrl,
    patientIdentifierSystem: row.patientIdentifierSystem,
    version: row.updatedAt.toISOString(),
  };
  if (row.authKind === 'smart-backend' && row.clientId && row.privateKey) {
    const privateKey = fields.decryptJson<JWK>(row.privateKey, secretContext('private_key'));
    return {
      ...common,
      kind: 'smart-backend',
      clientId: row.clientId,
      scopes: row.scopes,
      privateKey,
    };
  }
  if (row.authKind === 'bearer' && row.bearerToken) {
    const token = fields.decrypt(row.bearerToken, secretContext('bearer_token'));
    return { ...common, kind: 'bearer', token };
  }
  return undefined;
}

/** The settings, or a clear refusal when the administrator has not connected an EHR. */
export async function requireEhrSettings(db: Queryable, fields: FieldProtection) {
  const settings = await ehrSettings(db, fields);
  if (!settings) throw new AppError('conflict', 'No EHR is connected.');
  return settings;
}
