import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../context.js';
import { AppError, bearerTokenOf } from '../platform/http/index.js';
import { OPAQUE_TOKEN_FORMAT } from '../platform/crypto/index.js';
import { sectionsOfScopes } from '../records/index.js';
import { clientOfToken } from './token-exchange.js';

/**
 * On routes open to system clients, a request with `Authorization: Bearer` must carry a live
 * access token of a client that is not disabled; the request then acts as that client, with the
 * record sections its scopes reach. (Without the header the staff session hook decides.)
 */
export const clientAuthentication = fp(
  async (app: FastifyInstance, { ctx }: { ctx: AppContext }) => {
    app.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.access?.kind !== 'staff-or-client') return;
      const token = bearerTokenOf(request);
      if (token === undefined) return;
      const client = OPAQUE_TOKEN_FORMAT.test(token)
        ? await clientOfToken(ctx.store.db, token, ctx.now())
        : undefined;
      if (!client) {
        // RFC 6750 §3: say which scheme and why, without saying more.
        reply.header('www-authenticate', 'Bearer error="invalid_token"');
        throw new AppError('unauthenticated', 'The access token is not valid or has expired.');
      }
      request.systemClient = {
        clientId: client.clientId,
        scopes: client.scopes,
        ...sectionsOfScopes(client.scopes),
      };
    });
  },
);
