import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppContext } from './context.js';
import { servesHttps } from './platform/config/index.js';
import {
  DEFAULT_WEB_ROOT,
  registerApiDocsGenerator,
  registerApiDocsUi,
  registerConnectionDraining,
  registerProblemHandlers,
  registerRateLimits,
  registerSecurityHeaders,
  registerWebApp,
  routeRules,
} from './platform/http/index.js';
import { clinicRoutes } from './clinic/index.js';
import { governanceRoutes } from './governance/index.js';
import {
  accountLinkRoutes,
  authentication,
  authRoutes,
  identityAdminRoutes,
  mfaRoutes,
  requireSession,
  passkeyRoutes,
  securityPolicyRoutes,
  sessionRoutes,
} from './identity/index.js';
import { outboxRoutes } from './outbox/index.js';
import {
  appointmentRoutes,
  chatRoutes,
  consultNoteRoutes,
  appointmentsOfPatient,
  joinRoutes,
  participantAuthentication,
  signalRoutes,
} from './consults/index.js';
import { systemRoutes } from './system/index.js';
import { ehrRoutes } from './ehr/index.js';
import {
  clientAuthentication,
  smartTokenRoutes,
  systemClientAdminRoutes,
} from './system-clients/index.js';
import {
  accessHistoryRoutes,
  accessPolicyRoutes,
  accessReviewRoutes,
  authorization,
  decisionEntry,
  listConsentDirectives,
  patientOfConsentDirective,
  patientsCaredForBy,
  patientAccessRoutes,
  recordRequestDecisions,
  staffNamesOf,
} from './access/index.js';
import { auditExportRoutes } from './audit/index.js';
import { fhirApi, recordRoutes, type BulkExportDeps } from './records/index.js';
import { auditProofRoutes, auditReviewRoutes } from './audit/index.js';

export const VERSION = '0.1.0';

/** What FHIR bulk export takes from the access module: care teams as Groups, ledger entries. */
export const bulkExportDeps: BulkExportDeps = {
  patientsOfGroup: patientsCaredForBy,
  decisionEntry,
};

export interface BuildOptions {
  /** The built web app to serve; `null` serves the API only. Defaults to web/dist. */
  webRoot?: string | null;
  /** Registers further routes (tests use this for routes that exercise the platform). */
  extraRoutes?: (app: FastifyInstance) => Promise<void>;
}

/** Builds the server from its context. It does not listen: `main.ts` does, tests use `inject`. */
export async function buildApp(
  ctx: AppContext,
  options: BuildOptions = {},
): Promise<FastifyInstance> {
  const { config } = ctx;
  const https = config.tls
    ? { key: await readFile(config.tls.keyFile), cert: await readFile(config.tls.certFile) }
    : null;
  const app = Fastify({
    loggerInstance: ctx.log,
    https,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    // Request ids are ours; a client-chosen id could be used to forge log correlation.
    requestIdHeader: false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
  }) as unknown as FastifyInstance;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  typed.setValidatorCompiler(validatorCompiler);
  typed.setSerializerCompiler(serializerCompiler);

  await app.register(routeRules);
  registerProblemHandlers(app);
  registerConnectionDraining(app);
  await registerSecurityHeaders(app, servesHttps(config));
  await registerRateLimits(app, config.rateLimitPerMinute);
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('X-Request-Id', String(request.id));
    return payload;
  });
  if (config.apiDocs) await registerApiDocsGenerator(app, VERSION);
  // Above the room's own message limit, so an oversized message gets a clear refusal; beyond this
  // the socket closes (1009).
  await app.register(websocket, { options: { maxPayload: 256 * 1024 } });
  await app.register(authentication, { ctx });
  await app.register(participantAuthentication, { ctx });
  await app.register(clientAuthentication, { ctx });
  await app.register(authorization, { ctx });

  await app.register(systemRoutes, { ctx });
  await app.register(clinicRoutes, { ctx });
  await app.register(governanceRoutes, { ctx });
  await app.register(authRoutes, { ctx });
  await app.register(sessionRoutes, { ctx });
  await app.register(mfaRoutes, { ctx });
  await app.register(passkeyRoutes, { ctx });
  await app.register(securityPolicyRoutes, { ctx });
  await app.register(accountLinkRoutes, { ctx });
  await app.register(outboxRoutes, { ctx });
  await app.register(identityAdminRoutes, { ctx });
  await app.register(systemClientAdminRoutes, { ctx });
  await app.register(smartTokenRoutes, { ctx });
  await app.register(appointmentRoutes, { ctx });
  await app.register(joinRoutes, { ctx });
  await app.register(chatRoutes, { ctx });
  await app.register(consultNoteRoutes, { ctx });
  await app.register(ehrRoutes, { ctx });
  await app.register(signalRoutes, {
    ctx,
    access: {
      recordRequestDecisions,
      refusalEntry: (principal, action, appointmentId, decision, now, request) =>
        decisionEntry(
          { principal, action, resource: { type: 'Appointment', id: appointmentId } },
          decision,
          now,
          request,
        ),
    },
  });
  await app.register(recordRoutes, { ctx, appointmentsOf: appointmentsOfPatient });
  await app.register(fhirApi, {
    ctx,
    version: VERSION,
    recordRequestDecisions,
    consents: { directivesOf: listConsentDirectives, patientOf: patientOfConsentDirective },
    bulkExport: bulkExportDeps,
    prefix: '/fhir',
  });
  await app.register(patientAccessRoutes, { ctx });
  await app.register(accessReviewRoutes, { ctx });
  await app.register(accessHistoryRoutes, { ctx });
  await app.register(auditExportRoutes, {
    ctx,
    requesterOf: (request) => {
      const { userId, role } = requireSession(request);
      return { id: userId, role };
    },
    staffNames: staffNamesOf,
  });
  await app.register(accessPolicyRoutes, { ctx });
  await app.register(auditReviewRoutes, { ctx });
  await app.register(auditProofRoutes, { ctx });
  if (options.extraRoutes) await options.extraRoutes(app);

  if (config.apiDocs) await registerApiDocsUi(app, servesHttps(config));
  const webRoot = options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot;
  await registerWebApp(app, webRoot ?? undefined);
  return app;
}
