import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import {
  ROOM_MAX_PARTICIPANTS,
  type ParticipantState,
  type RoomParticipant,
  type RoomRole,
  type RoomStatus,
  type SignalErrorCode,
  type StaffRole,
  type VerificationMethod,
} from '@safeconsult/protocol';
import { appendAuditEntries, type AuditEntryInput } from '../../audit/index.js';
import type { AppContext } from '../../context.js';
import { staffUserTable } from '../../identity/index.js';
import type { Queryable } from '../../platform/db/index.js';
import { revokeLinksAndSessions } from '../appointments.js';
import { nameContext } from '../invitations.js';
import { recordEncounter } from './encounter.js';
import {
  appointment,
  consultInvitation,
  consultRoom,
  consultRoomParticipant as member,
  participantSession,
} from '../schema.js';

/** A refusal in the room's terms, answered to the client as an `error` message with this code. */
export class RoomError extends Error {
  constructor(
    readonly code: SignalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'RoomError';
  }
}

/** Who enters: a member of staff, or a patient or companion by their session. */
export type Entrant = (
  | { kind: 'staff'; userId: string; role: StaffRole }
  | { kind: 'participant'; sessionId: string; participantKind: 'patient' | 'companion' }
) & { verifiedBy: VerificationMethod };

export interface RoomMember {
  id: string;
  role: RoomRole;
  state: ParticipantState;
  staffUserId: string | null;
  participantSessionId: string | null;
  connectionId: string | null;
  admittedAt: Date | null;
}

export interface RoomSnapshot {
  appointmentId: string;
  patientId: string;
  status: RoomStatus;
  members: (RoomMember & { view: RoomParticipant })[];
}

const actorOf = (who: Entrant): AuditEntryInput['actor'] =>
  who.kind === 'staff'
    ? { type: 'staff', id: who.userId, role: who.role }
    : { type: 'participant', id: who.sessionId, role: who.participantKind };

/** A consult event for the ledger, filed under the patient and the appointment. */
export function consultEntry(
  now: Date,
  action: string,
  who: Entrant,
  patientId: string,
  appointmentId: string,
  detail: Record<string, string> = {},
  refusal?: { requestId: string; address: string },
): AuditEntryInput {
  return {
    at: now,
    category: 'consult',
    action,
    outcome: refusal ? 'refused' : 'succeeded',
    actor: actorOf(who),
    patientId,
    resource: { type: 'Appointment', id: appointmentId },
    requestId: refusal?.requestId ?? null,
    address: refusal?.address ?? null,
    detail: { appointmentId, ...detail },
  };
}

/**
 * The room's row, locked for the rest of the transaction: changes to one room happen one at a time
 * across every node, so two admissions cannot both take the last place.
 */
async function lockRoom(tx: Queryable, appointmentId: string) {
  const [row] = await tx
    .select({
      status: consultRoom.status,
      patientId: appointment.patientId,
      clinicianId: appointment.clinicianId,
      appointmentStatus: appointment.status,
    })
    .from(consultRoom)
    .innerJoin(appointment, eq(appointment.id, consultRoom.appointmentId))
    .where(eq(consultRoom.appointmentId, appointmentId))
    .for('update', { of: consultRoom });
  if (!row) throw new RoomError('conflict', 'This consult has no room.');
  return { ...row, status: row.status as RoomStatus };
}

/** Refuses one more person taking part when the room has as many as it allows (`except` aside). */
async function assertPlaceFor(tx: Queryable, appointmentId: string, except?: string) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(member)
    .where(
      and(
        eq(member.appointmentId, appointmentId),
        eq(member.state, 'admitted'),
        except ? ne(member.id, except) : undefined,
      ),
    );
  if ((row?.n ?? 0) >= ROOM_MAX_PARTICIPANTS) {
    throw new RoomError('room_full', `At most ${ROOM_MAX_PARTICIPANTS} people take part at once.`);
  }
}

const consultEnded = () => new RoomError('conflict', 'This consult has ended.');

/**
 * Someone enters the room on a new connection. Staff who hold the consult are admitted at once and
 * open the room; a patient or companion waits, unless admitted before and not removed (a
 * reconnect keeps the call). Returns who they are in the room.
 */
