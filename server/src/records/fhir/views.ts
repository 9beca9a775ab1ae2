import type { FastifyRequest } from 'fastify';
import type { Consent, Practitioner, Resource } from 'fhir/r4.js';
import { ACT_CODE_SYSTEM } from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../platform/db/index.js';
import { listColleagues } from '../../identity/index.js';
import { AppError, type FieldProblem } from '../../platform/http/index.js';
import { normaliseName, referencedId, type Interaction } from './definitions.js';
import { refuseUnreadable, type QueryPairs } from './search-params.js';
import { isStoreId } from './store.js';

/**
 * Resource types that are read-only views of what other modules own: staff as Practitioners (the
 * colleagues directory) and a patient's consent directives as Consents. They are not stored as
 * FHIR, so they have no versions, history or paging: a search returns every match at once.
 */
export const VIEW_TYPES = ['Practitioner', 'Consent'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

export interface ViewDef {
  type: ViewType;
  interactions: Interaction[];
  params: { name: string; kind: 'token' | 'string' | 'reference'; documentation: string }[];
}

export const VIEW_DEFS: Record<ViewType, ViewDef> = {
  Practitioner: {
    type: 'Practitioner',
    interactions: ['read', 'search-type'],
    params: [
      { name: '_id', kind: 'token', documentation: 'The staff account id (exact).' },
      {
        name: 'name',
        kind: 'string',
        documentation: 'Any word of the display name, exact and case-insensitive.',
      },
    ],
  },
  Consent: {
    type: 'Consent',
    interactions: ['read', 'search-type'],
    params: [
      {
        name: 'patient',
        kind: 'reference',
        documentation: 'Required: the patient whose consent directives in force are listed.',
      },
    ],
  },
};

export const isViewType = (type: string): type is ViewType =>
  (VIEW_TYPES as readonly string[]).includes(type);

const CONSENT_SCOPE = 'http://terminology.hl7.org/CodeSystem/consentscope';
const PARTICIPATION = 'http://terminology.hl7.org/CodeSystem/v3-ParticipationType';

async function colleagues(ctx: AppContext, request: FastifyRequest): Promise<Practitioner[]> {
  const principal = ctx.access.principalOf(request);
  const [decision] = await ctx.access.decideForRequest(
    request,
    [{ principal, action: 'viewStaff', resource: { type: 'Directory', id: 'colleagues' } }],
    ctx.now(),
  );
  if (!decision!.allowed) throw new AppError('forbidden', 'The access policy does not allow this.');
  return (await listColleagues(ctx.store.db)).map((c) => ({
    resourceType: 'Practitioner',
    id: c.userId,
    active: true,
    name: [{ text: c.displayName }],
  }));
}

/** A patient's consent directives in force; the access module owns them and passes this in. */
type ConsentDirectivesOf = (
  db: Queryable,
  patientId: string,
) => Promise<
  {
    id: string;
    kind: 'exclude_staff' | 'withhold_label';
    userId: string | null;
    displayName: string | null;
    label: string | null;
    recordedAt: string;
  }[]
>;

/** What the access module, which owns consent directives, passes in to show them. */
export interface ConsentSource {
  directivesOf: ConsentDirectivesOf;
  /** The patient of a directive in force, by the directive's id. */
  patientOf: (db: Queryable, directiveId: string) => Promise<string | undefined>;
}

/** A patient's consent directives in force, if the caller may see them (decided and recorded). */
async function consentsOf(
  ctx: AppContext,
  request: FastifyRequest,
  patientId: string,
  source: ConsentSource,
): Promise<Consent[]> {
  const principal = ctx.access.principalOf(request);
  const [decision] = await ctx.access.decideForRequest(
    request,
    [{ principal, action: 'manageConsent', resource: { type: 'Patient', id: patientId } }],
    ctx.now(),
  );
  if (!decision!.allowed) return [];
  const directives = await source.directivesOf(ctx.store.db, patientId);
  return directives.map((d) => ({
    resourceType: 'Consent',
    id: d.id,
    status: 'active',
    scope: { coding: [{ system: CONSENT_SCOPE, code: 'patient-privacy' }] },
    category: [
      { coding: [{ system: 'http://loinc.org', code: '59284-0', display: 'Patient Consent' }] },
    ],
    patient: { reference: `Patient/${patientId}` },
    dateTime: d.recordedAt,
    policyRule: { coding: [{ system: ACT_CODE_SYSTEM, code: 'OPTOUT' }] },
    provision:
      d.kind === 'exclude_staff'
        ? {
            type: 'deny',
            actor: [
              {
                role: { coding: [{ system: PARTICIPATION, code: 'PRCP' }] },
                reference: {
                  reference: `Practitioner/${d.userId}`,
                  ...(d.displayName ? { display: d.displayName } : {}),
                },
              },
            ],
          }
        : { type: 'deny', securityLabel: [{ system: ACT_CODE_SYSTEM, code: d.label ?? '' }] },
  }));
}

/**
 * One view resource by id. A Consent is decided for its patient like the patient's search (and
 * recorded); one the caller may not see answers 404, as one that does not exist.
 */
export async function readView(
  ctx: AppContext,
  request: FastifyRequest,
  type: ViewType,
  id: string,
  consents: ConsentSource,
): Promise<Resource> {
  let found: Resource | undefined;
  if (type === 'Consent') {
    const patientId = isStoreId(id) ? await consents.patientOf(ctx.store.db, id) : undefined;
    if (patientId) {
      found = (await consentsOf(ctx, request, patientId, consents)).find((c) => c.id === id);
    }
  } else found = (await colleagues(ctx, request)).find((p) => p.id === id);
  if (!found) throw new AppError('not_found', 'No resource you may read exists at this address.');
  return found;
}

/** The matches of a view search; the same strict or lenient handling as stored types. */
export async function searchView(
  ctx: AppContext,
  request: FastifyRequest,
  type: ViewType,
  pairs: QueryPairs,
  lenient: boolean,
  consents: ConsentSource,
): Promise<{ matches: Resource[]; ignored: string[] }> {
  const known = new Set(VIEW_DEFS[type].params.map((p) => p.name));
  const unsupported: FieldProblem[] = [];
  const ignored: string[] = [];
  const given = pairs.filter(([name]) => {
    if (known.has(name) || name === '_format') return true;
    if (lenient) ignored.push(name);
    else
      unsupported.push({
        path: name,
        message: `is not a search parameter of ${type} on this server`,
      });
    return false;
  });
  refuseUnreadable(unsupported, []);
  const values = (name: string) =>
    given.filter(([n]) => n === name).map(([, v]) => v.split(',').map((x) => x.trim()));
  if (type === 'Consent') {
    const patients = values('patient').flat();
    const ids = patients.map((p) => referencedId({ reference: p }, 'Patient'));
    if (ids.length !== 1 || !isStoreId(ids[0])) {
      throw new AppError('validation_failed', 'A Consent search names one patient.', [
        { path: 'patient', message: 'is required, once, as Patient/<id> or <id>' },
      ]);
    }
    return { matches: await consentsOf(ctx, request, ids[0], consents), ignored };
  }
  let matches = await colleagues(ctx, request);
  for (const ids of values('_id')) matches = matches.filter((p) => ids.includes(p.id!));
  for (const names of values('name')) {
    const wanted = names.map(normaliseName);
    matches = matches.filter((p) =>
      normaliseName(p.name?.[0]?.text ?? '')
        .split(/\s+/)
        .some((word) => wanted.includes(word)),
    );
  }
  return { matches, ignored };
}
