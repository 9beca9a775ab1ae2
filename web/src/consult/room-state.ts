import {
  ROOM_MAX_PARTICIPANTS,
  SIGNAL_CLOSE,
  type RoomParticipant,
  type SignalServerMessage,
} from '@safeconsult/protocol';

export type RoomStateMessage = Extract<SignalServerMessage, { type: 'state' }>;
export type WelcomeMessage = Extract<SignalServerMessage, { type: 'welcome' }>;

/** Why a call ended for this person; each has its own message in the room. */
export type CallEnd = 'ended' | 'removed' | 'replaced' | 'sessionEnded' | 'refused' | 'left';

/**
 * The other participants to hold a peer connection with: only once this person is admitted, only
 * those admitted too (the server refuses signaling to and from the waiting room), and never more
 * than the mesh carries.
 */
export function peersToConnect(state: RoomStateMessage | undefined): string[] {
  if (!state || state.you.state !== 'admitted' || state.status === 'ended') return [];
  return state.participants
    .filter((p) => p.state === 'admitted' && p.id !== state.you.id)
    .map((p) => p.id)
    .slice(0, ROOM_MAX_PARTICIPANTS - 1);
}

/** Those in the waiting room, longest waiting first, as staff see them. */
export function waitingList(state: RoomStateMessage | undefined): RoomParticipant[] {
  return (state?.participants ?? [])
    .filter((p) => p.state === 'waiting')
    .sort((a, b) => a.joinedAt.localeCompare(b.joinedAt));
}

/**
 * Patients and companions in the call, whom staff may remove; staff leave by themselves (the
 * server refuses to remove them).
 */
export function removableInCall(state: RoomStateMessage | undefined): RoomParticipant[] {
  return (state?.participants ?? []).filter(
    (p) => p.state === 'admitted' && (p.role === 'patient' || p.role === 'companion'),
  );
}

/**
 * In "perfect negotiation" one side of each pair yields when both offer at once. Comparing the
 * participant ids decides it the same way on both ends without a message.
 */
export function isPolite(selfId: string, otherId: string): boolean {
  return selfId < otherId;
}

/**
 * What a closed socket means: the application's codes end the call for good; anything else (a
 * network loss, a server restart) is worth reconnecting after.
 */
export function closeOutcome(code: number): CallEnd | 'reconnect' {
  switch (code) {
    case SIGNAL_CLOSE.ended:
      return 'ended';
    case SIGNAL_CLOSE.removed:
      return 'removed';
    case SIGNAL_CLOSE.replaced:
      return 'replaced';
    case SIGNAL_CLOSE.sessionEnded:
      return 'sessionEnded';
    case SIGNAL_CLOSE.abuse:
    case SIGNAL_CLOSE.notFound:
      return 'refused';
    default:
      return 'reconnect';
  }
}

/** Exponential back-off with jitter, capped, so many clients do not return at the same instant. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 500 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + random() * 0.5));
}
