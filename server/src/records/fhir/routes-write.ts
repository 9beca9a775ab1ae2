import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Patient, Resource } from 'fhir/r4.js';
import type { Queryable } from '../../platform/db/index.js';
import { AppError, type FieldProblem } from '../../platform/http/index.js';
import { findPatientByMrn, patientExists } from '../service.js';
import { decideAndRecord, readableItems } from './access.js';
import type { StoredType } from './definitions.js';
import {
  FHIR_ACCESS,
  instanceParams,
  resourceSchema,
  sendResource,
  storedTypeOf,
  typeParams,
  versionOfEtag,
} from './http.js';
import { MRN_SYSTEM } from './patient-indexes.js';
import type { FhirRouteOptions } from './routes-read.js';
import { matchingCandidates } from './search-query.js';
import { parseSearch } from './search-params.js';
import {
  isStoreId,
  openSealed,
  patientIdOf,
  readCurrent,
  writeResource,
  type StoredResource,
} from './store.js';
import { validateResource } from './validate.js';

const hiddenPatient = () =>
  new AppError('not_found', 'The resource is about no patient whose record you may change.');

/** The body as a valid R4 resource of `type`, or a 400 naming every problem's location. */
function validBody(type: StoredType, body: Resource): Resource {
  const problems: FieldProblem[] = [];
  if (body.resourceType !== type) {
    problems.push({ path: `${type}.resourceType`, message: `must be ${type} at this address` });
  } else problems.push(...validateResource(type, body));
  if (type !== 'Patient' && !patientIdOf(type, body, '')) {
    const element = type === 'AllergyIntolerance' ? 'patient' : 'subject';
    problems.push({
      path: `${type}.${element}`,
      message: 'must reference the patient (Patient/<id>)',
    });
  }
  if (problems.length > 0) {
    throw new AppError('validation_failed', `The ${type} is not valid FHIR R4.`, problems);
  }
  return body;
}

/** `If-None-Exist: identifier=system|value` (or any search of the type) as query pairs. */
function conditionOf(header: string | string[] | undefined): [string, string][] | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  return [...new URLSearchParams(header.replace(/^.*\?/, ''))];
}

