import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { WebSocket, RawData } from 'ws';
import {
  SIGNAL_CLIENT_TYPES,
  SIGNAL_CLOSE,
  SIGNAL_MAX_MESSAGE_BYTES,
  SIGNAL_MESSAGE_ACTIONS,
  signalClientMessageSchema,
  type AccessAction,
  type ConsultChatItem,
  type ParticipantState,
  type RoomParticipant,
  type SignalClientMessage,
  type SignalErrorCode,
  type SignalServerMessage,
} from '@safeconsult/protocol';
import { appendAuditEntries, type AuditEntryInput } from '../../audit/index.js';
import type { Principal } from '../../access/index.js';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../platform/db/index.js';
import { iceServersFor } from './ice-servers.js';
import type { LocalConnection, RoomHub } from './room-hub.js';
import type { SocketSession } from './session-watch.js';
import {
  consultEntry,
  admit,
  endConsult,
  enterRoom,
  leaveRoom,
  removeParticipant,
  RoomError,
  setRoomLocked,
  type Entrant,
  type RoomMember,
  type RoomSnapshot,
} from './room-store.js';

/** Messages a socket may send in a burst, and per second after it (ICE trickles in bursts). */
const RATE_BURST = 50;
const RATE_PER_SECOND = 25;
/** Refused messages a connection may send before it is closed. */
const MAX_REFUSALS = 30;
/**
 * An allowed decision holds while the person's place in the room and the policy version stay the
 * same, for up to this long (less a random share, so sockets opened together do not all decide
 * again in the same second). It bounds how late a change of facts, such as a care-team change,
 * reaches an open call's signaling; removing someone or ending the consult acts at once.
 */
const DECISION_TTL_MS = 5 * 60_000;
const DECISION_TTL_JITTER = 0.2;
/**
 * The action of media signaling (offers, answers, candidates), decided as soon as the person is
 * admitted rather than on their first message: a call's first offer then waits for nothing.
 */
const MEDIA_SIGNALING_ACTION = SIGNAL_MESSAGE_ACTIONS.offer;

/** What the connection needs of the access layer, handed in so that consults need not import it. */
export interface RoomAccess {
  /** Writes the decisions the upgrade request took (joining the consult), as routes do on reply. */
  recordRequestDecisions(request: FastifyRequest, db: Queryable): Promise<void>;
  /** The ledger entry of a refused access decision. */
  refusalEntry(
    principal: Principal,
    action: AccessAction,
    appointmentId: string,
    decision: Awaited<ReturnType<AppContext['access']['decide']>>,
    now: Date,
    request: { id: string; ip: string },
  ): AuditEntryInput;
}

export interface ConnectionOptions {
  ctx: AppContext;
  hub: RoomHub;
  access: RoomAccess;
  socket: WebSocket;
  appointmentId: string;
  patientId: string;
  entrant: Entrant;
  /** The caller in the policy's terms, in a given place in the room. */
  principal: (roomState: ParticipantState) => Principal;
  request: { id: string; ip: string };
  /** The session behind the socket, which the hub's watch checks. */
  session: SocketSession;
  /** What the room tells everyone about where the consult's record is kept. */
  storage: { keptBy: string; retentionYears: number };
}

/**
 * One WebSocket in a consult room: enters the room, then takes each message in turn through
 * size, rate, schema and the access policy before acting on it. Refusals are answered with an
 * `error` message and recorded; too many close the socket.
 */
export class RoomConnection implements LocalConnection {
  readonly id = randomUUID();
  readonly appointmentId: string;
  memberId: string | undefined;
  readonly session: SocketSession;
  private state: ParticipantState = 'waiting';
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  private tokens = RATE_BURST;
  private refilledAt: number;
  private refusals = 0;
  private lastRateNotice = 0;
  private readonly recordedCodes = new Set<SignalErrorCode>();
  private readonly decisions = new Map<
    AccessAction,
    { state: ParticipantState; policyVersion: number; until: number }
  >();

  constructor(private readonly o: ConnectionOptions) {
    this.appointmentId = o.appointmentId;
    this.session = o.session;
    this.refilledAt = o.ctx.now().getTime();
    o.socket.on('message', (data, isBinary) => {
      this.chain = this.chain.then(() => this.take(data, isBinary)).catch(this.fault);
    });
    o.socket.on('close', () => {
      void this.shutdown();
    });
    this.chain = this.enter().catch(this.fault);
  }

  private readonly fault = (error: unknown) => {
    this.o.ctx.log.error({ err: error }, 'a consult room connection failed');
    this.close(1011);
  };

  private send(message: SignalServerMessage) {
    if (this.closed) return;
    this.o.socket.send(JSON.stringify(message));
  }

  private close(code: number) {
    if (this.closed) return;
    this.o.socket.close(code);
    void this.shutdown();
  }

