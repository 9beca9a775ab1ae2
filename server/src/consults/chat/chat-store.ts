import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import type { ConsultChatItem, ConsultFileType } from '@safeconsult/protocol';
import { appendAuditEntries } from '../../audit/index.js';
import type { AppContext } from '../../context.js';
import type { FieldProtection } from '../../platform/crypto/index.js';
import type { Queryable } from '../../platform/db/index.js';
import { AppError, type ErrorCode } from '../../platform/http/index.js';
import { findAppointment } from '../appointment-lookup.js';
import { consultEntry, readRoom, type Entrant, type RoomSnapshot } from '../room/room-store.js';
import { consultChatItem, consultFile } from '../schema.js';

export const textContext = (id: string) => `consult_chat_item.text:${id}`;
export const fileNameContext = (id: string) => `consult_file.name:${id}`;
export const contentContext = (id: string) => `consult_file.content:${id}`;

/** The request behind a chat call, for the ledger. */
interface ChatRequest {
  id: string;
  ip: string;
}

/** Posting needs the consult on; reading, either the consult on or (for staff) its record after. */
type ChatUse = 'post' | 'read';

interface ChatPlace {
  tx: Queryable;
  fields: FieldProtection;
  now: Date;
  room: RoomSnapshot;
  /** The caller's place in the room; absent for staff reading after the consult. */
  sender: ConsultChatItem['from'] | undefined;
  /** Files a ledger entry for this use of the chat, in its transaction. */
  record: (action: string, detail: Record<string, string>) => Promise<void>;
}

/**
 * A refusal of a use of the chat: thrown inside `useChat`, it rolls back whatever was begun, is
 * recorded on its own and answered with its code.
 */
export class ChatRefusal extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly reason: string,
    readonly detail: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'ChatRefusal';
  }
}

/** A chat line's sender as everyone in the room may see them: never the patient's name. */
const senderOf = (m: RoomSnapshot['members'][number]): ConsultChatItem['from'] => ({
  participantId: m.id,
  role: m.role,
  name: m.role === 'patient' ? null : m.view.name,
  relationship: m.view.relationship,
});

const memberOf = (room: RoomSnapshot, who: Entrant) =>
  room.members.find((m) =>
    who.kind === 'staff' ? m.staffUserId === who.userId : m.participantSessionId === who.sessionId,
  );

/**
 * Runs one use of a consult's chat in a transaction with its ledger entries. During the consult
 * only those admitted in the room (staff in it too) may post or read; after it, nobody posts and
 * staff read (the access policy has decided they may). A refusal changes nothing, is recorded,
 * and answers 403 (409 for posting into an ended consult).
 */
export async function useChat<T>(
  ctx: AppContext,
  appointmentId: string,
  who: Entrant,
  use: ChatUse,
  request: ChatRequest,
  act: (place: ChatPlace) => Promise<T>,
): Promise<T> {
  const now = ctx.now();
  try {
    return await ctx.store.db.transaction(async (tx) => {
      const room = await readRoom(ctx, appointmentId, tx);
      if (!room) {
        throw new ChatRefusal('forbidden', 'no_room', 'Only people admitted may use the chat.');
      }
      const member = memberOf(room, who);
      const refuse = (code: ErrorCode, reason: string, detail: string) =>
        new ChatRefusal(code, reason, detail);
      if (room.status === 'ended') {
        if (use === 'post') throw refuse('conflict', 'consult_ended', 'This consult has ended.');
        if (who.kind !== 'staff') {
          throw refuse('forbidden', 'consult_ended', 'This consult has ended.');
        }
      } else if (member?.state !== 'admitted') {
        throw refuse(
          'forbidden',
          member ? `participant_${member.state}` : 'not_in_room',
          'Only people admitted may use the chat.',
        );
      }
      const sender = member && senderOf(member);
      const record = (action: string, detail: Record<string, string>) =>
        appendAuditEntries(tx, [
          consultEntry(now, action, who, room.patientId, appointmentId, detail),
        ]);
      return act({ tx, fields: ctx.fields, now, room, sender, record });
    });
  } catch (error) {
    if (!(error instanceof ChatRefusal)) throw error;
    await recordRefusal(ctx, appointmentId, who, request, {
      use,
      reason: error.reason,
      ...error.extra,
    });
    throw new AppError(error.code, error.detail);
  }
}

