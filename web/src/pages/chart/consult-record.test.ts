import { describe, expect, it } from 'vitest';
import { consultRecord, decodeText } from './consult-record.js';

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

const note = (id: string, status: string, date: string, text: string) => ({
  resourceType: 'DocumentReference',
  id,
  status,
  type: { coding: [{ system: 'http://loinc.org', code: '11488-4', display: 'Consult note' }] },
  date,
  author: [{ reference: 'Practitioner/p1', display: 'Dr. Jonas Becker' }],
  content: [{ attachment: { contentType: 'text/plain; charset=utf-8', data: base64(text) } }],
  context: { encounter: [{ reference: 'Encounter/e1' }] },
});

const encounter = {
  resourceType: 'Encounter',
  id: 'e1',
  period: { start: '2026-03-02T09:00:00Z', end: '2026-03-02T09:17:40Z' },
  participant: [
    { individual: { reference: 'Practitioner/p1', display: 'Dr. Jonas Becker' } },
    { individual: { display: 'Anna Fischer' } },
  ],
};

describe('consultRecord', () => {
  it('reads notes newest first, their text decoded as UTF-8, and links each consult to its current note', () => {
    const { documents, consults } = consultRecord([
      note('d1', 'superseded', '2026-03-02T09:20:00Z', 'Erste Fassung'),
      encounter,
      note('d2', 'current', '2026-03-02T09:30:00Z', 'Blutdruck <b>besser</b>; weiter so.'),
    ]);
    expect(documents.map((d) => [d.id, d.superseded])).toEqual([
      ['d2', false],
      ['d1', true],
    ]);
    expect(documents[0]).toMatchObject({
      title: 'Consult note',
      author: 'Dr. Jonas Becker',
      text: 'Blutdruck <b>besser</b>; weiter so.',
      encounterId: 'e1',
    });
    expect(consults).toEqual([
      {
        id: 'e1',
        start: '2026-03-02T09:00:00Z',
        minutes: 18,
        participants: ['Dr. Jonas Becker', 'Anna Fischer'],
        noteId: 'd2',
      },
    ]);
  });

  it('leaves a consult without a note unlinked, and text it cannot read undecoded', () => {
    const broken = {
      ...note('d3', 'current', '2026-03-01T00:00:00Z', ''),
      content: [
        { attachment: { contentType: 'text/plain', data: base64('\u00ff').slice(0, 2) + '@@' } },
      ],
      context: { encounter: [{ reference: 'Encounter/other' }] },
    };
    const { documents, consults } = consultRecord([encounter, broken]);
    expect(consults[0]?.noteId).toBeUndefined();
    expect(documents[0]?.text).toBeUndefined();
  });

  it('decodes only valid UTF-8', () => {
    expect(decodeText(base64('Grüße'))).toBe('Grüße');
    expect(decodeText(btoa('\xff\xfe'))).toBeUndefined();
  });
});
