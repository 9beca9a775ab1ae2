import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import type { InvitationPreview, ParticipantKind, VerificationMethod } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { getClinicInfo } from '../clinic/index.js';
import { currentSecurityPolicy, recordSecurityEvent } from '../identity/index.js';
import { enqueueMessage } from '../outbox/index.js';
import { hashOpaqueToken, newOpaqueToken, OPAQUE_TOKEN_FORMAT } from '../platform/crypto/index.js';
import type { Queryable } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { patientBirthDateMatches } from '../records/index.js';
import { findAppointment } from './appointment-lookup.js';
import { consultFacts, invitationEmail, invitationSms } from './invitation-messages.js';
import { consultInvitation } from './schema.js';

/** How a patient or companion was let in: by their link, and the identity check where asked. */
export type ParticipantVerification = Extract<VerificationMethod, `link${string}`>;

/** Links and sessions outlast the booked end a little, for consults that run over. */
export const OVERRUN_MS = 30 * 60_000;

/** Wrong answers to the identity check before the link stops working. */
const MAX_FAILED_CHECKS = 5;

export const nameContext = (id: string) => `consult_invitation.companion_name:${id}`;
export const emailContext = (id: string) => `consult_invitation.companion_email:${id}`;

export interface InvitationRequest {
  appointmentId: string;
  kind: ParticipantKind;
  email: string;
  /** The patient's mobile number, which gets the link by text as well. */
  mobile?: string | undefined;
  companion?: { name: string; relationship: string };
}

const invalidLink = () =>
  new AppError(
    'token_invalid',
    'This link does not work: it may have been used, cancelled or have expired. Ask the clinic for a new one.',
  );

/**
 * Creates a single-use link to the appointment and queues it to the person, with a calendar entry,
 * inside the caller's transaction. The link carries its token in the fragment, which browsers
 * never send on.
 */
export async function issueInvitation(
  ctx: AppContext,
  tx: Queryable,
  request: InvitationRequest,
): Promise<void> {
  const found = await findAppointment(tx, request.appointmentId);
  if (!found || found.status !== 'scheduled') {
    throw new AppError('not_found', 'No scheduled appointment has this id.');
  }
  const now = ctx.now();
  const token = newOpaqueToken();
  const [row] = await tx
    .insert(consultInvitation)
    .values({
      appointmentId: request.appointmentId,
      kind: request.kind,
      relationship: request.companion?.relationship ?? null,
      tokenHash: hashOpaqueToken(token),
      createdAt: now,
      expiresAt: new Date(found.endsAt.getTime() + OVERRUN_MS),
    })
    .returning({ id: consultInvitation.id });
  if (!row) throw new Error('an invitation was not stored');
  if (request.companion) {
    await tx
      .update(consultInvitation)
      .set({
        companionName: ctx.fields.encrypt(request.companion.name, nameContext(row.id)),
        companionEmail: ctx.fields.encrypt(request.email, emailContext(row.id)),
      })
      .where(eq(consultInvitation.id, row.id));
  }
  const facts = await consultFacts(tx, found);
  const joinUrl = `${ctx.config.publicUrl}/join#token=${token}`;
  const identityCheck =
    request.kind === 'patient' &&
    (await currentSecurityPolicy(ctx.store, tx)).patients.identityCheck === 'date_of_birth';
  await enqueueMessage(
    ctx,
    tx,
    invitationEmail(
      ctx,
      facts,
      { email: request.email, companionName: request.companion?.name, identityCheck },
      joinUrl,
    ),
    now,
  );
  if (request.mobile) {
    await enqueueMessage(ctx, tx, invitationSms(facts, request.mobile, joinUrl), now);
  }
}

/** The companions invited to a consult whose links still stand, with where their links went. */
export async function invitedCompanions(ctx: AppContext, tx: Queryable, appointmentId: string) {
  const rows = await tx
    .select()
    .from(consultInvitation)
    .where(
      and(
        eq(consultInvitation.appointmentId, appointmentId),
        eq(consultInvitation.kind, 'companion'),
        isNull(consultInvitation.revokedAt),
      ),
    );
  return rows.flatMap((r) =>
    r.companionName && r.companionEmail && r.relationship
      ? [
          {
            name: ctx.fields.decrypt(r.companionName, nameContext(r.id)),
            email: ctx.fields.decrypt(r.companionEmail, emailContext(r.id)),
            relationship: r.relationship,
          },
        ]
      : [],
  );
}

type InvitationRow = typeof consultInvitation.$inferSelect;

/** Invites a companion to a booked consult; the link goes out once the invitation is committed. */
export async function inviteCompanion(
  ctx: AppContext,
  appointmentId: string,
  companion: { name: string; relationship: string; email: string },
): Promise<void> {
  await ctx.store.db.transaction((tx) =>
    issueInvitation(ctx, tx, {
      appointmentId,
      kind: 'companion',
      email: companion.email,
      companion: { name: companion.name, relationship: companion.relationship },
    }),
  );
  ctx.outboxSignal.notify();
}