/** create (with conditional create) and update, each decided as a write and audited with it. */
export const fhirWriteRoutes: FastifyPluginAsyncZod<FhirRouteOptions> = async (
  app,
  { ctx, baseUrl, recordRequestDecisions },
) => {
  const db = ctx.store.db;

  /** The write and the request's audit entries commit together or not at all. */
  const changeWithAudit = <T>(request: FastifyRequest, change: (tx: Queryable) => Promise<T>) =>
    db.transaction(async (tx) => {
      const result = await change(tx);
      await recordRequestDecisions(request, tx);
      return result;
    });

  /** The patient must exist and the caller may write to their record (else 404: existence stays hidden). */
  async function assertWritable(
    request: FastifyRequest,
    items: Pick<StoredResource, 'type' | 'patientId' | 'resource'>[],
  ) {
    for (const item of items) {
      if (!isStoreId(item.patientId) || !(await patientExists(db, item.patientId)))
        throw hiddenPatient();
    }
    if (!(await decideAndRecord(ctx, request, 'writeRecord', items))) throw hiddenPatient();
  }

  /**
   * Registering a patient is its own action (the desk's and the clinicians' work), decided about
   * the patient-to-be, so the ledger entry, committed with the record, names the new patient.
   */
  async function assertRegistrable(request: FastifyRequest, patientId: string) {
    const principal = ctx.access.principalOf(request);
    const [decision] = await ctx.access.decideForRequest(
      request,
      [{ principal, action: 'registerPatient', resource: { type: 'Patient', id: patientId } }],
      ctx.now(),
    );
    if (!decision!.allowed) {
      throw new AppError('forbidden', 'The access policy does not allow you to register patients.');
    }
  }

  /** A record number belongs to one patient: the desk's lookup and join links rely on it. */
  async function assertMrnFree(type: StoredType, body: Resource, id: string) {
    if (type !== 'Patient') return;
    const mrn = (body as Patient).identifier?.find((i) => i.system === MRN_SYSTEM)?.value;
    const holder = mrn ? await findPatientByMrn(db, ctx.fields, mrn) : undefined;
    if (holder && holder.id !== id) {
      throw new AppError('conflict', 'Another patient has this medical record number.');
    }
  }

  app.post(
    '/:type',
    {
      config: { access: FHIR_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR create, conditional with If-None-Exist',
        params: typeParams,
        body: resourceSchema,
        response: { 200: resourceSchema, 201: resourceSchema },
      },
    },
    async (request, reply) => {
      const type = storedTypeOf(request.params.type, 'create');
      const body = validBody(type, request.body);
      const condition = conditionOf(request.headers['if-none-exist']);
      if (condition) {
        const matches = await matchingCandidates(
          db,
          ctx.fields,
          parseSearch(type, condition, false),
        );
        if (matches.length > 1) {
          throw new AppError(
            'precondition_failed',
            'If-None-Exist matches more than one resource.',
          );
        }
        if (matches[0]) {
          const existing = openSealed(ctx.fields, matches[0]);
          const [readable] = await readableItems(ctx, request, [existing]);
          if (!readable || !(await decideAndRecord(ctx, request, 'readRecord', [existing]))) {
            throw new AppError(
              'precondition_failed',
              'If-None-Exist matches a resource you may not read.',
            );
          }
          return sendResource(reply, 200, existing);
        }
      }
      const { id: _ignored, ...resource } = body;
      let input = resource as Resource;
      if (type === 'Patient') {
        input = { ...input, id: randomUUID() };
        await assertRegistrable(request, input.id!);
        await assertMrnFree(type, input, input.id!);
      } else {
        const patientId = patientIdOf(type, resource, '') ?? '';
        await assertWritable(request, [{ type, patientId, resource: input }]);
      }
      const written = await changeWithAudit(request, (tx) =>
        writeResource(tx, ctx.fields, input, ctx.now()),
      );
      if (written === 'conflict') throw new AppError('conflict');
      reply.header('location', `${baseUrl}/${type}/${written.id}/_history/${written.versionId}`);
      return sendResource(reply, 201, written);
    },
  );

  app.put(
    '/:type/:id',
    {
      config: { access: FHIR_ACCESS },
      schema: {
        tags: ['fhir'],
        summary: 'FHIR update: a new version; If-Match optional',
        params: instanceParams,
        body: resourceSchema,
        response: { 200: resourceSchema },
      },
    },
    async (request, reply) => {
      const type = storedTypeOf(request.params.type, 'update');
      const { id } = request.params;
      const body = validBody(type, request.body);
      if (body.id !== id) {
        throw new AppError('validation_failed', 'The resource id must match the address.', [
          { path: `${type}.id`, message: 'must equal the id in the address' },
        ]);
      }
      const current = isStoreId(id) ? await readCurrent(db, ctx.fields, type, id) : undefined;
      if (!current)
        throw new AppError('not_found', 'No resource you may change exists at this address.');
      const patientId = patientIdOf(type, body, id) ?? '';
      await assertWritable(request, [current, { type, patientId, resource: body }]);
      if (patientId !== current.patientId) {
        throw new AppError('validation_failed', 'A resource cannot move to another patient.', [
          {
            path: `${type}.${type === 'AllergyIntolerance' ? 'patient' : 'subject'}`,
            message: 'must stay the same patient',
          },
        ]);
      }
      const ifMatch = request.headers['if-match'];
      if (typeof ifMatch === 'string' && versionOfEtag(ifMatch) !== current.versionId) {
        throw new AppError('precondition_failed', 'If-Match does not name the current version.');
      }
      await assertMrnFree(type, body, id);
      const written = await changeWithAudit(request, (tx) =>
        writeResource(tx, ctx.fields, body, ctx.now(), current),
      );
      if (written === 'conflict') {
        throw new AppError('precondition_failed', 'The resource changed meanwhile; read it again.');
      }
      return sendResource(reply, 200, written);
    },
  );
};
