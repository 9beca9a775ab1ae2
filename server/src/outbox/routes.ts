import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { outboxMessageSchema } from '@safeconsult/protocol';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { AppError, signedIn } from '../platform/http/index.js';
import { listMessages, readAttachment } from './service.js';

const outboxSettings = signedIn('viewSettings', { type: 'Settings', id: 'outbox' });

export const outboxRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/admin/outbox',
    {
      config: { access: outboxSettings },
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

  app.get(
    '/api/admin/outbox/:messageId/attachments/:index',
    {
      config: { access: outboxSettings },
      schema: {
        tags: ['admin'],
        summary: 'A file sent with an outbox message (a calendar entry), as it was sent',
        params: z.strictObject({
          messageId: z.uuid(),
          index: z.coerce.number().int().min(0).max(20),
        }),
        // The file as sent, not JSON.
        response: { 200: z.unknown().describe('The attachment, with its own content type') },
      },
    },
    async (request, reply) => {
      const { messageId, index } = request.params;
      const file = await readAttachment(ctx.store.db, ctx.fields, messageId, index);
      if (!file) throw new AppError('not_found');
      // The name is ours (e.g. consult.ics), never from a person; quoted characters are kept simple.
      const filename = file.filename.replace(/[^\w.-]/g, '_');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${filename}"`)
        .send(Buffer.from(file.content, 'base64'));
    },
  );
};
