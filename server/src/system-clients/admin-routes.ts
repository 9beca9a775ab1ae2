import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  newSystemClientSchema,
  systemClientChangeSchema,
  systemClientSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { recordSecurityEvent, requireSession } from '../identity/index.js';
import { AppError, sensitive, signedIn } from '../platform/http/index.js';
import { changeClient, listClients, registerClient } from './registry.js';

const settings = { type: 'Settings', id: 'system-clients' } as const;

/** The clinic administrator registers, changes and disables system clients. */
export const systemClientAdminRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.get(
    '/api/admin/system-clients',
    {
      config: { access: signedIn('viewSettings', settings) },
      schema: {
        tags: ['admin'],
        summary: 'Registered system clients (SMART Backend Services), newest first',
        response: { 200: z.object({ clients: z.array(systemClientSchema) }) },
      },
    },
    async () => ({ clients: await listClients(ctx.store.db) }),
  );

  app.post(
    '/api/admin/system-clients',
    {
      config: { access: sensitive('changeSettings', settings) },
      schema: {
        tags: ['admin'],
        summary: 'Register a system client with its public keys and the most it may be granted',
        body: newSystemClientSchema,
        response: { 201: systemClientSchema },
      },
    },
    async (request, reply) => {
      const { userId } = requireSession(request);
      const now = ctx.now();
      const client = await ctx.store.db.transaction(async (tx) => {
        const created = await registerClient(tx, request.body, userId, now);
        await recordSecurityEvent(
          tx,
          {
            type: 'system_client_registered',
            userId,
            address: request.ip,
            detail: { clientId: created.clientId, scope: created.scopes.join(' ') },
          },
          now,
        );
        return created;
      });
      return reply.code(201).send(client);
    },
  );

  app.patch(
    '/api/admin/system-clients/:clientId',
    {
      config: { access: sensitive('changeSettings', settings) },
      schema: {
        tags: ['admin'],
        summary: 'Disable or enable a system client, or replace its keys or scopes',
        params: z.strictObject({ clientId: z.uuid() }),
        body: systemClientChangeSchema,
        response: { 200: systemClientSchema },
      },
    },
    async (request) => {
      const { userId } = requireSession(request);
      const now = ctx.now();
      return ctx.store.db.transaction(async (tx) => {
        const changed = await changeClient(tx, request.params.clientId, request.body, now);
        if (!changed) throw new AppError('not_found');
        await recordSecurityEvent(
          tx,
          {
            type: 'system_client_changed',
            userId,
            address: request.ip,
            detail: {
              clientId: changed.clientId,
              disabled: changed.disabled,
              scope: changed.scopes.join(' '),
              keysReplaced: request.body.jwks !== undefined,
            },
          },
          now,
        );
        return changed;
      });
    },
  );
};
