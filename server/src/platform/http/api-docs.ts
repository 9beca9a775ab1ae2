import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { registerWithAccess } from './route-rules.js';
import { contentSecurityPolicy, cspHeaderValue } from './security-headers.js';

export const API_DOCS_PATH = '/api/docs';

/**
 * The OpenAPI document is generated from the route schemas, so it cannot drift from what the
 * server validates. Registered before any route so that every route is seen.
 */
export async function registerApiDocsGenerator(app: FastifyInstance, version: string) {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'SafeConsult API',
        description: 'Errors are application/problem+json (RFC 9457) with a stable `code`.',
        version,
      },
    },
    transform: jsonSchemaTransform,
  });
}

/**
 * The browsable documentation and the JSON document at /api/docs/json. Swagger UI sets inline
 * styles, so its pages (which hold no data) allow inline styles; scripts stay 'self' only.
 */
export async function registerApiDocsUi(app: FastifyInstance, https: boolean) {
  const csp = cspHeaderValue({
    ...contentSecurityPolicy(https),
    'style-src': ["'self'", "'unsafe-inline'"],
  });
  await registerWithAccess(
    app,
    { kind: 'public-files', why: 'API documentation, generated from the route schemas' },
    async (scope) => {
      scope.addHook('onSend', async (_request, reply, payload) => {
        reply.header('Content-Security-Policy', csp);
        return payload;
      });
      await scope.register(swaggerUi, { routePrefix: API_DOCS_PATH });
    },
  );
}
