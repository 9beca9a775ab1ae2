import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Bundle, BundleEntry, BundleLink, FhirResource } from 'fhir/r4.js';
import type { AppContext } from '../../context.js';
import { decideAndRecord, readableItems } from './access.js';
import { AUDIT_EVENT_DEF, findAuditEvents } from './audit-events.js';
import { resumeSearch, sealCursor } from './cursor.js';
import { RESOURCE_DEFS, referencedId, type StoredType } from './definitions.js';
import {
  asJson,
  FHIR_ACCESS,
  pairsOf,
  queryPairsSchema,
  resourceSchema,
  storedTypeOf,
  typeParams,
  callerKeyOf,
} from './http.js';
import { FHIR_JSON, warningIssue } from './operation-outcome.js';
import type { FhirRouteOptions } from './routes-read.js';
import { isViewType, searchView } from './views.js';
import { matchingCandidates, namedPatients } from './search-query.js';
import { parseSearch, type QueryPairs, type SearchRequest } from './search-params.js';
import { isStoreId, openSealed, readCurrent, type StoredResource } from './store.js';

/** A searchset Bundle, with a warning entry for parameters ignored under lenient handling. */
function searchset(
  entry: BundleEntry[],
  total: number,
  link: BundleLink[],
  ignored: string[],
): Bundle {
  if (ignored.length > 0) {
    entry.push({
      resource: {
        resourceType: 'OperationOutcome',
        issue: ignored.map((name) =>
          warningIssue(name, 'is not supported by this server and was ignored'),
        ),
      },
      search: { mode: 'outcome' },
    });
  }
  return { resourceType: 'Bundle', type: 'searchset', total, link, entry };
}

const lenientOf = (request: FastifyRequest) =>
  /\bhandling\s*=\s*lenient\b/i.test(String(request.headers.prefer ?? ''));

/** The resources `_include` names for a page, that exist; deciding them is the caller's. */
async function included(ctx: AppContext, search: SearchRequest, page: StoredResource[]) {
  const def = RESOURCE_DEFS[search.type];
  const wanted = new Map<string, { type: StoredType; id: string }>();
  for (const include of search.includes) {
    const name = include.split(':')[1];
    const param = def.params.find((p) => p.name === name);
    if (param?.kind !== 'reference') continue;
    for (const s of page) {
      const id =
        param.column === 'patient'
          ? s.patientId
          : referencedId(def.encounter?.(s.resource), 'Encounter');
      if (isStoreId(id)) wanted.set(`${param.target}/${id}`, { type: param.target, id });
    }
  }
  const found = await Promise.all(
    [...wanted.values()].map((w) => readCurrent(ctx.store.db, ctx.fields, w.type, w.id)),
  );
  return found.filter((f): f is StoredResource => f !== undefined);
}

