import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  addCareTeamMemberSchema,
  careTeamMemberSchema,
  consentDirectiveSchema,
  emergencyAccessRequestSchema,
  emergencyGrantSchema,
  newConsentDirectiveSchema,
  type ResourceRef,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { requireSession } from '../../identity/index.js';
import { AppError, NO_BODY, sensitive, signedIn } from '../../platform/http/index.js';
import { patientExists } from '../../records/index.js';
import {
  addConsentDirective,
  addToCareTeam,
  listCareTeam,
  listConsentDirectives,
  removeFromCareTeam,
  revokeConsentDirective,
} from '../care-relations.js';
import { changeWithAudit, recordRequestDecisions } from '../authorization.js';
import { activeGrantsOf, grantEmergencyAccess } from '../emergency.js';

const patientParams = z.strictObject({ patientId: z.uuid() });
const memberParams = patientParams.extend({ userId: z.uuid() });
const directiveParams = patientParams.extend({ directiveId: z.uuid() });

/** The patient named in the address; its existence is not revealed to those refused. */
const patientOf = (request: FastifyRequest): ResourceRef => ({
  type: 'Patient',
  id: (request.params as { patientId: string }).patientId,
});

/** Care teams, consent directives and emergency access: the facts the access policy reads. */
export const patientAccessRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  const db = ctx.store.db;
  const requireExisting = async (patientId: string) => {
    if (!(await patientExists(db, patientId))) throw new AppError('not_found');
  };

  app.get(
    '/api/patients/:patientId/care-team',
    {
      config: { access: signedIn('manageCareTeam', patientOf, { hideRefusal: true }) },
      schema: {
        tags: ['access'],
        summary: "The staff on a patient's care team",
        params: patientParams,
        response: { 200: z.object({ members: z.array(careTeamMemberSchema) }) },
      },
    },
    async (request) => ({ members: await listCareTeam(db, request.params.patientId) }),
  );

  app.post(
    '/api/patients/:patientId/care-team',
    {
      config: { access: signedIn('manageCareTeam', patientOf, { hideRefusal: true }) },
      schema: {
        tags: ['access'],
        summary: "Add a clinician or nurse to a patient's care team",
        params: patientParams,
        body: addCareTeamMemberSchema,
        response: { 201: careTeamMemberSchema },
      },
    },
    async (request, reply) => {
      await requireExisting(request.params.patientId);
      const member = await changeWithAudit(request, db, (tx) =>
        addToCareTeam(
          tx,
          {
            patientId: request.params.patientId,
            userId: request.body.userId,
            addedBy: requireSession(request).userId,
          },
          ctx.now(),
        ),
      );
      return reply.code(201).send(member);
    },
  );

  app.delete(
    '/api/patients/:patientId/care-team/:userId',
    {
      config: { access: signedIn('manageCareTeam', patientOf, { hideRefusal: true }) },
      schema: {
        tags: ['access'],
        summary: "Remove someone from a patient's care team",
        params: memberParams,
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await changeWithAudit(request, db, (tx) =>
        removeFromCareTeam(tx, request.params.patientId, request.params.userId),
      );
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/patients/:patientId/consent-directives',
    {
      config: { access: signedIn('manageConsent', patientOf, { hideRefusal: true }) },
      schema: {
        tags: ['access'],
        summary: "The patient's consent directives in force",
        params: patientParams,
        response: { 200: z.object({ directives: z.array(consentDirectiveSchema) }) },
      },
    },
    async (request) => ({
      directives: await listConsentDirectives(db, request.params.patientId),
    }),
  );

  app.post(
    '/api/patients/:patientId/consent-directives',
    {
      config: { access: signedIn('manageConsent', patientOf, { hideRefusal: true }) },
      schema: {
        tags: ['access'],
        summary: "Record a patient's directive: refuse a member of staff, or withhold a label",
        params: patientParams,
        body: newConsentDirectiveSchema,
        response: { 201: consentDirectiveSchema },
      },
    },
    async (request, reply) => {
      await requireExisting(request.params.patientId);
      const directive = await changeWithAudit(request, db, (tx) =>
        addConsentDirective(
          tx,
          {
            patientId: request.params.patientId,
            recordedBy: requireSession(request).userId,
            directive: request.body,
          },
          ctx.now(),
        ),
      );
      return reply.code(201).send(directive);
    },
  );

  app.delete(
    '/api/patients/:patientId/consent-directives/:directiveId',
    {
      config: { access: signedIn('manageConsent', patientOf, { hideRefusal: true }) },
      schema: {
        tags: ['access'],
        summary: 'Revoke a consent directive at the patient’s request',
        params: directiveParams,
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await changeWithAudit(request, db, (tx) =>
        revokeConsentDirective(tx, request.params.patientId, request.params.directiveId, ctx.now()),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/patients/:patientId/emergency-access',
    {
      config: { access: sensitive('assertEmergencyAccess', patientOf) },
      schema: {
        tags: ['access'],
        summary:
          'Assert emergency access to a patient: time-limited, alerted and reviewed (re-authentication required)',
        params: patientParams,
        body: emergencyAccessRequestSchema,
        response: { 201: emergencyGrantSchema },
      },
    },
    async (request, reply) => {
      const grant = await grantEmergencyAccess(
        ctx,
        {
          patientId: request.params.patientId,
          userId: requireSession(request).userId,
          reason: request.body.reason,
        },
        (tx) => recordRequestDecisions(request, tx),
      );
      return reply.code(201).send(grant);
    },
  );

  app.get(
    '/api/access/emergency/mine',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['access'],
        summary: "The caller's emergency access that has not expired",
        response: { 200: z.object({ grants: z.array(emergencyGrantSchema) }) },
      },
    },
    async (request) => ({ grants: await activeGrantsOf(ctx, requireSession(request).userId) }),
  );
};
