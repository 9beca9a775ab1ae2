import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CONSULT_FILE_MAX_BYTES,
  consultChatItemSchema,
  consultChatSchema,
  newChatMessageSchema,
  type ConsultChatItem,
  type ResourceRef,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { AppError, staffOrParticipant } from '../../platform/http/index.js';
import {
  ChatRefusal,
  postFile,
  postText,
  readChat,
  readFile,
  recordRefusal,
  useChat,
} from '../chat/chat-store.js';
import {
  ACCEPTED_TYPES,
  cleanFileName,
  nameContradicts,
  sniffFileType,
} from '../chat/file-type.js';
import { publishRoomEvent } from '../room/room-hub.js';
import { entrantOf } from './entrant.js';

const consultParams = z.strictObject({ appointmentId: z.uuid() });
const fileParams = z.strictObject({ appointmentId: z.uuid(), fileId: z.uuid() });
const consultOf = (request: FastifyRequest): ResourceRef => ({
  type: 'Appointment',
  id: (request.params as z.infer<typeof consultParams>).appointmentId,
});
const MEGABYTES = CONSULT_FILE_MAX_BYTES / (1024 * 1024);

/** The file's bytes as sent; Fastify hands them over as one Buffer (parser below). */
const rawFile = z.custom<Buffer>((v) => Buffer.isBuffer(v), { error: 'send the file as the body' });

const callOf = (request: FastifyRequest) => ({ id: String(request.id), ip: request.ip });

/** RFC 6266 / 8187: the UTF-8 name, percent-encoded, so no header can be broken out of. */
const attachment = (name: string) =>
  `attachment; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/**
 * A consult's chat and shared files, over HTTPS: stored encrypted with the room, filed in the
 * ledger with each read and write, and announced on the room's socket once committed.
 */
export const chatRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  // A file comes as its raw bytes. Whatever type the browser claims for it is taken as bytes too
  // (the type is read from the content), so a false claim is refused as a file, and recorded.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: CONSULT_FILE_MAX_BYTES },
    (_request, body, done) => done(null, body),
  );

  const announce = async (appointmentId: string, item: ConsultChatItem) => {
    await publishRoomEvent(ctx, appointmentId, { kind: 'chat', item });
  };

  app.post(
    '/api/consults/:appointmentId/chat',
    {
      config: { access: staffOrParticipant('chatInConsult', consultOf) },
      schema: {
        tags: ['consults'],
        summary: 'Post a chat message in the consult (those admitted in the room)',
        params: consultParams,
        body: newChatMessageSchema,
        response: { 201: consultChatItemSchema },
      },
    },
    async (request, reply) => {
      const { appointmentId } = request.params;
      const item = await useChat(
        ctx,
        appointmentId,
        entrantOf(request),
        'post',
        callOf(request),
        (place) => postText(place, request.body.text),
      );
      await announce(appointmentId, item);
      return reply.code(201).send(item);
    },
  );

  app.get(
    '/api/consults/:appointmentId/chat',
    {
      config: { access: staffOrParticipant('readConsultChat', consultOf) },
      schema: {
        tags: ['consults'],
        summary: "The consult's chat and shared files, oldest first",
        params: consultParams,
        response: { 200: consultChatSchema },
      },
    },
    async (request) => {
      const { appointmentId } = request.params;
      const items = await useChat(
        ctx,
        appointmentId,
        entrantOf(request),
        'read',
        callOf(request),
        readChat,
      );
      return { items };
    },
  );

  app.post(
    '/api/consults/:appointmentId/files',
    {
      config: { access: staffOrParticipant('chatInConsult', consultOf) },
      schema: {
        tags: ['consults'],
        summary: `Share a file in the consult: the raw bytes (application/octet-stream), its name percent-encoded in X-File-Name; ${ACCEPTED_TYPES}, at most ${MEGABYTES} MiB`,
        params: consultParams,
        headers: z.object({ 'x-file-name': z.string().min(1).max(2000) }),
        body: rawFile,
        response: { 201: consultChatItemSchema },
      },
      // Refused before the body is read, so an oversized upload is not taken in first.
      preParsing: async (request) => {
        const declared = Number(request.headers['content-length'] ?? 0);
        if (declared <= CONSULT_FILE_MAX_BYTES) return;
        const { appointmentId } = request.params;
        await recordRefusal(ctx, appointmentId, entrantOf(request), callOf(request), {
          use: 'post',
          reason: 'file_too_large',
        });
        throw tooLarge();
      },
    },
    async (request, reply) => {
      const { appointmentId } = request.params;
      const content = request.body;
      const who = entrantOf(request);
      let rawName: string;
      try {
        rawName = decodeURIComponent(request.headers['x-file-name']);
      } catch {
        throw new AppError('validation_failed', 'X-File-Name must be percent-encoded UTF-8.');
      }
      const item = await useChat(ctx, appointmentId, who, 'post', callOf(request), (place) => {
        // Checked once the caller's place in the room is: the type is the content's, not the name's.
        const type = sniffFileType(content);
        const name = type && cleanFileName(rawName, type);
        if (!type || !name || nameContradicts(name, type)) {
          throw new ChatRefusal(
            'file_type_not_allowed',
            'file_type_not_allowed',
            `A consult accepts ${ACCEPTED_TYPES} files, whose name (if it has an extension) matches their content.`,
            type ? { sniffed: type } : {},
          );
        }
        return postFile(place, { name, contentType: type, content });
      });
      await announce(appointmentId, item);
      return reply.code(201).send(item);
    },
  );

  app.get(
    '/api/consults/:appointmentId/files/:fileId',
    {
      config: { access: staffOrParticipant('readConsultChat', consultOf) },
      schema: {
        tags: ['consults'],
        summary: 'Download a file shared in the consult (always as an attachment)',
        params: fileParams,
        // Bytes, which Fastify sends without serialising.
        response: { 200: z.unknown().describe('The file, as it was shared') },
      },
    },
    async (request, reply) => {
      const { appointmentId, fileId } = request.params;
      const file = await useChat(
        ctx,
        appointmentId,
        entrantOf(request),
        'read',
        callOf(request),
        (place) => readFile(place, fileId),
      );
      if (!file) throw new AppError('not_found', 'This consult has no file with this id.');
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', attachment(file.name))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "sandbox; default-src 'none'")
        .header('cache-control', 'no-store')
        .send(file.content);
    },
  );
};

const tooLarge = () =>
  new AppError('file_too_large', `A file shared in a consult may have at most ${MEGABYTES} MiB.`);
