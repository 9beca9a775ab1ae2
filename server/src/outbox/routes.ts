import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { outboxMessageSchema } from '@safeconsult/protocol';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { signedIn } from '../platform/http/index.js';
import { listMessages } from './service.js';

export const outboxRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/admin/outbox',
    {
      config: { access: signedIn('viewSettings', { type: 'Settings', id: 'outbox' }) },
      schema: {
        tags: ['admin'],
        summary:
          'The outbox: messages the clinic has sent or is sending, with their delivery state, newest first',
        querystring: z.strictObject({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ messages: z.array(outboxMessageSchema) }) },
      },
    },
    async (request) => {
      const messages = await listMessages(ctx.store.db, ctx.fields, request.query.limit);
      return {
        messages: messages.map((m) => ({
          ...m,
          createdAt: m.createdAt.toISOString(),
          sentAt: m.sentAt?.toISOString() ?? null,
          nextAttemptAt: m.nextAttemptAt?.toISOString() ?? null,
        })),
      };
    },
  );
};
