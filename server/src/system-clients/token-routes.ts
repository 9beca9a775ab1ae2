import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { recordSecurityEvent } from '../identity/index.js';
import { publicRoute, registerFormBodyParser } from '../platform/http/index.js';
import { supportedSystemScopes } from '../records/index.js';
import { ASSERTION_ALGORITHMS } from './registry.js';
import { exchangeAssertion, TokenRefusal } from './token-exchange.js';

const TOKEN_PATH = '/oauth/token';

const tokenRequestSchema = z.object({
  grant_type: z.string().optional(),
  client_assertion_type: z.string().optional(),
  client_assertion: z.string().max(16_000).optional(),
  scope: z.string().max(4_000).optional(),
});

const oauthErrorSchema = z.object({ error: z.string(), error_description: z.string() });

/**
 * SMART Backend Services (SMART App Launch 2, "Backend Services"): discovery and the token
 * endpoint where a registered system client exchanges a signed assertion for an access token.
 */
export const smartTokenRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  registerFormBodyParser(app);
  const tokenUrl = `${ctx.config.publicUrl}${TOKEN_PATH}`;

  // SMART puts discovery beside the FHIR base; the server's root answers too.
  for (const path of [
    '/.well-known/smart-configuration',
    '/fhir/.well-known/smart-configuration',
  ]) {
    app.get(
      path,
      {
        config: {
          access: publicRoute('SMART discovery describes the token endpoint; it holds no data.'),
        },
        schema: {
          tags: ['fhir'],
          summary: 'SMART configuration: where and how a system client obtains an access token',
          response: {
            200: z.object({
              token_endpoint: z.string(),
              token_endpoint_auth_methods_supported: z.array(z.string()),
              token_endpoint_auth_signing_alg_values_supported: z.array(z.string()),
              grant_types_supported: z.array(z.string()),
              scopes_supported: z.array(z.string()),
              capabilities: z.array(z.string()),
            }),
          },
        },
      },
      async () => ({
        token_endpoint: tokenUrl,
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
        token_endpoint_auth_signing_alg_values_supported: [...ASSERTION_ALGORITHMS],
        grant_types_supported: ['client_credentials'],
        scopes_supported: supportedSystemScopes(),
        capabilities: ['client-confidential-asymmetric'],
      }),
    );
  }

  app.post(
    TOKEN_PATH,
    {
      config: {
        access: publicRoute('A system client proves itself with a signed assertion in the body.'),
        rateLimit: { max: 60, timeWindow: 60_000 },
      },
      schema: {
        tags: ['fhir'],
        summary: 'OAuth 2.0 client-credentials grant with a JWT client assertion (RFC 7523)',
        body: tokenRequestSchema,
        response: {
          200: z.object({
            access_token: z.string(),
            token_type: z.literal('bearer'),
            expires_in: z.number().int(),
            scope: z.string(),
          }),
          400: oauthErrorSchema,
          401: oauthErrorSchema,
        },
      },
    },
    async (request, reply) => {
      // Tokens and refusals are never cached (RFC 6749 §5.1).
      reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
      const now = ctx.now();
      try {
        const issued = await exchangeAssertion(ctx.store.db, request.body, tokenUrl, now);
        await recordSecurityEvent(
          ctx.store.db,
          {
            type: 'client_token_issued',
            byClient: issued.clientId,
            address: request.ip,
            detail: { scope: issued.scopes.join(' ') },
          },
          now,
        );
        return {
          access_token: issued.accessToken,
          token_type: 'bearer' as const,
          expires_in: issued.expiresIn,
          scope: issued.scopes.join(' '),
        };
      } catch (error) {
        if (!(error instanceof TokenRefusal)) throw error;
        await recordSecurityEvent(
          ctx.store.db,
          {
            type: 'client_token_refused',
            ...(error.clientId ? { byClient: error.clientId } : {}),
            address: request.ip,
            detail: { error: error.error, reason: error.description },
          },
          now,
        );
        // RFC 6749 §5.2: a client that failed to authenticate is 401, anything else 400.
        return reply
          .code(error.error === 'invalid_client' ? 401 : 400)
          .send({ error: error.error, error_description: error.description });
      }
    },
  );
};
