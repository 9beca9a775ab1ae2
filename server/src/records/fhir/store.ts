import { randomUUID } from 'node:crypto';
import { and, desc, eq } from 'drizzle-orm';
import type { Patient, Resource } from 'fhir/r4.js';
import type { FieldProtection } from '../../platform/crypto/index.js';
import type { Queryable } from '../../platform/db/index.js';
import { clinicalResource, fhirResourceVersion, fhirSearchToken, patient } from '../schema.js';
import { RESOURCE_DEFS, referencedId, type StoredType } from './definitions.js';
import { patientIndexes } from './patient-indexes.js';
import {
  clinicalResourceContext,
  patientContext,
  resourceVersionContext,
} from '../record-contexts.js';

/** A version of a resource as stored: its place, its patient and the resource with `id` and `meta`. */
export interface StoredResource {
  type: StoredType;
  id: string;
  versionId: number;
  lastUpdated: Date;
  patientId: string;
  resource: Resource;
}

/** The current version's column and row, bound into its ciphertext (kept from before versioning). */
const currentContext = (type: StoredType, id: string) =>
  type === 'Patient' ? patientContext(id) : clinicalResourceContext(id);

/** The resource with its id and version metadata, which the columns hold authoritatively. */
function withMeta(resource: Resource, id: string, versionId: number, lastUpdated: Date): Resource {
  return {
    ...resource,
    id,
    meta: {
      ...resource.meta,
      versionId: String(versionId),
      lastUpdated: lastUpdated.toISOString(),
    },
  };
}

export async function readCurrent(
  db: Queryable,
  fields: FieldProtection,
  type: StoredType,
  id: string,
): Promise<StoredResource | undefined> {
  if (type === 'Patient') {
    const [row] = await db.select().from(patient).where(eq(patient.id, id));
    if (!row) return undefined;
    const resource = fields.decryptJson<Resource>(row.resource, currentContext(type, id));
    return stored(type, id, row.versionId, row.updatedAt, id, resource);
  }
  const [row] = await db
    .select()
    .from(clinicalResource)
    .where(and(eq(clinicalResource.id, id), eq(clinicalResource.resourceType, type)));
  if (!row) return undefined;
  const resource = fields.decryptJson<Resource>(row.resource, currentContext(type, id));
  return stored(type, id, row.versionId, row.updatedAt, row.patientId, resource);
}

const stored = (
  type: StoredType,
  id: string,
  versionId: number,
  lastUpdated: Date,
  patientId: string,
  resource: Resource,
): StoredResource => ({
  type,
  id,
  versionId,
  lastUpdated,
  patientId,
  resource: withMeta(resource, id, versionId, lastUpdated),
});

/** A current version read still sealed (by search), opened. */
export function openSealed(
  fields: FieldProtection,
  row: Omit<StoredResource, 'resource'> & { sealed: string },
): StoredResource {
  const resource = fields.decryptJson<Resource>(row.sealed, currentContext(row.type, row.id));
  return stored(row.type, row.id, row.versionId, row.lastUpdated, row.patientId, resource);
}

/** Every version of a resource, newest first (the patient is that of the current version). */
export async function readHistory(
  db: Queryable,
  fields: FieldProtection,
  current: StoredResource,
  /** Only this version (a vread), rather than every one. */
  versionId?: number,
): Promise<StoredResource[]> {
  const rows = await db
    .select()
    .from(fhirResourceVersion)
    .where(
      and(
        eq(fhirResourceVersion.id, current.id),
        eq(fhirResourceVersion.resourceType, current.type),
        versionId === undefined ? undefined : eq(fhirResourceVersion.versionId, versionId),
      ),
    )
    .orderBy(desc(fhirResourceVersion.versionId));
  return rows.map((row) =>
    stored(
      current.type,
      row.id,
      row.versionId,
      row.lastUpdated,
      current.patientId,
      fields.decryptJson<Resource>(row.resource, resourceVersionContext(row.id, row.versionId)),
    ),
  );
}