export async function enterRoom(
  ctx: AppContext,
  appointmentId: string,
  who: Entrant,
  connectionId: string,
): Promise<RoomMember> {
  const now = ctx.now();
  return ctx.store.db.transaction(async (tx) => {
    await tx.insert(consultRoom).values({ appointmentId, createdAt: now }).onConflictDoNothing();
    const room = await lockRoom(tx, appointmentId);
    if (room.status === 'ended' || room.appointmentStatus !== 'scheduled') throw consultEnded();
    const [existing] = await tx
      .select()
      .from(member)
      .where(
        and(
          eq(member.appointmentId, appointmentId),
          who.kind === 'staff'
            ? eq(member.staffUserId, who.userId)
            : eq(member.participantSessionId, who.sessionId),
        ),
      );
    if (existing?.state === 'removed') {
      throw new RoomError('forbidden', 'You were removed from this consult.');
    }
    const role: RoomRole =
      who.kind === 'participant'
        ? who.participantKind
        : who.userId === room.clinicianId
          ? 'clinician'
          : 'staff';
    const admitted = who.kind === 'staff' || existing?.admittedAt != null;
    if (admitted) await assertPlaceFor(tx, appointmentId, existing?.id);
    const state: ParticipantState = admitted ? 'admitted' : 'waiting';
    const values = {
      state,
      connectionId,
      verifiedBy: who.verifiedBy,
      leftAt: null,
      ...(admitted && !existing?.admittedAt ? { admittedAt: now } : {}),
    };
    let row;
    if (existing) {
      [row] = await tx.update(member).set(values).where(eq(member.id, existing.id)).returning();
    } else {
      [row] = await tx
        .insert(member)
        .values({
          appointmentId,
          role,
          staffUserId: who.kind === 'staff' ? who.userId : null,
          participantSessionId: who.kind === 'participant' ? who.sessionId : null,
          joinedAt: now,
          ...values,
        })
        .returning();
    }
    if (!row) throw new Error('a room participant was not stored');
    if (who.kind === 'staff' && room.status === 'waiting') {
      await tx
        .update(consultRoom)
        .set({ status: 'open' })
        .where(eq(consultRoom.appointmentId, appointmentId));
    }
    return toMember(row);
  });
}

function toMember(row: typeof member.$inferSelect): RoomMember {
  return {
    id: row.id,
    role: row.role as RoomRole,
    state: row.state as ParticipantState,
    staffUserId: row.staffUserId,
    participantSessionId: row.participantSessionId,
    connectionId: row.connectionId,
    admittedAt: row.admittedAt,
  };
}

/**
 * A connection closed. The person counts as gone only if it was their current connection (a newer
 * one may have replaced it). Returns whether anything changed.
 */
export async function leaveRoom(
  ctx: AppContext,
  memberId: string,
  connectionId: string,
): Promise<boolean> {
  const left = await ctx.store.db
    .update(member)
    .set({ state: 'left', leftAt: ctx.now(), connectionId: null })
    .where(
      and(
        eq(member.id, memberId),
        eq(member.connectionId, connectionId),
        inArray(member.state, ['waiting', 'admitted']),
      ),
    )
    .returning({ id: member.id });
  return left.length > 0;
}

async function targetOf(tx: Queryable, appointmentId: string, memberId: string) {
  const [row] = await tx
    .select()
    .from(member)
    .where(and(eq(member.id, memberId), eq(member.appointmentId, appointmentId)));
  if (!row) throw new RoomError('not_in_room', 'Nobody with this id is in the room.');
  return toMember(row);
}

/** What a host's change to a room works with: the room, locked, and the ledger for the change. */
interface RoomChange {
  tx: Queryable;
  room: Awaited<ReturnType<typeof lockRoom>>;
  now: Date;
  /** Files the change in the ledger, in its transaction, as done by the host. */
  record: (action: string, detail?: Record<string, string>) => Promise<void>;
}

/** Runs a host's change with the room's row locked, so changes to one room take turns. */
async function changeRoom<T>(
  ctx: AppContext,
  appointmentId: string,
  by: Entrant,
  change: (c: RoomChange) => Promise<T>,
): Promise<T> {
  const now = ctx.now();
  return ctx.store.db.transaction(async (tx) => {
    const room = await lockRoom(tx, appointmentId);
    const record = (action: string, detail?: Record<string, string>) =>
      appendAuditEntries(tx, [
        consultEntry(now, action, by, room.patientId, appointmentId, detail),
      ]);
    return change({ tx, room, now, record });
  });
}

const memberDetail = (target: RoomMember) => ({
  participant: target.role,
  participantId: target.id,
});

/**
 * The host lets someone in from the waiting room; the ledger records it with the change. Returns
 * whether anything changed (admitting someone already in changes nothing).
 */
export async function admit(
  ctx: AppContext,
  appointmentId: string,
  by: Entrant,
  memberId: string,
): Promise<boolean> {
  return changeRoom(ctx, appointmentId, by, async ({ tx, room, now, record }) => {
    if (room.status === 'ended') throw consultEnded();
    const target = await targetOf(tx, appointmentId, memberId);
    if (target.state === 'admitted') return false;
    if (room.status === 'locked') {
      throw new RoomError('room_locked', 'The room is locked: unlock it to admit anyone.');
    }
    if (target.state !== 'waiting') {
      throw new RoomError('not_in_room', 'Only someone in the waiting room can be admitted.');
    }
    await assertPlaceFor(tx, appointmentId);
    await tx
      .update(member)
      .set({ state: 'admitted', admittedAt: now })
      .where(eq(member.id, memberId));
    await record('participant_admitted', memberDetail(target));
    return true;
  });
}

