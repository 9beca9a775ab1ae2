import type { AppContext } from '../context.js';
import { getClinicInfo } from '../clinic/index.js';
import type { MessageAttachment, OutgoingMessage } from '../outbox/index.js';
import type { Queryable } from '../platform/db/index.js';
import { consultCalendar, type ConsultEvent } from './calendar-file.js';

/** What the messages about one consult say: who, where, when. Never the patient or the reason. */
export interface ConsultFacts {
  appointmentId: string;
  sequence: number;
  startsAt: Date;
  endsAt: Date;
  durationMinutes: number;
  clinicianName: string;
  clinicName: string;
  timeZone: string;
}

/** A consult's facts for its messages, with the clinic's name and clock. */
export async function consultFacts(
  tx: Queryable,
  found: {
    id: string;
    sequence: number;
    startsAt: string;
    endsAt: Date;
    durationMinutes: number;
    clinician: { displayName: string };
  },
): Promise<ConsultFacts> {
  const clinic = await getClinicInfo(tx);
  return {
    appointmentId: found.id,
    sequence: found.sequence,
    startsAt: new Date(found.startsAt),
    endsAt: found.endsAt,
    durationMinutes: found.durationMinutes,
    clinicianName: found.clinician.displayName,
    clinicName: clinic?.name ?? 'SafeConsult',
    timeZone: clinic?.timeZone ?? 'UTC',
  };
}

function formatWhen(date: Date, timeZone: string, style: 'full' | 'short'): string {
  return new Intl.DateTimeFormat('en', {
    dateStyle: style === 'full' ? 'full' : 'medium',
    timeStyle: 'short',
    timeZone,
  }).format(date);
}

function calendarFile(
  ctx: AppContext,
  facts: ConsultFacts,
  method: 'REQUEST' | 'CANCEL',
  joinUrl = '',
): MessageAttachment {
  const event: ConsultEvent = {
    // One identifier per consult for its whole life, so calendars move or remove the same entry.
    uid: `${facts.appointmentId}@${new URL(ctx.config.publicUrl).hostname}`,
    sequence: facts.sequence,
    stamp: ctx.now(),
    startsAt: facts.startsAt,
    endsAt: facts.endsAt,
    clinicianName: facts.clinicianName,
    clinicName: facts.clinicName,
    joinUrl,
  };
  return {
    filename: method === 'CANCEL' ? 'consult-cancelled.ics' : 'consult.ics',
    contentType: `text/calendar; charset=utf-8; method=${method}`,
    content: Buffer.from(consultCalendar(event, method), 'utf8').toString('base64'),
  };
}

export function invitationEmail(
  ctx: AppContext,
  facts: ConsultFacts,
  to: { email: string; companionName?: string | undefined; identityCheck: boolean },
  joinUrl: string,
): OutgoingMessage {
  const greeting = to.companionName ? `Hello ${to.companionName},` : 'Hello,';
  const when = formatWhen(facts.startsAt, facts.timeZone, 'full');
  const check = to.identityCheck ? ' Before joining you confirm your date of birth.' : '';
  const moved =
    facts.sequence > 0 ? ' The consultation has moved; earlier links no longer work.' : '';
  return {
    channel: 'email',
    purpose: 'consult_invitation',
    recipient: to.email,
    subject: `Your video consultation with ${facts.clinicianName}`,
    body:
      `${greeting}\n\n${facts.clinicName} invites you to a video consultation with ` +
      `${facts.clinicianName} on ${when} (${facts.durationMinutes} minutes).${moved}\n\n` +
      'Join from a phone, tablet or computer with a camera; there is nothing to install:\n\n' +
      `${joinUrl}\n\n` +
      `The link is for you alone and works once, for this appointment only.${check}\n\n` +
      'The attached calendar entry adds the consultation to your calendar.',
    attachments: [calendarFile(ctx, facts, 'REQUEST', joinUrl)],
  };
}

/** A text to the patient's mobile: clinic, time and link only, as texts show on locked screens. */
export function invitationSms(
  facts: ConsultFacts,
  phone: string,
  joinUrl: string,
): OutgoingMessage {
  return {
    channel: 'sms',
    purpose: 'consult_invitation',
    recipient: phone,
    subject: '',
    body: `${facts.clinicName}: video consultation ${formatWhen(facts.startsAt, facts.timeZone, 'short')}. Join: ${joinUrl}`,
  };
}

export function cancellationEmail(
  ctx: AppContext,
  facts: ConsultFacts,
  to: { email: string; companionName?: string | undefined },
): OutgoingMessage {
  const greeting = to.companionName ? `Hello ${to.companionName},` : 'Hello,';
  return {
    channel: 'email',
    purpose: 'consult_cancellation',
    recipient: to.email,
    subject: `Cancelled: your video consultation with ${facts.clinicianName}`,
    body:
      `${greeting}\n\n${facts.clinicName} has cancelled the video consultation with ` +
      `${facts.clinicianName} on ${formatWhen(facts.startsAt, facts.timeZone, 'full')}. ` +
      'Its link no longer works.\n\nThe attached calendar entry removes it from your calendar.',
    attachments: [calendarFile(ctx, facts, 'CANCEL')],
  };
}
