/**
 * Calendar entries for consult invitations (RFC 5545 iCalendar with RFC 5546 methods), so that a
 * patient or companion can put the consult in their calendar with its join link. The entry names
 * the clinician and the clinic only: calendars are synced to services the clinic does not control,
 * so no reason or diagnosis goes in.
 */

export interface ConsultEvent {
  /** Stable per appointment, so calendars update the entry rather than add one. */
  uid: string;
  /** 0 when booked, one more for every change: calendars keep the entry with the highest. */
  sequence: number;
  stamp: Date;
  startsAt: Date;
  endsAt: Date;
  clinicianName: string;
  clinicName: string;
  joinUrl: string;
}

const CRLF = '\r\n';
const MAX_LINE_OCTETS = 75;

/** TEXT values (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks are escaped. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Folds a content line at 75 octets (RFC 5545 §3.1): continuation lines start with one space,
 * which counts towards their 75; a UTF-8 character is never split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(CRLF);
}

/** UTC date-time form (RFC 5545 §3.3.5, form #2): 20261125T090000Z. */
function utcDateTime(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/**
 * The calendar file for a consult: METHOD:REQUEST adds or moves the entry, METHOD:CANCEL removes
 * it. The caller raises `sequence` for every change so that calendars apply it.
 */
export function consultCalendar(event: ConsultEvent, method: 'REQUEST' | 'CANCEL'): string {
  const summary = `Video consult with ${event.clinicianName} at ${event.clinicName}`;
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//SafeConsult//Consult invitations//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${method}`,
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${utcDateTime(event.stamp)}`,
    `DTSTART:${utcDateTime(event.startsAt)}`,
    `DTEND:${utcDateTime(event.endsAt)}`,
    `SUMMARY:${escapeText(summary)}`,
    `STATUS:${method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    ...(method === 'REQUEST'
      ? [
          `LOCATION:${escapeText(event.joinUrl)}`,
          `URL:${event.joinUrl}`,
          `DESCRIPTION:${escapeText(
            `Join from a phone, tablet or computer with a camera: ${event.joinUrl}\n` +
              'The link is for you alone and works once.',
          )}`,
        ]
      : [`DESCRIPTION:${escapeText('This video consult has been cancelled.')}`]),
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