/** search (GET and POST _search): only what the caller may read, paged by a sealed cursor. */
export const fhirSearchRoutes: FastifyPluginAsyncZod<FhirRouteOptions> = async (
  app,
  { ctx, baseUrl, consents },
) => {
  const db = ctx.store.db;

  async function search(request: FastifyRequest, typeName: string, given: QueryPairs) {
    if (isViewType(typeName)) {
      const { matches, ignored } = await searchView(
        ctx,
        request,
        typeName,
        given,
        lenientOf(request),
        consents,
      );
      return searchset(
        matches.map((resource) => ({
          fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`,
          resource: resource as FhirResource,
          search: { mode: 'match' },
        })),
        matches.length,
        [
          {
            relation: 'self',
            url: `${baseUrl}/${typeName}?${new URLSearchParams(given).toString()}`,
          },
        ],
        ignored,
      );
    }
    if (typeName === AUDIT_EVENT_DEF.type) return auditEventSearchset(request, given);
    const type = storedTypeOf(typeName, 'search-type');
    const userId = callerKeyOf(request);
    const {
      pairs,
      offset,
      token: cursorToken,
    } = resumeSearch(ctx.fields, userId, type, given, ctx.now());
    const query = parseSearch(type, pairs, lenientOf(request));
    // A patient the search names is asked about (and recorded) like a read of their record;
    // patients found only by matching are filtered silently, not each filed as a refusal.
    const named = namedPatients(query).map((patientId) => ({
      type,
      patientId,
      resource: { resourceType: type },
    }));
    if (named.length > 0) await decideAndRecord(ctx, request, 'readRecord', named);

    const candidates = await matchingCandidates(db, ctx.fields, query);
    // Decided first by patient and section, so nothing the caller may not see is decrypted; then
    // with each resource's sensitivity labels.
    const reachable = await readableItems(
      ctx,
      request,
      candidates.map((c) => ({ ...c, resource: { resourceType: type } })),
    );
    const visible = await readableItems(
      ctx,
      request,
      reachable.map((c) => openSealed(ctx.fields, c)),
    );
    const page = visible.slice(offset, offset + query.count);
    const includes = await readableItems(ctx, request, await included(ctx, query, page));
    await decideAndRecord(ctx, request, 'readRecord', [...page, ...includes]);

    const link: BundleLink[] = [
      {
        relation: 'self',
        url: `${baseUrl}/${type}?${new URLSearchParams(cursorToken ? { _cursor: cursorToken } : given).toString()}`,
      },
    ];
    if (offset + query.count < visible.length) {
      const next = sealCursor(
        ctx.fields,
        userId,
        { type, pairs, offset: offset + query.count },
        ctx.now(),
      );
      link.push({
        relation: 'next',
        url: `${baseUrl}/${type}?_cursor=${encodeURIComponent(next)}`,
      });
    }
    return searchset(
      [...page.map((s) => entryOf(s, 'match')), ...includes.map((s) => entryOf(s, 'include'))],
      visible.length,
      link,
      query.ignored,
    );
  }

  /** A page of the ledger as AuditEvents; its next link keeps to the ledger size it started at. */
  async function auditEventSearchset(request: FastifyRequest, given: QueryPairs) {
    const type = AUDIT_EVENT_DEF.type;
    const page = await findAuditEvents(ctx, request, given, lenientOf(request));
    const link: BundleLink[] = [
      {
        relation: 'self',
        url: `${baseUrl}/${type}?${new URLSearchParams(page.token ? { _cursor: page.token } : given).toString()}`,
      },
    ];
    if (page.next) {
      link.push({
        relation: 'next',
        url: `${baseUrl}/${type}?_cursor=${encodeURIComponent(page.next)}`,
      });
    }
    return searchset(
      page.events.map((event) => ({
        fullUrl: `${baseUrl}/${type}/${event.id}`,
        resource: event,
        search: { mode: 'match' },
      })),
      page.total,
      link,
      page.ignored,
    );
  }

  const entryOf = (s: StoredResource, mode: 'match' | 'include'): BundleEntry => ({
    fullUrl: `${baseUrl}/${s.type}/${s.id}`,
    resource: s.resource as FhirResource,
    search: { mode },
  });

  app.get(
    '/:type',
    {
      config: { access: FHIR_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR search',
        params: typeParams,
        querystring: queryPairsSchema,
        response: { 200: resourceSchema },
      },
    },
    async (request, reply) => {
      reply.type(FHIR_JSON);
      return asJson(await search(request, request.params.type, pairsOf(request.query)));
    },
  );

  app.post(
    '/:type/_search',
    {
      config: { access: FHIR_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR search with the parameters in a form body',
        params: typeParams,
        querystring: queryPairsSchema,
        body: queryPairsSchema,
        response: { 200: resourceSchema },
      },
    },
    async (request, reply) => {
      reply.type(FHIR_JSON);
      return asJson(
        await search(request, request.params.type, [
          ...pairsOf(request.query),
          ...pairsOf(request.body),
        ]),
      );
    },
  );
};
