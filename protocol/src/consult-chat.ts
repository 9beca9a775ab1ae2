import { z } from 'zod';

/** Staff hold the room; patients and companions come in through the waiting room. */
export const ROOM_ROLES = ['clinician', 'staff', 'patient', 'companion'] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

/**
 * Chat and files inside a consult. They are posted over HTTPS, stored encrypted and attached to the
 * consult's encounter; the room's socket only tells the others that something new is there.
 */

/** Longest chat message, in characters. */
export const CHAT_MAX_CHARACTERS = 4_000;
/** Largest file a participant may share, in bytes. */
export const CONSULT_FILE_MAX_BYTES = 10 * 1024 * 1024;
/**
 * The kinds of file a consult accepts. The server reads each upload's first bytes and takes the
 * type from them; the name and the browser's claim are not trusted.
 */
export const CONSULT_FILE_TYPES = {
  'application/pdf': 'pdf',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'text/plain': 'txt',
} as const;
export type ConsultFileType = keyof typeof CONSULT_FILE_TYPES;

export const newChatMessageSchema = z.strictObject({
  text: z.string().trim().min(1).max(CHAT_MAX_CHARACTERS),
});

const sender = z.object({
  /** The sender's place in the room (a room participant id). */
  participantId: z.uuid(),
  role: z.enum(ROOM_ROLES),
  /** Staff's display name or a companion's name; null for the patient. */
  name: z.string().nullable(),
  /** A companion's relationship to the patient (family, carer, interpreter, other). */
  relationship: z.string().nullable(),
});

export const consultFileSchema = z.object({
  id: z.uuid(),
  /** The name it was shared under, cleaned of paths and control characters. */
  name: z.string(),
  contentType: z.enum(Object.keys(CONSULT_FILE_TYPES) as [ConsultFileType, ...ConsultFileType[]]),
  size: z.number().int().min(1),
});
export type ConsultFile = z.infer<typeof consultFileSchema>;

/** One line of the consult's chat: a text message or a shared file. */
export const consultChatItemSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    id: z.uuid(),
    sentAt: z.iso.datetime(),
    from: sender,
    text: z.string(),
  }),
  z.object({
    kind: z.literal('file'),
    id: z.uuid(),
    sentAt: z.iso.datetime(),
    from: sender,
    file: consultFileSchema,
  }),
]);
export type ConsultChatItem = z.infer<typeof consultChatItemSchema>;

export const consultChatSchema = z.object({ items: z.array(consultChatItemSchema) });
