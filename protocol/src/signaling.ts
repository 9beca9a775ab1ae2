import { z } from 'zod';
import type { AccessAction } from './access.js';
import { consultChatItemSchema, ROOM_ROLES } from './consult-chat.js';

/**
 * The consult room's realtime messages, over the WebSocket at `/api/consults/:id/signal`. The
 * server only signals: media flows between the browsers. Every message a client sends is checked
 * against these schemas and decided by the access policy under the action `SIGNAL_MESSAGE_ACTIONS`
 * names for its type.
 */

/** Largest message a client may send, in bytes of its UTF-8 text. */
export const SIGNAL_MAX_MESSAGE_BYTES = 64 * 1024;
/** Most people in a room's mesh at once (each sends its media to every other). */
export const ROOM_MAX_PARTICIPANTS = 4;

export const ROOM_STATUSES = ['waiting', 'open', 'locked', 'ended'] as const;
export type RoomStatus = (typeof ROOM_STATUSES)[number];
export const PARTICIPANT_STATES = ['waiting', 'admitted', 'removed', 'left'] as const;
export type ParticipantState = (typeof PARTICIPANT_STATES)[number];
/**
 * How the server knows who a participant is, for everyone's "how you are protected" panel: staff by
 * password and a second factor (or a passkey); patients and companions by their personal link, and
 * the patient also by the identity check the clinic's policy asks for.
 */
export const VERIFICATION_METHODS = [
  'staff_passkey',
  'staff_password_and_second_factor',
  'staff_password',
  'link_and_birth_date',
  'link',
] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];
/**
 * Recording in the room. SafeConsult does not record: `unavailable` is the only state the server
 * sends, and the room says so plainly rather than offering a control that does nothing.
 */
export const RECORDING_STATES = ['unavailable'] as const;

const participantId = z.uuid();
const sdp = z.string().min(1).max(SIGNAL_MAX_MESSAGE_BYTES);
/** RTCIceCandidateInit; `null` ends the candidates of a generation. */
const iceCandidate = z
  .strictObject({
    candidate: z.string().max(2_000),
    sdpMid: z.string().max(64).nullish(),
    sdpMLineIndex: z.number().int().min(0).max(1_000).nullish(),
    usernameFragment: z.string().max(256).nullish(),
  })
  .nullable();

/** What a client sends. */
export const signalClientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('offer'), to: participantId, sdp }),
  z.strictObject({ type: z.literal('answer'), to: participantId, sdp }),
  z.strictObject({ type: z.literal('ice-candidate'), to: participantId, candidate: iceCandidate }),
  z.strictObject({ type: z.literal('admit'), participantId }),
  z.strictObject({ type: z.literal('remove'), participantId }),
  z.strictObject({ type: z.literal('lock'), locked: z.boolean() }),
  z.strictObject({ type: z.literal('end') }),
]);
export type SignalClientMessage = z.infer<typeof signalClientMessageSchema>;
export type SignalClientType = SignalClientMessage['type'];
export const SIGNAL_CLIENT_TYPES: SignalClientType[] = signalClientMessageSchema.options.map(
  (o) => o.shape.type.value,
);

/**
 * The access policy's action for each message type a client may send. A message type without an
 * action does not compile; the route test checks every action is one the policy knows.
 */
export const SIGNAL_MESSAGE_ACTIONS = {
  offer: 'signalInConsult',
  answer: 'signalInConsult',
  'ice-candidate': 'signalInConsult',
  admit: 'admitParticipant',
  remove: 'admitParticipant',
  lock: 'admitParticipant',
  end: 'endConsult',
} as const satisfies Record<SignalClientType, AccessAction>;

export const roomParticipantSchema = z.object({
  id: participantId,
  role: z.enum(ROOM_ROLES),
  /** Staff's display name, a companion's name; null for the patient, whom the staff know. */
  name: z.string().nullable(),
  /** A companion's relationship to the patient (family, carer, interpreter, other). */
  relationship: z.string().nullable(),
  state: z.enum(PARTICIPANT_STATES),
  verifiedBy: z.enum(VERIFICATION_METHODS),
  /** When they arrived (in the waiting room, for patients and companions). */
  joinedAt: z.iso.datetime(),
});
export type RoomParticipant = z.infer<typeof roomParticipantSchema>;

/** An ICE server entry as RTCPeerConnection takes it. */
export const iceServerSchema = z.object({
  urls: z.array(z.string()),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof iceServerSchema>;

export const SIGNAL_ERROR_CODES = [
  /** Not JSON, or not the shape its type requires. */
  'invalid_message',
  /** A type the server does not know. */
  'unknown_type',
  'message_too_large',
  'rate_limited',
  /** The access policy does not allow it (e.g. an offer from the waiting room). */
  'forbidden',
  /** The addressed participant is not in the room (or not admitted). */
  'not_in_room',
  'room_full',
  'room_locked',
  /** The room or the participant is not in a state that allows it. */
  'conflict',
] as const;
export type SignalErrorCode = (typeof SIGNAL_ERROR_CODES)[number];

/**
 * What the server sends. The participant list a person sees depends on who they are: staff see the
 * waiting room; a waiting participant sees only themselves; admitted participants see those admitted.
 */
export const signalServerMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('welcome'),
    participantId,
    role: z.enum(ROOM_ROLES),
    iceServers: z.array(iceServerSchema),
    /** What the clinic keeps of a consult, for the "how you are protected" panel. */
    storage: z.object({
      /** Where chat, files and notes are kept: the clinic's own server. */
      keptBy: z.string(),
      /** How long the clinic keeps the consult's record (chat, files, notes), in years. */
      retentionYears: z.number().int().min(1),
    }),
  }),
  z.object({
    type: z.literal('state'),
    status: z.enum(ROOM_STATUSES),
    you: z.object({ id: participantId, state: z.enum(PARTICIPANT_STATES) }),
    participants: z.array(roomParticipantSchema),
    recording: z.enum(RECORDING_STATES),
  }),
  z.object({ type: z.literal('offer'), from: participantId, sdp }),
  z.object({ type: z.literal('answer'), from: participantId, sdp }),
  z.object({ type: z.literal('ice-candidate'), from: participantId, candidate: iceCandidate }),
  /** A new chat message or shared file, for admitted participants. */
  z.object({ type: z.literal('chat'), item: consultChatItemSchema }),
  /** This person was removed from the room; the socket closes. */
  z.object({ type: z.literal('removed') }),
  /** The consult has ended for everyone; the socket closes and the links stop working. */
  z.object({ type: z.literal('ended') }),
  z.object({
    type: z.literal('error'),
    code: z.enum(SIGNAL_ERROR_CODES),
    message: z.string(),
    /** The type of the refused message, when it had a known one. */
    refused: z.string().optional(),
  }),
]);
export type SignalServerMessage = z.infer<typeof signalServerMessageSchema>;

/** Close codes of the signaling socket (4000–4999 are the application's). */
export const SIGNAL_CLOSE = {
  ended: 4000,
  removed: 4001,
  /** The same person connected again (another tab, a reconnect): the older socket closes. */
  replaced: 4002,
  /** No consult at that address. */
  notFound: 4004,
  /** Too many refused messages. */
  abuse: 4008,
  /** The session behind the socket has ended. */
  sessionEnded: 4010,
} as const;
