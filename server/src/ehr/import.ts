import { eq, inArray } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Patient as FhirPatient, Resource } from 'fhir/r4.js';
import type { EhrImportResult, ResourceRef } from '@safeconsult/protocol';
import { changeWithAudit } from '../access/index.js';
import type { AppContext } from '../context.js';
import type { Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import {
  addClinicalResource,
  MRN_SYSTEM,
  readPatient,
  recordSectionOf,
  updateClinicalResource,
  validateResource,
  type ClinicalResource,
} from '../records/index.js';
import type { EhrFhirClient } from './ehr-client.js';
import { rewriteReferences } from './references.js';
import { ehrImportedResource } from './schema.js';

/**
 * What an import brings: the patient's problems, allergies and medications (every page, up to a
 * bound no real record reaches), the newest observations, and up to a hundred documents.
 */
const PAGE = { _count: '100' };
const IMPORTED = [
  { type: 'Condition', params: PAGE, limit: 1_000 },
  { type: 'AllergyIntolerance', params: PAGE, limit: 1_000 },
  { type: 'MedicationStatement', params: PAGE, limit: 1_000 },
  { type: 'Observation', params: { ...PAGE, _sort: '-date' }, limit: 200 },
  { type: 'DocumentReference', params: PAGE, limit: 100 },
] as const;
type ImportedType = (typeof IMPORTED)[number]['type'];

/**
 * The local patient's match in the EHR: the one patient there with the local record number under
 * the identifier system the administrator named.
 */
export async function remotePatientOf(
  ctx: AppContext,
  client: EhrFhirClient,
  identifierSystem: string,
  patientId: string,
): Promise<string> {
  const local = await readPatient(ctx.store.db, ctx.fields, patientId);
  const mrn = local?.identifier?.find((i) => i.system === MRN_SYSTEM)?.value;
  if (!mrn) throw new AppError('conflict', 'The patient has no record number to find them by.');
  const found = await client.search<FhirPatient>('Patient', {
    identifier: `${identifierSystem}|${mrn}`,
  });
  if (found.length !== 1 || !found[0]!.id) {
    throw new AppError(
      'unprocessable',
      found.length === 0
        ? 'The EHR has no patient with this record number.'
        : 'The EHR has more than one patient with this record number.',
    );
  }
  return found[0]!.id;
}

/** Whether a reference (relative or absolute) names the EHR's patient. */
const namesPatient = (reference: string, remoteId: string) =>
  reference === `Patient/${remoteId}` || reference.endsWith(`/Patient/${remoteId}`);

/**
 * An EHR resource as ours: the EHR's patient becomes the local one, other references keep their
 * display text only; the EHR's id and meta go, its sensitivity labels stay (consent decides on
 * them), and `meta.source` says where it came from.
 */
function localised(resource: Resource, remoteId: string, patientId: string, source: string) {
  const { id: _id, meta, ...rest } = resource;
  const rewritten = rewriteReferences(rest, (reference) =>
    namesPatient(reference, remoteId) ? `Patient/${patientId}` : undefined,
  );
  return {
    ...rewritten,
    meta: { source, ...(meta?.security ? { security: meta.security } : {}) },
  } as unknown as ClinicalResource;
}

interface Fetched {
  type: ImportedType;
  remote: string;
  version: string;
  resource: ClinicalResource;
}

/** Files what was fetched: new resources added, changed ones updated, the rest left alone. */
async function file(tx: Queryable, ctx: AppContext, patientId: string, items: Fetched[]) {
  const counts = { added: 0, updated: 0, unchanged: 0 };
  const now = ctx.now();
  const mapped =
    items.length === 0
      ? []
      : await tx
          .select()
          .from(ehrImportedResource)
          .where(
            inArray(
              ehrImportedResource.remote,
              items.map((i) => i.remote),
            ),
          );
  // Only this patient's earlier imports count as known; a mapping to another patient is re-pointed.
  const knownHere = new Map(
    mapped.filter((m) => m.patientId === patientId).map((m) => [m.remote, m]),
  );
  for (const item of items) {
    const known = knownHere.get(item.remote);
    if (known?.remoteVersion === item.version) {
      counts.unchanged++;
      continue;
    }
    if (known) {
      const resource = { ...item.resource, id: known.localId };
      if (await updateClinicalResource(tx, ctx.fields, patientId, resource, now)) {
        await tx
          .update(ehrImportedResource)
          .set({ remoteVersion: item.version, importedAt: now })
          .where(eq(ehrImportedResource.remote, item.remote));
        counts.updated++;
        continue;
      }
    }
    const localId = await addClinicalResource(tx, ctx.fields, patientId, item.resource, now);
    const row = {
      patientId,
      localType: item.type,
      localId,
      remoteVersion: item.version,
      importedAt: now,
    };
    await tx
      .insert(ehrImportedResource)
      .values({ remote: item.remote, ...row })
      .onConflictDoUpdate({ target: ehrImportedResource.remote, set: row });
    counts.added++;
  }
  return counts;
}

/**
 * Imports a patient's record from the EHR: finds them by record number, fetches their clinical
 * resources, and files them through the record store (encrypted, indexed, versioned) in one
 * transaction with the ledger entries of the caller's `writeRecord` decisions for each section,
 * which are taken before the EHR is asked.
 * The EHR is asked before the transaction opens, so a slow EHR holds no transaction.
 */
export async function importRecord(
  ctx: AppContext,
  request: FastifyRequest,
  client: EhrFhirClient,
  identifierSystem: string,
  patientId: string,
): Promise<EhrImportResult> {
  // Decided before anything is read here or asked of the EHR: the sections an import fills.
  const principal = ctx.access.principalOf(request);
  const questions = [...new Set(IMPORTED.map(({ type }) => recordSectionOf(type)))].map(
    (section) => ({
      principal,
      action: 'writeRecord' as const,
      resource: { type: 'RecordSection', patientId, section } satisfies ResourceRef,
    }),
  );
  const decisions = await ctx.access.decideForRequest(request, questions, ctx.now());
  if (decisions.some((d) => !d.allowed)) {
    throw new AppError('forbidden', 'The access policy does not allow writing this record.');
  }
  const remoteId = await remotePatientOf(ctx, client, identifierSystem, patientId);
  const fetched: Fetched[] = [];
  let skipped = 0;
  // What SafeConsult wrote back (a consult's Encounter and note) is here already.
  let ours = 0;
  const ownSystem = `${ctx.config.publicUrl}/fhir/`;
  for (const { type, params, limit } of IMPORTED) {
    for (const resource of await client.search(type, { patient: remoteId, ...params }, limit)) {
      const identifiers = (resource as { identifier?: { system?: string }[] }).identifier ?? [];
      if (identifiers.some((i) => i.system?.startsWith(ownSystem))) {
        ours++;
        continue;
      }
      const remote = `${client.baseUrl}/${type}/${resource.id}`;
      const local = localised(resource, remoteId, patientId, remote);
      if (!resource.id || validateResource(type, local).length > 0) {
        skipped++;
        continue;
      }
      const version =
        resource.meta?.versionId ?? resource.meta?.lastUpdated ?? JSON.stringify(local);
      fetched.push({ type, remote, version, resource: local });
    }
  }
  const counts = await changeWithAudit(request, ctx.store.db, (tx) =>
    file(tx, ctx, patientId, fetched),
  );
  return {
    remotePatient: `${client.baseUrl}/Patient/${remoteId}`,
    ...counts,
    unchanged: counts.unchanged + ours,
    skipped,
  };
}