async function usableInvitation(ctx: AppContext, token: string): Promise<InvitationRow> {
  if (!OPAQUE_TOKEN_FORMAT.test(token)) throw invalidLink();
  const [row] = await ctx.store.db
    .select()
    .from(consultInvitation)
    .where(
      and(
        eq(consultInvitation.tokenHash, hashOpaqueToken(token)),
        isNull(consultInvitation.usedAt),
        isNull(consultInvitation.revokedAt),
        gt(consultInvitation.expiresAt, ctx.now()),
      ),
    );
  if (!row) throw invalidLink();
  return row;
}

/** Who and when, and what the person must confirm: everything the join pages show. */
async function detailsOf(ctx: AppContext, invitation: InvitationRow) {
  const found = await findAppointment(ctx.store.db, invitation.appointmentId);
  if (!found || found.status !== 'scheduled') throw invalidLink();
  const clinic = await getClinicInfo(ctx.store.db);
  const policy = await currentSecurityPolicy(ctx.store);
  const kind = invitation.kind as ParticipantKind;
  const preview: InvitationPreview = {
    clinicName: clinic?.name ?? 'SafeConsult',
    clinicianName: found.clinician.displayName,
    startsAt: found.startsAt,
    durationMinutes: found.durationMinutes,
    participant: kind,
    companionName: invitation.companionName
      ? ctx.fields.decrypt(invitation.companionName, nameContext(invitation.id))
      : null,
    // Companions are admitted by name from the waiting room; they need not know the patient's data.
    identityCheck: kind === 'patient' ? policy.patients.identityCheck : 'none',
  };
  return {
    ...preview,
    invitationId: invitation.id,
    appointmentId: found.id,
    patientId: found.patientId,
    endsAt: found.endsAt,
  };
}

/** What the person sees on opening the link, while it is still usable. */
export async function previewInvitation(ctx: AppContext, token: string) {
  return detailsOf(ctx, await usableInvitation(ctx, token));
}

/** The invitation behind a participant's session, for the pages they see once joined. */
export async function invitationById(ctx: AppContext, id: string) {
  const [row] = await ctx.store.db
    .select()
    .from(consultInvitation)
    .where(eq(consultInvitation.id, id));
  if (!row) throw new AppError('unauthenticated');
  return detailsOf(ctx, row);
}

export type InvitationDetails = Awaited<ReturnType<typeof detailsOf>>;

/**
 * Checks the identity answer; a wrong one counts against the link, and the last allowed one
 * revokes it. Both are recorded for the security officer. Answers how the person was verified.
 */
export async function checkIdentity(
  ctx: AppContext,
  preview: InvitationDetails,
  birthDate: string | undefined,
  address: string,
): Promise<ParticipantVerification> {
  if (preview.identityCheck === 'none') return 'link';
  if (!birthDate) {
    throw new AppError('validation_failed', 'Enter the date of birth.', [
      { path: 'body.birthDate', message: 'is required for this link' },
    ]);
  }
  if (await patientBirthDateMatches(ctx.store.db, ctx.fields, preview.patientId, birthDate)) {
    return 'link_and_birth_date';
  }
  const now = ctx.now();
  const [counted] = await ctx.store.db
    .update(consultInvitation)
    .set({
      failedChecks: sql`${consultInvitation.failedChecks} + 1`,
      revokedAt: sql`case when ${consultInvitation.failedChecks} + 1 >= ${MAX_FAILED_CHECKS} then ${now} else ${consultInvitation.revokedAt} end`,
    })
    .where(eq(consultInvitation.id, preview.invitationId))
    .returning({ failed: consultInvitation.failedChecks });
  const failed = counted?.failed ?? MAX_FAILED_CHECKS;
  const locked = failed >= MAX_FAILED_CHECKS;
  await recordSecurityEvent(
    ctx.store.db,
    {
      type: locked ? 'participant_link_locked' : 'participant_check_failed',
      address,
      detail: { appointmentId: preview.appointmentId, failed },
    },
    now,
  );
  if (locked) throw invalidLink();
  throw new AppError(
    'identity_check_failed',
    `The date of birth does not match. ${MAX_FAILED_CHECKS - failed} tries left.`,
  );
}

/** Uses the link up, inside the transaction that starts the session it is exchanged for. */
export async function useInvitation(db: Queryable, invitationId: string, now: Date): Promise<void> {
  const used = await db
    .update(consultInvitation)
    .set({ usedAt: now })
    .where(and(eq(consultInvitation.id, invitationId), isNull(consultInvitation.usedAt)))
    .returning({ id: consultInvitation.id });
  // Two tabs racing with one link: only one gets through.
  if (used.length === 0) throw invalidLink();
}