  private async enter() {
    const { ctx, hub } = this.o;
    let member: RoomMember;
    try {
      member = await enterRoom(ctx, this.appointmentId, this.o.entrant, this.id);
    } catch (error) {
      if (!(error instanceof RoomError)) throw error;
      this.send({ type: 'error', code: error.code, message: error.message });
      this.close(error.code === 'forbidden' ? SIGNAL_CLOSE.removed : SIGNAL_CLOSE.ended);
      return;
    }
    this.memberId = member.id;
    this.state = member.state;
    await hub.add(this);
    this.send({
      type: 'welcome',
      participantId: member.id,
      role: member.role,
      iceServers: iceServersFor(ctx.config.ice, member.id, ctx.now()),
      storage: this.o.storage,
    });
    await hub.publish(this.appointmentId, {
      kind: 'replaced',
      memberId: member.id,
      connectionId: this.id,
    });
    await hub.publish(this.appointmentId, { kind: 'changed' });
    // Staff, and a participant coming back, enter admitted.
    if (this.state === 'admitted') await this.decideAhead(MEDIA_SIGNALING_ACTION);
  }

  /** The socket closed, or the server is stopping: leave the room (if still this person's socket). */
  private shutdownDone: Promise<void> | undefined;
  shutdown(): Promise<void> {
    this.shutdownDone ??= (async () => {
      this.closed = true;
      if (this.o.socket.readyState === this.o.socket.OPEN) this.o.socket.close(1001);
      await this.chain.catch(() => {});
      if (!this.memberId) return;
      await this.o.hub.remove(this);
      if (await leaveRoom(this.o.ctx, this.memberId, this.id)) {
        await this.o.hub.publish(this.appointmentId, { kind: 'changed' });
      }
    })();
    return this.shutdownDone;
  }

  onReplaced(): void {
    this.close(SIGNAL_CLOSE.replaced);
  }

  onChat(item: ConsultChatItem): void {
    // Chat is for those in the call; the waiting room sees none of it.
    if (this.state === 'admitted') this.send({ type: 'chat', item });
  }

  /** A sign-out elsewhere, an idle expiry or a revocation ended the session behind the socket. */
  onSessionEnded(): void {
    this.close(SIGNAL_CLOSE.sessionEnded);
  }

  onRoomState(snapshot: RoomSnapshot): void {
    if (this.closed) return;
    const me = snapshot.members.find((m) => m.id === this.memberId);
    if (!me) return;
    if (snapshot.status === 'ended') {
      this.send({ type: 'ended' });
      this.close(SIGNAL_CLOSE.ended);
      return;
    }
    if (me.state === 'removed') {
      this.send({ type: 'removed' });
      this.close(SIGNAL_CLOSE.removed);
      return;
    }
    // Another connection speaks for this person now; its `replaced` event closes this one.
    if (me.connectionId !== this.id) return;
    if (me.state === 'admitted' && this.state !== 'admitted') {
      this.chain = this.chain
        .then(() => this.decideAhead(MEDIA_SIGNALING_ACTION))
        .catch(this.fault);
    }
    this.state = me.state;
    this.send({
      type: 'state',
      status: snapshot.status,
      you: { id: me.id, state: me.state },
      participants: this.visible(snapshot, me),
      recording: 'unavailable',
    });
  }

  /** Staff see everyone, the waiting room too; admitted people see who is in; a waiting one, themselves. */
  private visible(snapshot: RoomSnapshot, me: RoomMember): RoomParticipant[] {
    if (me.staffUserId !== null) return snapshot.members.map((m) => m.view);
    if (me.state === 'admitted') {
      return snapshot.members.filter((m) => m.state === 'admitted').map((m) => m.view);
    }
    return snapshot.members.filter((m) => m.id === me.id).map((m) => m.view);
  }

  onSignal(from: string, message: SignalServerMessage, snapshot: RoomSnapshot | undefined): void {
    // Both ends must be in the room as this node last saw it.
    const sender = snapshot?.members.find((m) => m.id === from);
    if (this.state !== 'admitted' || sender?.state !== 'admitted') return;
    this.send(message);
  }