/**
 * The host removes a patient or companion: their session ends, so they cannot come back on it;
 * the clinic sends a new link if it wants them back. Returns whether anything changed.
 */
export async function removeParticipant(
  ctx: AppContext,
  appointmentId: string,
  by: Entrant,
  memberId: string,
): Promise<boolean> {
  return changeRoom(ctx, appointmentId, by, async ({ tx, room, now, record }) => {
    if (room.status === 'ended') throw consultEnded();
    const target = await targetOf(tx, appointmentId, memberId);
    if (target.participantSessionId === null) {
      throw new RoomError(
        'conflict',
        'Staff leave by themselves; only patients and companions are removed.',
      );
    }
    if (target.state === 'removed') return false;
    await tx.update(member).set({ state: 'removed', leftAt: now }).where(eq(member.id, memberId));
    await tx
      .update(participantSession)
      .set({ revokedAt: now })
      .where(
        and(
          eq(participantSession.id, target.participantSessionId),
          isNull(participantSession.revokedAt),
        ),
      );
    await record('participant_removed', memberDetail(target));
    return true;
  });
}

/** Locked, nobody more is admitted (arrivals still wait, so the host sees them); unlocked, again. */
export async function setRoomLocked(
  ctx: AppContext,
  appointmentId: string,
  by: Entrant,
  locked: boolean,
): Promise<boolean> {
  return changeRoom(ctx, appointmentId, by, async ({ tx, room, record }) => {
    if (room.status === 'ended') throw consultEnded();
    const status: RoomStatus = locked ? 'locked' : 'open';
    if (room.status === status) return false;
    await tx
      .update(consultRoom)
      .set({ status })
      .where(eq(consultRoom.appointmentId, appointmentId));
    await record(locked ? 'room_locked' : 'room_unlocked');
    return true;
  });
}

/**
 * Ends the consult for everyone, in one transaction: the room and the appointment end, its links
 * and participant sessions stop working, the patient's record gains the consult's Encounter, and
 * the ledger records it. Returns whether anything changed.
 */
export async function endConsult(
  ctx: AppContext,
  appointmentId: string,
  by: Entrant,
): Promise<boolean> {
  return changeRoom(ctx, appointmentId, by, async ({ tx, room, now, record }) => {
    if (room.status === 'ended') return false;
    // Read before everyone is marked gone: the Encounter names who took part.
    const snapshot = await readRoom(ctx, appointmentId, tx);
    if (!snapshot) throw new Error('a locked room could not be read');
    const encounterId = await recordEncounter(ctx, tx, snapshot, now);
    await tx
      .update(consultRoom)
      .set({ status: 'ended', endedAt: now, encounterId })
      .where(eq(consultRoom.appointmentId, appointmentId));
    await tx
      .update(member)
      .set({ state: 'left', leftAt: now, connectionId: null })
      .where(
        and(
          eq(member.appointmentId, appointmentId),
          inArray(member.state, ['waiting', 'admitted']),
        ),
      );
    await tx
      .update(appointment)
      .set({ status: 'ended' })
      .where(and(eq(appointment.id, appointmentId), eq(appointment.status, 'scheduled')));
    await revokeLinksAndSessions(tx, appointmentId, now);
    await record('consult_ended', { encounterId });
    return true;
  });
}

/** The room as it stands, with what each person may be shown about the others. */
export async function readRoom(
  ctx: AppContext,
  appointmentId: string,
  db: Queryable = ctx.store.db,
): Promise<RoomSnapshot | undefined> {
  const [room] = await db
    .select({ status: consultRoom.status, patientId: appointment.patientId })
    .from(consultRoom)
    .innerJoin(appointment, eq(appointment.id, consultRoom.appointmentId))
    .where(eq(consultRoom.appointmentId, appointmentId));
  if (!room) return undefined;
  const rows = await db
    .select({
      m: member,
      staffName: staffUserTable.displayName,
      invitationId: consultInvitation.id,
      companionName: consultInvitation.companionName,
      relationship: consultInvitation.relationship,
    })
    .from(member)
    .leftJoin(staffUserTable, eq(staffUserTable.id, member.staffUserId))
    .leftJoin(participantSession, eq(participantSession.id, member.participantSessionId))
    .leftJoin(consultInvitation, eq(consultInvitation.id, participantSession.invitationId))
    .where(eq(member.appointmentId, appointmentId))
    .orderBy(member.joinedAt, member.id);
  return {
    appointmentId,
    patientId: room.patientId,
    status: room.status as RoomStatus,
    members: rows.map(({ m, staffName, invitationId, companionName, relationship }) => ({
      ...toMember(m),
      view: {
        id: m.id,
        role: m.role as RoomRole,
        name:
          staffName ??
          (companionName && invitationId
            ? ctx.fields.decrypt(companionName, nameContext(invitationId))
            : null),
        relationship: relationship ?? null,
        state: m.state as ParticipantState,
        verifiedBy: m.verifiedBy as VerificationMethod,
        joinedAt: m.joinedAt.toISOString(),
      },
    })),
  };
}
