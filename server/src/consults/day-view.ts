import { and, asc, eq, gte, inArray, lt } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import {
  instantOnWallClock,
  wallClock,
  type Appointment,
  type DayConsult,
} from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { getClinicInfo } from '../clinic/index.js';
import { staffUserTable } from '../identity/index.js';
import { patientDisplayName, readPatient } from '../records/index.js';
import { nameContext } from './invitations.js';
import {
  appointment,
  consultInvitation,
  consultRoom,
  consultRoomParticipant,
  participantSession,
} from './schema.js';

type WaitingPerson = DayConsult['waiting'][number];

/** The calendar day after `date` (`YYYY-MM-DD`). */
function nextDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/**
 * A clinician's consults on one day of the clinic's clock, with who waits in each room now. Only
 * consults the caller may manage are listed: each is decided by the access policy (in one batch)
 * and the decisions, each naming its patient, are recorded with the request.
 */
export async function consultDay(
  ctx: AppContext,
  request: FastifyRequest,
  query: { date?: string | undefined; clinicianId: string },
): Promise<{ date: string; consults: DayConsult[] }> {
  const db = ctx.store.db;
  const timeZone = (await getClinicInfo(db))?.timeZone ?? 'UTC';
  const date = query.date ?? wallClock(ctx.now(), timeZone).date;
  const rows = await db
    .select({ a: appointment, clinician: staffUserTable.displayName })
    .from(appointment)
    .innerJoin(staffUserTable, eq(staffUserTable.id, appointment.clinicianId))
    .where(
      and(
        eq(appointment.clinicianId, query.clinicianId),
        gte(appointment.startsAt, instantOnWallClock(date, '00:00', timeZone)),
        lt(appointment.startsAt, instantOnWallClock(nextDate(date), '00:00', timeZone)),
      ),
    )
    .orderBy(asc(appointment.startsAt), asc(appointment.id));

  // Whoever may manage a consult (its clinician, the patient's care team, the front desk) sees
  // whom it is with, all day long, not only in the record's window around the consult.
  const principal = ctx.access.principalOf(request);
  const decisions = await ctx.access.decideForRequest(
    request,
    rows.map(({ a }) => ({
      principal,
      action: 'manageAppointment' as const,
      resource: { type: 'Appointment' as const, id: a.id },
    })),
    ctx.now(),
  );
  const names = new Map<string, string>();
  for (const [i, { a }] of rows.entries()) {
    if (!decisions[i]?.allowed || names.has(a.patientId)) continue;
    const patient = await readPatient(db, ctx.fields, a.patientId);
    if (patient) names.set(a.patientId, patientDisplayName(patient));
  }
  const visible = rows.filter((_, i) => decisions[i]?.allowed && names.has(rows[i]!.a.patientId));
  const rooms = await roomsOf(
    ctx,
    visible.map((r) => r.a.id),
  );

  return {
    date,
    consults: visible.map(({ a, clinician }) => {
      const room = rooms.get(a.id);
      const booked: Appointment = {
        id: a.id,
        patientId: a.patientId,
        clinician: { id: a.clinicianId, displayName: clinician },
        startsAt: a.startsAt.toISOString(),
        durationMinutes: a.durationMinutes,
        status: a.status as Appointment['status'],
      };
      return {
        appointment: booked,
        patientName: names.get(a.patientId) ?? '',
        roomStatus: room?.status ?? null,
        waiting: room?.waiting ?? [],
        inRoom: room?.inRoom ?? 0,
      };
    }),
  };
}

interface RoomNow {
  status: NonNullable<DayConsult['roomStatus']>;
  waiting: WaitingPerson[];
  inRoom: number;
}

/** The rooms of these consults now: status, who waits (longest first), how many are admitted. */
async function roomsOf(ctx: AppContext, appointmentIds: string[]): Promise<Map<string, RoomNow>> {
  const rooms = new Map<string, RoomNow>();
  if (appointmentIds.length === 0) return rooms;
  const db = ctx.store.db;
  const roomRows = await db
    .select()
    .from(consultRoom)
    .where(inArray(consultRoom.appointmentId, appointmentIds));
  for (const r of roomRows) {
    rooms.set(r.appointmentId, {
      status: r.status as RoomNow['status'],
      waiting: [],
      inRoom: 0,
    });
  }
  const people = await db
    .select({
      p: consultRoomParticipant,
      invitationId: consultInvitation.id,
      companionName: consultInvitation.companionName,
      relationship: consultInvitation.relationship,
    })
    .from(consultRoomParticipant)
    .leftJoin(
      participantSession,
      eq(participantSession.id, consultRoomParticipant.participantSessionId),
    )
    .leftJoin(consultInvitation, eq(consultInvitation.id, participantSession.invitationId))
    .where(
      and(
        inArray(consultRoomParticipant.appointmentId, appointmentIds),
        inArray(consultRoomParticipant.state, ['waiting', 'admitted']),
      ),
    )
    .orderBy(asc(consultRoomParticipant.joinedAt));
  for (const { p, invitationId, companionName, relationship } of people) {
    const room = rooms.get(p.appointmentId);
    if (!room) continue;
    if (p.state === 'admitted') {
      room.inRoom += 1;
    } else if (p.role === 'patient' || p.role === 'companion') {
      room.waiting.push({
        participantId: p.id,
        participant: p.role,
        name:
          p.role === 'companion' && companionName && invitationId
            ? ctx.fields.decrypt(companionName, nameContext(invitationId))
            : null,
        relationship:
          p.role === 'companion' ? (relationship as WaitingPerson['relationship']) : null,
        waitingSince: p.joinedAt.toISOString(),
      });
    }
  }
  return rooms;
}
