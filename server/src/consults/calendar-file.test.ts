import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { consultCalendar, escapeText, foldLine, type ConsultEvent } from './calendar-file.js';

const EVENT: ConsultEvent = {
  uid: '6f1c2b1e-0d6a-4a53-9b0e-1d2f3a4b5c6d@care.example',
  sequence: 2,
  stamp: new Date('2026-11-25T08:00:00Z'),
  startsAt: new Date('2026-11-25T09:30:00Z'),
  endsAt: new Date('2026-11-25T09:50:00Z'),
  clinicianName: 'Dr. Okafor, GP',
  clinicName: 'Riverside; Family Practice',
  joinUrl: `https://care.example/join#token=${'a'.repeat(43)}`,
};

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

describe('consult calendar files', () => {
  it('is a REQUEST another parser reads back field by field', () => {
    const text = consultCalendar(EVENT, 'REQUEST');
    const { calendar, vevent, event } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(event.uid).toBe(EVENT.uid);
    expect(event.sequence).toBe(2);
    expect(event.summary).toBe('Video consult with Dr. Okafor, GP at Riverside; Family Practice');
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-25T09:30:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-11-25T09:50:00.000Z');
    expect(event.startDate.zone?.tzid).toBe('UTC');
    const stamp = vevent.getFirstPropertyValue('dtstamp') as ICAL.Time;
    expect(stamp.toJSDate().toISOString()).toBe('2026-11-25T08:00:00.000Z');
    expect(event.location).toBe(EVENT.joinUrl);
    expect(vevent.getFirstPropertyValue('url')).toBe(EVENT.joinUrl);
    expect(event.description).toContain(EVENT.joinUrl);
    expect(event.description).toContain('\n');
  });

  it('ends every line with CRLF and keeps every line within 75 octets', () => {
    const text = consultCalendar(
      {
        ...EVENT,
        clinicianName: 'Dr. Ännchen Müller-Lüdenscheidt-Großkopf',
        clinicName: 'Ü'.repeat(60),
      },
      'REQUEST',
    );
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const lines = text.split('\r\n').slice(0, -1);
    for (const line of lines) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    // The long summary was folded, and unfolds to the whole of it, umlauts intact.
    expect(lines.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(1);
    expect(parse(text).event.summary).toBe(
      `Video consult with Dr. Ännchen Müller-Lüdenscheidt-Großkopf at ${'Ü'.repeat(60)}`,
    );
  });

  it('is a CANCEL of the same entry, without the link', () => {
    const text = consultCalendar({ ...EVENT, sequence: 3 }, 'CANCEL');
    const { calendar, vevent, event } = parse(text);
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.uid).toBe(EVENT.uid);
    expect(event.sequence).toBe(3);
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(text).not.toContain('token=');
  });
});

describe('iCalendar text and lines', () => {
  it('escapes the characters TEXT values reserve', () => {
    expect(escapeText('a\\b;c,d\ne')).toBe('a\\\\b\\;c\\,d\\ne');
  });

  it('folds at 75 octets with a leading space, never inside a character', () => {
    const folded = foldLine(`SUMMARY:${'x'.repeat(66)}€€`);
    const [first, second] = folded.split('\r\n');
    expect(Buffer.byteLength(first!, 'utf8')).toBe(74);
    expect(second).toBe(' €€');
    expect(folded.replace(/\r\n /g, '')).toBe(`SUMMARY:${'x'.repeat(66)}€€`);
    expect(foldLine('SHORT:1')).toBe('SHORT:1');
  });
});
