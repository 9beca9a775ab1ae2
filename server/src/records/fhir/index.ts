import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../../context.js';
import { publicRoute, registerFormBodyParser } from '../../platform/http/index.js';
import { capabilityStatement } from './capability.js';
import { bulkExportRoutes } from './bulk-export/routes.js';
import type { BulkExportDeps } from './bulk-export/run-job.js';
import { enforceClientScopes } from './client-scopes.js';
import { asJson, resourceSchema } from './http.js';
import { FHIR_JSON, registerOutcomeHandlers } from './operation-outcome.js';
import { fhirReadRoutes, type FhirRouteOptions } from './routes-read.js';
import { fhirSearchRoutes } from './routes-search.js';
import { fhirWriteRoutes } from './routes-write.js';
import { prepareValidation } from './validate.js';

export { indexEarlierRecords } from './store.js';
export { BulkExportWorker } from './bulk-export/worker.js';
export type { BulkExportDeps } from './bulk-export/run-job.js';
export { exportFileContext } from './bulk-export/jobs.js';
export { sectionsOfScopes, supportedSystemScopes } from './client-scopes.js';
export { recordSectionOf } from './definitions.js';
export { validateResource } from './validate.js';

export interface FhirApiOptions {
  ctx: AppContext;
  version: string;
  recordRequestDecisions: FhirRouteOptions['recordRequestDecisions'];
  consents: FhirRouteOptions['consents'];
  bulkExport: BulkExportDeps;
}

/** The FHIR R4 REST API under /fhir (register with that prefix): JSON in and out, errors as OperationOutcome. */
export const fhirApi: FastifyPluginAsyncZod<FhirApiOptions> = async (
  app,
  { ctx, version, recordRequestDecisions, consents, bulkExport },
) => {
  prepareValidation();
  const baseUrl = `${ctx.config.publicUrl}/fhir`;
  registerOutcomeHandlers(app);
  enforceClientScopes(app, ctx);
  app.addContentTypeParser(
    'application/fhir+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );
  registerFormBodyParser(app);

  app.get(
    '/metadata',
    {
      config: {
        access: publicRoute('The CapabilityStatement describes the API and holds no data.'),
      },
      schema: {
        tags: ['fhir'],
        summary: 'The CapabilityStatement: exactly what this FHIR API supports',
        response: { 200: resourceSchema },
      },
    },
    async (_request, reply) => {
      reply.type(FHIR_JSON);
      return asJson(capabilityStatement(baseUrl, version));
    },
  );
  await app.register(fhirReadRoutes, { ctx, baseUrl, recordRequestDecisions, consents });
  await app.register(fhirWriteRoutes, {
    ctx,
    baseUrl,
    recordRequestDecisions,
    consents,
  });
  await app.register(fhirSearchRoutes, {
    ctx,
    baseUrl,
    recordRequestDecisions,
    consents,
  });
  await app.register(bulkExportRoutes, { ctx, baseUrl, deps: bulkExport });
};
