import type { Bundle, FhirResource } from 'fhir/r4.js';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../platform/db/index.js';
import { AppError } from '../../platform/http/index.js';
import { decideAndRecord } from './access.js';
import { AUDIT_EVENT_DEF, readAuditEvent } from './audit-events.js';
import {
  asJson,
  etagOf,
  FHIR_ACCESS,
  instanceParams,
  resourceSchema,
  sendResource,
  storedTypeOf,
} from './http.js';
import { FHIR_JSON } from './operation-outcome.js';
import { isViewType, readView, type ConsentSource } from './views.js';
import { isStoreId, readCurrent, readHistory, type StoredResource } from './store.js';

export interface FhirRouteOptions {
  ctx: AppContext;
  baseUrl: string;
  /** Writes a request's audit entries in the given transaction (the access module's, passed in). */
  recordRequestDecisions: (request: FastifyRequest, db: Queryable) => Promise<void>;
  consents: ConsentSource;
}

const hidden = () => new AppError('not_found', 'No resource you may read exists at this address.');

/** read, vread and history of one resource; each decided for its patient and recorded. */
export const fhirReadRoutes: FastifyPluginAsyncZod<FhirRouteOptions> = async (
  app,
  { ctx, baseUrl, consents },
) => {
  const db = ctx.store.db;

  /** The current version, if it exists and the caller may read it (else 404, never 403). */
  async function readable(
    request: Parameters<typeof decideAndRecord>[1],
    type: string,
    id: string,
    also: (s: StoredResource) => Promise<StoredResource[]> = async () => [],
  ) {
    const storedType = storedTypeOf(type, 'read');
    const current = isStoreId(id) ? await readCurrent(db, ctx.fields, storedType, id) : undefined;
    if (!current) throw hidden();
    const versions = await also(current);
    if (!(await decideAndRecord(ctx, request, 'readRecord', [current, ...versions])))
      throw hidden();
    return { current, versions };
  }

  app.get(
    '/:type/:id',
    {
      config: { access: FHIR_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR read',
        params: instanceParams,
        response: { 200: resourceSchema },
      },
    },
    async (request, reply) => {
      const { type, id } = request.params;
      if (isViewType(type)) {
        reply.type(FHIR_JSON);
        return asJson(await readView(ctx, request, type, id, consents));
      }
      if (type === AUDIT_EVENT_DEF.type) {
        reply.type(FHIR_JSON);
        return asJson(await readAuditEvent(ctx, request, id));
      }
      const { current } = await readable(request, type, id);
      return sendResource(reply, 200, current);
    },
  );

  app.get(
    '/:type/:id/_history/:vid',
    {
      config: { access: FHIR_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR vread: one version of a resource',
        params: instanceParams.extend({ vid: z.string() }),
        response: { 200: resourceSchema },
      },
    },
    async (request, reply) => {
      storedTypeOf(request.params.type, 'vread');
      const { versions } = await readable(
        request,
        request.params.type,
        request.params.id,
        async (current) => {
          const vid = Number(request.params.vid);
          return Number.isSafeInteger(vid) && String(vid) === request.params.vid
            ? readHistory(db, ctx.fields, current, vid)
            : [];
        },
      );
      if (!versions[0]) throw hidden();
      return sendResource(reply, 200, versions[0]);
    },
  );

  app.get(
    '/:type/:id/_history',
    {
      config: { access: FHIR_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR history of one resource, newest first',
        params: instanceParams,
        response: { 200: resourceSchema },
      },
    },
    async (request, reply) => {
      storedTypeOf(request.params.type, 'history-instance');
      const { versions } = await readable(
        request,
        request.params.type,
        request.params.id,
        (current) => readHistory(db, ctx.fields, current),
      );
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'history',
        total: versions.length,
        entry: versions.map((v) => ({
          fullUrl: `${baseUrl}/${v.type}/${v.id}`,
          resource: v.resource as FhirResource,
          request: {
            method: v.versionId === 1 ? 'POST' : 'PUT',
            url: v.versionId === 1 ? v.type : `${v.type}/${v.id}`,
          },
          response: {
            status: v.versionId === 1 ? '201' : '200',
            etag: etagOf(v.versionId),
            lastModified: v.lastUpdated.toISOString(),
          },
        })),
      };
      reply.type(FHIR_JSON);
      return asJson(bundle);
    },
  );
};
