import { z } from 'zod';
import {
  consultChatItemSchema,
  signalServerMessageSchema,
  type ConsultChatItem,
  type SignalServerMessage,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import type { BusSubscription } from '../../platform/bus/index.js';
import { readRoom, type RoomSnapshot } from './room-store.js';
import { SessionWatch, type StandingSessions, type WatchedSocket } from './session-watch.js';

/** What nodes tell each other about a room, on its bus subject. */
const roomEventSchema = z.discriminatedUnion('kind', [
  /** The room's state changed in the store: read it again and tell everyone here. */
  z.object({ kind: z.literal('changed') }),
  /** A message from one participant to another. */
  z.object({
    kind: z.literal('signal'),
    from: z.uuid(),
    to: z.uuid(),
    message: signalServerMessageSchema,
  }),
  /** The person connected again elsewhere; their older connections close. */
  z.object({ kind: z.literal('replaced'), memberId: z.uuid(), connectionId: z.string() }),
  /** A chat message or file was posted (and committed): for those admitted in the room. */
  z.object({ kind: z.literal('chat'), item: consultChatItemSchema }),
]);
export type RoomEvent = z.infer<typeof roomEventSchema>;

/**
 * How often the node asks the store whether the sessions behind its sockets still stand: the
 * bound on how late a sign-out elsewhere closes an open call's signaling.
 */
const SESSION_RECHECK_MS = 10_000;

/** What the hub needs of a connection on this node. */
export interface LocalConnection extends WatchedSocket {
  readonly id: string;
  readonly appointmentId: string;
  readonly memberId: string | undefined;
  onRoomState(snapshot: RoomSnapshot): void;
  onSignal(from: string, message: SignalServerMessage, snapshot: RoomSnapshot | undefined): void;
  onReplaced(): void;
  onChat(item: ConsultChatItem): void;
  shutdown(): Promise<void>;
}

interface LocalRoom {
  appointmentId: string;
  connections: Set<LocalConnection>;
  subscription: Promise<BusSubscription>;
  /** Events are handled one after another, so a signal never overtakes the state change before it. */
  queue: Promise<void>;
  snapshot: RoomSnapshot | undefined;
}

export const roomSubject = (appointmentId: string) => `consult.room.${appointmentId}`;

/** Tells every node serving the room (this one too) about something that happened in it. */
export const publishRoomEvent = (ctx: AppContext, appointmentId: string, event: RoomEvent) =>
  ctx.bus.publish(roomSubject(appointmentId), event);

/**
 * This node's part of the consult rooms: the sockets it holds, one bus subscription per room they
 * are in, and the room's state as last read from the store. Everything that happens in a room
 * goes through the bus, the node's own events too, so one node and many behave alike.
 */
export class RoomHub {
  private readonly rooms = new Map<string, LocalRoom>();
  private readonly sessions: SessionWatch;

  constructor(
    private readonly ctx: AppContext,
    standingSessions: StandingSessions,
  ) {
    this.sessions = new SessionWatch(standingSessions, ctx.log, SESSION_RECHECK_MS);
  }

  /** Adds a connection; resolves once this node hears the room's events. */
  async add(connection: LocalConnection): Promise<void> {
    const id = connection.appointmentId;
    let room = this.rooms.get(id);
    if (!room) {
      const created: LocalRoom = {
        appointmentId: id,
        connections: new Set(),
        queue: Promise.resolve(),
        snapshot: undefined,
        subscription: this.ctx.bus.subscribe(roomSubject(id), (message) =>
          this.receive(created, message),
        ),
      };
      room = created;
      this.rooms.set(id, room);
    }
    room.connections.add(connection);
    this.sessions.add(connection);
    await room.subscription;
  }

  async remove(connection: LocalConnection): Promise<void> {
    this.sessions.remove(connection);
    const room = this.rooms.get(connection.appointmentId);
    if (!room || !room.connections.delete(connection)) return;
    if (room.connections.size > 0) return;
    this.rooms.delete(connection.appointmentId);
    await (await room.subscription).unsubscribe();
  }

  /** The room as this node last read it. */
  snapshot(appointmentId: string): RoomSnapshot | undefined {
    return this.rooms.get(appointmentId)?.snapshot;
  }

  publish(appointmentId: string, event: RoomEvent): Promise<void> {
    return publishRoomEvent(this.ctx, appointmentId, event);
  }

  /** Closes every connection on this node (the server is stopping). */
  async close(): Promise<void> {
    this.sessions.close();
    const all = [...this.rooms.values()].flatMap((room) => [...room.connections]);
    await Promise.all(all.map((c) => c.shutdown()));
  }

  private receive(room: LocalRoom, message: unknown) {
    const parsed = roomEventSchema.safeParse(message);
    if (!parsed.success) {
      this.ctx.log.warn('a room event on the bus did not match its schema');
      return;
    }
    room.queue = room.queue
      .then(() => this.handle(room, parsed.data))
      .catch((error: unknown) => {
        this.ctx.log.error({ err: error }, 'a room event could not be handled');
      });
  }

  private async handle(room: LocalRoom, event: RoomEvent): Promise<void> {
    switch (event.kind) {
      case 'changed': {
        const snapshot = await readRoom(this.ctx, room.appointmentId);
        if (!snapshot) return;
        room.snapshot = snapshot;
        for (const c of room.connections) c.onRoomState(snapshot);
        return;
      }
      case 'signal':
        for (const c of room.connections) {
          if (c.memberId === event.to) c.onSignal(event.from, event.message, room.snapshot);
        }
        return;
      case 'replaced':
        for (const c of room.connections) {
          if (c.memberId === event.memberId && c.id !== event.connectionId) c.onReplaced();
        }
        return;
      case 'chat':
        for (const c of room.connections) c.onChat(event.item);
        return;
    }
  }
}