/** The patient a resource of `type` is about: itself, or the patient its reference names. */
export function patientIdOf(type: StoredType, resource: Resource, id: string): string | undefined {
  if (type === 'Patient') return id;
  return referencedId(RESOURCE_DEFS[type].patient?.(resource), 'Patient');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isStoreId = (id: string | undefined): id is string => !!id && UUID.test(id);

/**
 * Writes a new version of a resource: the current row, the version kept for history and the
 * search index, in the caller's transaction. `previous` is the version being replaced (none for a
 * create); its version number must still be current, or nothing is written and the result is
 * `conflict`. The caller has checked the patient exists and that the write is allowed.
 */
export async function writeResource(
  db: Queryable,
  fields: FieldProtection,
  input: Resource,
  now: Date,
  previous?: StoredResource,
): Promise<StoredResource | 'conflict'> {
  const type = input.resourceType as StoredType;
  const id = previous?.id ?? (isStoreId(input.id) ? input.id : randomUUID());
  const versionId = (previous?.versionId ?? 0) + 1;
  const resource = withMeta(input, id, versionId, now);
  const patientId = patientIdOf(type, resource, id);
  if (!patientId) throw new Error(`${type} without a patient reference`);
  const sealed = fields.encryptJson(resource, currentContext(type, id));
  const written = await writeCurrentRow(db, fields, {
    type,
    id,
    versionId,
    now,
    patientId,
    resource,
    sealed,
    previous,
  });
  if (!written) return 'conflict';
  await keepVersion(db, fields, type, id, versionId, resource, now);
  await reindex(db, fields, type, id, resource);
  return stored(type, id, versionId, now, patientId, resource);
}

interface RowWrite {
  type: StoredType;
  id: string;
  versionId: number;
  now: Date;
  patientId: string;
  resource: Resource;
  sealed: string;
  previous: StoredResource | undefined;
}

async function writeCurrentRow(db: Queryable, fields: FieldProtection, w: RowWrite) {
  if (w.type === 'Patient') {
    const values = {
      resource: w.sealed,
      versionId: w.versionId,
      updatedAt: w.now,
      searchIndexed: true,
      ...patientIndexes(fields, w.resource as Patient),
    };
    if (!w.previous) {
      await db.insert(patient).values({ id: w.id, createdAt: w.now, ...values });
      return true;
    }
    const rows = await db
      .update(patient)
      .set(values)
      .where(and(eq(patient.id, w.id), eq(patient.versionId, w.previous.versionId)))
      .returning({ id: patient.id });
    return rows.length === 1;
  }
  const values = {
    resource: w.sealed,
    versionId: w.versionId,
    updatedAt: w.now,
    searchIndexed: true,
    ...clinicalColumns(w.type, w.resource),
  };
  if (!w.previous) {
    await db.insert(clinicalResource).values({
      id: w.id,
      patientId: w.patientId,
      resourceType: w.type,
      createdAt: w.now,
      ...values,
    });
    return true;
  }
  const rows = await db
    .update(clinicalResource)
    .set(values)
    .where(and(eq(clinicalResource.id, w.id), eq(clinicalResource.versionId, w.previous.versionId)))
    .returning({ id: clinicalResource.id });
  return rows.length === 1;
}

/** The columns search filters and sorts a clinical resource by: its encounter and date range. */
function clinicalColumns(type: StoredType, resource: Resource) {
  const def = RESOURCE_DEFS[type];
  const encounterId = referencedId(def.encounter?.(resource), 'Encounter');
  const range = def.date?.(resource) ?? { start: null, end: null };
  return {
    encounterId: isStoreId(encounterId) ? encounterId : null,
    dateStart: range.start,
    dateEnd: range.end,
  };
}

async function keepVersion(
  db: Queryable,
  fields: FieldProtection,
  type: StoredType,
  id: string,
  versionId: number,
  resource: Resource,
  lastUpdated: Date,
) {
  await db.insert(fhirResourceVersion).values({
    id,
    versionId,
    resourceType: type,
    resource: fields.encryptJson(resource, resourceVersionContext(id, versionId)),
    lastUpdated,
  });
}

/** The blind index of one token search value: keyed per type and parameter. */
export const tokenIndex = (fields: FieldProtection, param: string, value: string) =>
  fields.blindIndex(`fhir.${param}`, value);

async function reindex(
  db: Queryable,
  fields: FieldProtection,
  type: StoredType,
  id: string,
  resource: Resource,
) {
  await db.delete(fhirSearchToken).where(eq(fhirSearchToken.resourceId, id));
  const rows = RESOURCE_DEFS[type].params.flatMap((p) =>
    p.kind === 'token' || p.kind === 'string'
      ? [...new Set(p.values(resource))].map((value) => {
          const param = `${type}.${p.name}`;
          return { resourceId: id, param, value: tokenIndex(fields, param, value) };
        })
      : [],
  );
  if (rows.length > 0) await db.insert(fhirSearchToken).values(rows).onConflictDoNothing();
}

/**
 * Gives the resources written before versioning and search their first kept version, search index
 * and date columns. Runs at start; a store with nothing left to index costs two small queries.
 */
export async function indexEarlierRecords(db: Queryable, fields: FieldProtection): Promise<number> {
  const patients = await db.select().from(patient).where(eq(patient.searchIndexed, false));
  const clinical = await db
    .select()
    .from(clinicalResource)
    .where(eq(clinicalResource.searchIndexed, false));
  const patientType: StoredType = 'Patient';
  const rows = [
    ...patients.map((r) => ({ ...r, resourceType: patientType })),
    ...clinical.map((r) => ({ ...r, resourceType: r.resourceType as StoredType })),
  ];
  for (const row of rows) {
    const type = row.resourceType;
    const resource = fields.decryptJson<Resource>(row.resource, currentContext(type, row.id));
    await db.transaction(async (tx) => {
      // Claimed first: a node starting beside this one skips the rows it has taken.
      const table = type === 'Patient' ? patient : clinicalResource;
      const claimed = await tx
        .update(table)
        .set({ searchIndexed: true })
        .where(and(eq(table.id, row.id), eq(table.searchIndexed, false)))
        .returning({ id: table.id });
      if (claimed.length === 0) return;
      await keepVersion(tx, fields, type, row.id, row.versionId, resource, row.updatedAt);
      await reindex(tx, fields, type, row.id, resource);
      if (type !== 'Patient') {
        await tx
          .update(clinicalResource)
          .set(clinicalColumns(type, resource))
          .where(eq(clinicalResource.id, row.id));
      }
    });
  }
  return rows.length;
}
