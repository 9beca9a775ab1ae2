import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  careRelationshipsOf,
  patientLookupResultSchema,
  patientLookupSchema,
  patientSummarySchema,
  RECORD_SECTIONS,
  recordSectionSchema,
  type PatientSummary,
  type RecordSectionName,
  type ResourceRef,
  type SensitivityLabel,
} from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import type { Decision } from '../access/index.js';
import type { Queryable } from '../platform/db/index.js';
import { AppError, signedIn } from '../platform/http/index.js';
import type { ClinicalResource, Patient } from './fhir-types.js';
import { labelsOf } from './labels.js';
import {
  findPatientByMrn,
  listClinicalResources,
  listPatients,
  MRN_SYSTEM,
  patientDisplayName,
  readPatient,
} from './service.js';

type Item = Record<string, unknown>;

export interface RecordRouteOptions {
  ctx: AppContext;
  /** The scheduling section comes from the consults module, which owns appointments. */
  appointmentsOf: (db: Queryable, patientId: string) => Promise<Item[]>;
}

/** The resource types each clinical section holds; a consult's notes sit with its Encounter. */
const CLINICAL_TYPES: Partial<
  Record<RecordSectionName, readonly ClinicalResource['resourceType'][]>
> = {
  problems: ['Condition'],
  allergies: ['AllergyIntolerance'],
  medications: ['MedicationStatement'],
  observations: ['Observation'],
  clinical_notes: ['DocumentReference', 'Encounter'],
};

const sectionParams = z.strictObject({
  patientId: z.uuid(),
  section: z.enum(RECORD_SECTIONS),
});

const sectionOf = (request: FastifyRequest): ResourceRef => {
  const { patientId, section } = request.params as z.infer<typeof sectionParams>;
  return { type: 'RecordSection', patientId, section };
};

/** Why a member of staff sees a patient, from the policy that allowed it. */
function relationshipOf(decision: Decision): PatientSummary['relationship'] {
  return careRelationshipsOf(decision.policies.map((p) => p.id))[0] ?? 'none';
}

function summary(p: Patient, decision: Decision): PatientSummary {
  return {
    id: p.id!,
    name: patientDisplayName(p),
    birthDate: p.birthDate ?? null,
    mrn: p.identifier?.find((i) => i.system === MRN_SYSTEM)?.value ?? null,
    relationship: relationshipOf(decision),
  };
}

/** The patient record as staff read it, section by section, each read decided by the policy. */
export const recordRoutes: FastifyPluginAsyncZod<RecordRouteOptions> = async (
  app,
  { ctx, appointmentsOf },
) => {
  const db = ctx.store.db;

  app.get(
    '/api/patients',
    {
      config: { access: signedIn('findPatient', { type: 'Directory', id: 'patients' }) },
      schema: {
        tags: ['records'],
        summary: 'The patients the caller may see, with how they relate to each',
        response: { 200: z.object({ patients: z.array(patientSummarySchema) }) },
      },
    },
    async (request) => {
      const principal = ctx.access.principalOf(request);
      const patients = await listPatients(db, ctx.fields);
      const decisions = await ctx.access.decideForRequest(
        request,
        patients.map((p) => ({
          principal,
          action: 'readRecord' as const,
          resource: { type: 'RecordSection', patientId: p.id!, section: 'demographics' },
        })),
        ctx.now(),
      );
      return {
        patients: patients.flatMap((p, i) =>
          decisions[i]!.allowed ? [summary(p, decisions[i]!)] : [],
        ),
      };
    },
  );

  app.post(
    '/api/patients/lookup',
    {
      config: { access: signedIn('findPatient', { type: 'Directory', id: 'patients' }) },
      schema: {
        tags: ['records'],
        summary:
          'Find a patient by medical record number; says whether the caller may open the record',
        body: patientLookupSchema,
        response: { 200: patientLookupResultSchema },
      },
    },
    async (request) => {
      const found = await findPatientByMrn(db, ctx.fields, request.body.mrn);
      if (!found) throw new AppError('not_found', 'No patient has this record number.');
      const [decision] = await ctx.access.decideForRequest(
        request,
        [
          {
            principal: ctx.access.principalOf(request),
            action: 'readRecord',
            resource: { type: 'RecordSection', patientId: found.id!, section: 'demographics' },
          },
        ],
        ctx.now(),
      );
      return { patientId: found.id!, reachable: decision!.allowed };
    },
  );

  app.get(
    '/api/patients/:patientId/sections/:section',
    {
      config: { access: signedIn('readRecord', sectionOf, { hideRefusal: true }) },
      schema: {
        tags: ['records'],
        summary: "One section of a patient's record, as far as the caller may read it",
        params: sectionParams,
        response: { 200: recordSectionSchema },
      },
    },
    async (request) => {
      const { patientId, section } = request.params;
      const patient = await readPatient(db, ctx.fields, patientId);
      if (!patient) throw new AppError('not_found');
      let items: Item[];
      if (section === 'demographics') items = [patient as unknown as Item];
      else if (section === 'scheduling') items = await appointmentsOf(db, patientId);
      else items = await readableClinicalItems(request, patientId, section);
      return { patientId, section, items, allowedBy: request.accessDecision?.policies ?? [] };
    },
  );

  /**
   * The section's resources without those whose sensitivity labels the caller may not read: each
   * distinct set of labels is one more decision (a consent directive may withhold it).
   */
  async function readableClinicalItems(
    request: FastifyRequest,
    patientId: string,
    section: RecordSectionName,
  ): Promise<Item[]> {
    const types = CLINICAL_TYPES[section];
    if (!types) return []; // files arrive with the consult record
    // One query, so a section of several types (notes and consults) keeps their order together.
    const resources = await listClinicalResources(db, ctx.fields, patientId, types);
    const labelSets = [
      ...new Set(resources.map((r) => labelsOf(r).sort().join(',')).filter(Boolean)),
    ];
    const decisions = await ctx.access.decideForRequest(
      request,
      labelSets.map((set) => ({
        principal: ctx.access.principalOf(request),
        action: 'readRecord' as const,
        resource: {
          type: 'RecordSection',
          patientId,
          section,
          labels: set.split(',') as SensitivityLabel[],
        },
      })),
      ctx.now(),
      request.accessDecision?.facts,
    );
    const readable = new Set(labelSets.filter((_, i) => decisions[i]!.allowed));
    return resources
      .filter((r) => {
        const set = labelsOf(r).sort().join(',');
        return set === '' || readable.has(set);
      })
      .map((r) => r as unknown as Item);
  }
};