  private takeToken(): boolean {
    const now = this.o.ctx.now().getTime();
    this.tokens = Math.min(
      RATE_BURST,
      this.tokens + ((now - this.refilledAt) / 1000) * RATE_PER_SECOND,
    );
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private async take(data: RawData, isBinary: boolean) {
    if (this.closed || !this.memberId) return;
    if (!this.takeToken()) {
      return this.refuse('rate_limited', 'Too many messages: slow down.');
    }
    // ws hands over one Buffer per message while binaryType stays 'nodebuffer', its default.
    const buffer = data as Buffer;
    if (buffer.length > SIGNAL_MAX_MESSAGE_BYTES) {
      return this.refuse(
        'message_too_large',
        `Messages may have at most ${SIGNAL_MAX_MESSAGE_BYTES} bytes.`,
      );
    }
    if (isBinary) return this.refuse('invalid_message', 'Messages are JSON text.');
    let json: unknown;
    try {
      json = JSON.parse(buffer.toString('utf8'));
    } catch {
      return this.refuse('invalid_message', 'The message is not JSON.');
    }
    const type = (json as { type?: unknown } | null)?.type;
    if (typeof type !== 'string' || !(SIGNAL_CLIENT_TYPES as string[]).includes(type)) {
      return this.refuse('unknown_type', 'The message has no type the room knows.');
    }
    const parsed = signalClientMessageSchema.safeParse(json);
    if (!parsed.success) {
      return this.refuse('invalid_message', `The ${type} message is not well formed.`, type);
    }
    const message = parsed.data;
    if (!(await this.allowed(SIGNAL_MESSAGE_ACTIONS[message.type]))) {
      return this.refuse('forbidden', 'The access policy does not allow this here.', type, false);
    }
    try {
      await this.act(message);
    } catch (error) {
      if (!(error instanceof RoomError)) throw error;
      await this.refuse(error.code, error.message, type);
    }
  }

  /** Decided by the access policy, with the person's current place in the room; refusals recorded. */
  private async allowed(action: AccessAction): Promise<boolean> {
    const { ctx } = this.o;
    const now = ctx.now();
    const cached = this.decisions.get(action);
    if (
      cached?.state === this.state &&
      cached.policyVersion === ctx.access.version &&
      cached.until > now.getTime()
    ) {
      return true;
    }
    const { principal, decision } = await this.decide(action, now);
    if (decision.allowed) return true;
    await appendAuditEntries(ctx.store.db, [
      this.o.access.refusalEntry(
        principal,
        action,
        this.appointmentId,
        decision,
        now,
        this.o.request,
      ),
    ]);
    return false;
  }

  /**
   * Asks the access policy now, in the person's current place, so that the answer is cached when
   * their messages come. A refusal is not recorded here: only a refused message is.
   */
  private async decideAhead(action: AccessAction): Promise<void> {
    if (!this.closed) await this.decide(action, this.o.ctx.now());
  }

  /** Asks the access policy and caches an allowed answer for this place and policy version. */
  private async decide(action: AccessAction, now: Date) {
    const { ctx } = this.o;
    const state = this.state;
    const version = ctx.access.version;
    const principal = this.o.principal(state);
    const decision = await ctx.access.decide(
      { principal, action, resource: { type: 'Appointment', id: this.appointmentId } },
      now,
    );
    if (decision.allowed) {
      this.decisions.set(action, {
        state,
        policyVersion: version,
        until: now.getTime() + DECISION_TTL_MS * (1 - DECISION_TTL_JITTER * Math.random()),
      });
    }
    return { principal, decision };
  }

  private async act(message: SignalClientMessage) {
    const { ctx, hub, entrant } = this.o;
    const id = this.appointmentId;
    const from = this.memberId!;
    let changed: boolean;
    switch (message.type) {
      case 'offer':
      case 'answer':
      case 'ice-candidate': {
        const target = hub.snapshot(id)?.members.find((m) => m.id === message.to);
        if (!target || target.state !== 'admitted' || target.id === from) {
          throw new RoomError('not_in_room', 'The addressed participant is not in the room.');
        }
        const relayed: SignalServerMessage =
          message.type === 'ice-candidate'
            ? { type: 'ice-candidate', from, candidate: message.candidate }
            : { type: message.type, from, sdp: message.sdp };
        await hub.publish(id, { kind: 'signal', from, to: message.to, message: relayed });
        return;
      }
      case 'admit':
        changed = await admit(ctx, id, entrant, message.participantId);
        break;
      case 'remove':
        changed = await removeParticipant(ctx, id, entrant, message.participantId);
        break;
      case 'lock':
        changed = await setRoomLocked(ctx, id, entrant, message.locked);
        break;
      case 'end':
        changed = await endConsult(ctx, id, entrant);
        break;
    }
    // A host action that changed nothing tells nobody anything.
    if (changed) await hub.publish(id, { kind: 'changed' });
  }

  /**
   * Answers a refused message and records it: each kind of refusal once per connection (a flood
   * must not become a flood of ledger entries), access refusals always (the decision point's
   * rule). Too many refusals close the socket.
   */
  private async refuse(
    code: SignalErrorCode,
    message: string,
    refused?: string,
    record = true,
  ): Promise<void> {
    const { ctx } = this.o;
    this.refusals += 1;
    const abusive = this.refusals > MAX_REFUSALS;
    if (record && !this.recordedCodes.has(code)) {
      this.recordedCodes.add(code);
      await appendAuditEntries(ctx.store.db, [
        this.entry('signal_refused', { code, ...(refused ? { type: refused } : {}) }),
      ]);
    }
    const now = ctx.now().getTime();
    if (code !== 'rate_limited' || now - this.lastRateNotice > 1000) {
      if (code === 'rate_limited') this.lastRateNotice = now;
      this.send({ type: 'error', code, message, ...(refused ? { refused } : {}) });
    }
    if (abusive) {
      await appendAuditEntries(ctx.store.db, [
        this.entry('signal_connection_closed', { reason: 'too many refused messages' }),
      ]);
      this.close(SIGNAL_CLOSE.abuse);
    }
  }

  private entry(action: string, detail: Record<string, string>): AuditEntryInput {
    const { ctx, entrant, patientId, request } = this.o;
    return consultEntry(
      ctx.now(),
      action,
      entrant,
      patientId,
      this.appointmentId,
      { participantId: this.memberId ?? '', ...detail },
      { requestId: request.id, address: request.ip },
    );
  }
}