/** Files a refused use of the chat in the ledger, on its own (nothing else was written). */
export async function recordRefusal(
  ctx: AppContext,
  appointmentId: string,
  who: Entrant,
  request: ChatRequest,
  detail: Record<string, string>,
): Promise<void> {
  const patientId = (await findAppointment(ctx.store.db, appointmentId))?.patientId ?? null;
  const entry = consultEntry(ctx.now(), 'chat_refused', who, '', appointmentId, detail, {
    requestId: request.id,
    address: request.ip,
  });
  // An appointment that does not exist has no patient to file the refusal under.
  await appendAuditEntries(ctx.store.db, [{ ...entry, patientId }]);
}

function requireSender(place: ChatPlace): ConsultChatItem['from'] {
  if (!place.sender) throw new Error('posting without a place in the room');
  return place.sender;
}

export async function postText(place: ChatPlace, text: string): Promise<ConsultChatItem> {
  const from = requireSender(place);
  const id = randomUUID();
  await place.tx.insert(consultChatItem).values({
    id,
    appointmentId: place.room.appointmentId,
    senderId: from.participantId,
    kind: 'text',
    text: place.fields.encrypt(text, textContext(id)),
    sentAt: place.now,
  });
  await place.record('chat_message_posted', { itemId: id });
  return { kind: 'text', id, sentAt: place.now.toISOString(), from, text };
}

interface NewFile {
  name: string;
  contentType: ConsultFileType;
  content: Buffer;
}

export async function postFile(place: ChatPlace, file: NewFile): Promise<ConsultChatItem> {
  const from = requireSender(place);
  const { fields } = place;
  const fileId = randomUUID();
  const id = randomUUID();
  await place.tx.insert(consultFile).values({
    id: fileId,
    appointmentId: place.room.appointmentId,
    name: fields.encrypt(file.name, fileNameContext(fileId)),
    contentType: file.contentType,
    size: file.content.length,
    content: fields.encryptBytes(file.content, contentContext(fileId)),
  });
  await place.tx.insert(consultChatItem).values({
    id,
    appointmentId: place.room.appointmentId,
    senderId: from.participantId,
    kind: 'file',
    fileId,
    sentAt: place.now,
  });
  await place.record('chat_file_shared', {
    itemId: id,
    fileId,
    contentType: file.contentType,
    size: String(file.content.length),
  });
  const shared = {
    id: fileId,
    name: file.name,
    contentType: file.contentType,
    size: file.content.length,
  };
  return { kind: 'file', id, sentAt: place.now.toISOString(), from, file: shared };
}

/** The consult's chat, oldest first; the read is in the ledger with the count it returned. */
export async function readChat(place: ChatPlace): Promise<ConsultChatItem[]> {
  const { tx, fields, room } = place;
  const rows = await tx
    .select({ item: consultChatItem, file: consultFile })
    .from(consultChatItem)
    .leftJoin(consultFile, eq(consultFile.id, consultChatItem.fileId))
    .where(eq(consultChatItem.appointmentId, room.appointmentId))
    .orderBy(asc(consultChatItem.sentAt), asc(consultChatItem.id));
  const senders = new Map(room.members.map((m) => [m.id, m]));
  const items = rows.map(({ item, file }): ConsultChatItem => {
    const m = senders.get(item.senderId)!;
    const base = {
      id: item.id,
      sentAt: item.sentAt.toISOString(),
      from: senderOf(m),
    };
    if (item.kind === 'text') {
      return { ...base, kind: 'text', text: fields.decrypt(item.text!, textContext(item.id)) };
    }
    return {
      ...base,
      kind: 'file',
      file: {
        id: file!.id,
        name: fields.decrypt(file!.name, fileNameContext(file!.id)),
        contentType: file!.contentType as ConsultFileType,
        size: file!.size,
      },
    };
  });
  await place.record('chat_read', { items: String(items.length) });
  return items;
}

/** One shared file of the consult with its content, or nothing; the read is in the ledger. */
export async function readFile(
  place: ChatPlace,
  fileId: string,
): Promise<(NewFile & { id: string }) | undefined> {
  const { tx, fields, room } = place;
  const [row] = await tx
    .select()
    .from(consultFile)
    .where(and(eq(consultFile.id, fileId), eq(consultFile.appointmentId, room.appointmentId)));
  if (!row) return undefined;
  await place.record('chat_file_read', { fileId });
  return {
    id: row.id,
    name: fields.decrypt(row.name, fileNameContext(row.id)),
    contentType: row.contentType as ConsultFileType,
    content: fields.decryptBytes(row.content, contentContext(row.id)),
  };
}
