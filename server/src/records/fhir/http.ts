import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Resource } from 'fhir/r4.js';
import { z } from 'zod';
import { AppError, staffOrClient } from '../../platform/http/index.js';
import { isStoredType, RESOURCE_DEFS, type Interaction, type StoredType } from './definitions.js';
import { AUDIT_EVENT_DEF } from './audit-events.js';
import { FHIR_JSON } from './operation-outcome.js';
import type { StoredResource } from './store.js';
import { isViewType } from './views.js';

/**
 * The gate of every FHIR data route: staff, or a system client with an access token, who may look
 * patients up at all. What each patient's data allows is decided per resource inside, with the
 * record's own actions and sections.
 */
export const FHIR_ACCESS = staffOrClient('findPatient', { type: 'Directory', id: 'patients' });

/** Who a search's page links are bound to: the member of staff, or the system client. */
export const callerKeyOf = (request: FastifyRequest): string =>
  request.systemClient ? `client:${request.systemClient.clientId}` : request.staffSession!.userId;

/** Any FHIR resource or Bundle; R4 validation happens against the official definitions. */
export const resourceSchema = z.looseObject({ resourceType: z.string() });
/** A FHIR resource as the response schema types it (any element beside resourceType). */
export type FhirJson = z.infer<typeof resourceSchema>;
export const asJson = (resource: Resource): FhirJson => resource as unknown as FhirJson;
export const typeParams = z.object({ type: z.string() });
export const instanceParams = z.object({ type: z.string(), id: z.string() });
export const queryPairsSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

/** Types served read-only, beside the stored ones: the views and the audit ledger. */
const isReadOnlyType = (type: string) => isViewType(type) || type === AUDIT_EVENT_DEF.type;

/** The stored type an address names, if the server supports the interaction on it. */
export function storedTypeOf(type: string, interaction: Interaction): StoredType {
  if (isReadOnlyType(type)) {
    throw new AppError('bad_request', `This server does not support ${interaction} on ${type}.`);
  }
  if (!isStoredType(type)) {
    throw new AppError(
      'resource_type_unsupported',
      'This server does not serve that resource type.',
    );
  }
  if (!RESOURCE_DEFS[type].interactions.includes(interaction)) {
    throw new AppError('bad_request', `This server does not support ${interaction} on ${type}.`);
  }
  return type;
}

export const etagOf = (versionId: number) => `W/"${versionId}"`;

/** `W/"3"` or `"3"` as 3; anything else is not a version of ours. */
export function versionOfEtag(header: string): number | undefined {
  const match = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  return match ? Number(match[1]) : undefined;
}

export function sendResource(reply: FastifyReply, status: number, s: StoredResource): FhirJson {
  reply
    .code(status)
    .type(FHIR_JSON)
    .header('etag', etagOf(s.versionId))
    .header('last-modified', s.lastUpdated.toUTCString());
  return asJson(s.resource);
}

/** Query values as ordered name/value pairs. */
export const pairsOf = (query: z.infer<typeof queryPairsSchema>): [string, string][] =>
  Object.entries(query).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : [value]).map((v): [string, string] => [name, v]),
  );
