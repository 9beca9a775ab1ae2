import type { FastifyInstance } from 'fastify';
import { appendAuditEntries } from '../../audit/index.js';
import type { AppContext } from '../../context.js';
import { scopesAllow, type RecordSectionName, type ScopePermission } from '@safeconsult/protocol';
import { AppError } from '../../platform/http/index.js';
import { isStoredType, RESOURCE_DEFS, STORED_TYPES } from './definitions.js';

/** The SMART permission each FHIR route needs of a system client's scopes, by method and address. */
const PERMISSION_OF_ROUTE: Readonly<Record<string, ScopePermission>> = {
  'GET /:type/:id': 'r',
  'GET /:type/:id/_history/:vid': 'r',
  'GET /:type/:id/_history': 'r',
  'GET /:type': 's',
  'POST /:type/_search': 's',
  'POST /:type': 'c',
  'PUT /:type/:id': 'u',
};

/**
 * The record sections a token's scopes reach, for the access policy: what it may read (read or
 * search) and write (create or update). Types share a section (Encounter and DocumentReference
 * are both clinical notes), so the FHIR routes also check the type itself (below).
 */
export function sectionsOfScopes(scopes: readonly string[]) {
  const reach = (permissions: ScopePermission[]) => [
    ...new Set(
      STORED_TYPES.filter((type) => permissions.some((p) => scopesAllow(scopes, type, p))).map(
        (type): RecordSectionName => RESOURCE_DEFS[type].section,
      ),
    ),
  ];
  return { readSections: reach(['r', 's']), writeSections: reach(['c', 'u']) };
}

/**
 * A system client's request must be covered by its token's scopes for the resource type and the
 * interaction, before the access policy decides the patient's sections. The read-only views
 * (Practitioner, Consent) are for staff: no scope reaches them. A refusal is filed in the audit
 * ledger with the client as actor, as the policy's refusals are.
 */
export function enforceClientScopes(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('preHandler', async (request) => {
    const client = request.systemClient;
    if (!client) return;
    const route = `${request.method} ${request.routeOptions.url?.slice(app.prefix.length)}`;
    const permission = PERMISSION_OF_ROUTE[route];
    const { type } = request.params as { type?: string };
    if (
      !permission ||
      !type ||
      !isStoredType(type) ||
      !scopesAllow(client.scopes, type, permission)
    ) {
      await appendAuditEntries(ctx.store.db, [
        {
          at: ctx.now(),
          category: 'access',
          action: permission === 'c' || permission === 'u' ? 'writeRecord' : 'readRecord',
          outcome: 'refused',
          actor: { type: 'client', id: client.clientId },
          requestId: request.id,
          address: request.ip,
          detail: { refusedBy: 'scope', type: type ?? '', interaction: permission ?? '' },
        },
      ]);
      throw new AppError('forbidden', "The access token's scopes do not allow this.");
    }
  });
}

/** The scopes that mean something here, as `.well-known/smart-configuration` lists them. */
export function supportedSystemScopes(): string[] {
  const letters = (type: (typeof STORED_TYPES)[number]) => {
    const has = (i: string) => RESOURCE_DEFS[type].interactions.some((x) => x === i);
    // Registering a patient is the staff's action (registerPatient), which no client is given.
    const creates = has('create') && type !== 'Patient';
    return `${creates ? 'c' : ''}r${has('update') ? 'u' : ''}s`;
  };
  return [
    'system/*.read',
    'system/*.write',
    ...STORED_TYPES.map((t) => `system/${t}.${letters(t)}`),
  ];
}
