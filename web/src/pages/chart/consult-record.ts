import { conceptText, type Resource } from '../patients/fhir-view.js';

/** A document in the chart (a consult note), as the page shows it. */
export interface ChartDocument {
  id: string;
  title: string;
  date: string | undefined;
  author: string | undefined;
  superseded: boolean;
  /** The note's words, for plain-text documents; never interpreted as markup. */
  text: string | undefined;
  encounterId: string | undefined;
}

/** A consult in the chart's history, with its current note if one was written. */
export interface ChartConsult {
  id: string;
  start: string | undefined;
  minutes: number | undefined;
  participants: string[];
  noteId: string | undefined;
}

interface Reference {
  reference?: string;
  display?: string;
}

const idIn = (ref: Reference | undefined, type: string) =>
  ref?.reference?.startsWith(`${type}/`) ? ref.reference.slice(type.length + 1) : undefined;

/** The UTF-8 text of base64 data; undefined when it is not valid base64 or not UTF-8. */
export function decodeText(base64: string): string | undefined {
  try {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function chartDocument(d: Resource): ChartDocument {
  const attachment = (d.content as { attachment?: Record<string, unknown> }[] | undefined)?.[0]
    ?.attachment;
  const plain =
    typeof attachment?.contentType === 'string' && attachment.contentType.startsWith('text/plain');
  const context = d.context as { encounter?: Reference[] } | undefined;
  return {
    id: d.id ?? '',
    title: conceptText(d.type) ?? (typeof attachment?.title === 'string' ? attachment.title : '—'),
    date: typeof d.date === 'string' ? d.date : undefined,
    author: (d.author as Reference[] | undefined)?.[0]?.display,
    superseded: d.status === 'superseded',
    text: plain && typeof attachment?.data === 'string' ? decodeText(attachment.data) : undefined,
    encounterId: idIn(context?.encounter?.[0], 'Encounter'),
  };
}

const newestFirst = (a: string | undefined, b: string | undefined) =>
  (b ? Date.parse(b) : 0) - (a ? Date.parse(a) : 0);

/**
 * The clinical-notes section read as the chart shows it: documents, newest first, and the
 * consults (Encounters), newest first, each linked to its current note.
 */
export function consultRecord(items: readonly Record<string, unknown>[]): {
  documents: ChartDocument[];
  consults: ChartConsult[];
} {
  const resources = items as Resource[];
  const documents = resources
    .filter((r) => r.resourceType === 'DocumentReference')
    .map(chartDocument)
    .sort((a, b) => newestFirst(a.date, b.date));
  const consults = resources
    .filter((r) => r.resourceType === 'Encounter')
    .map((e): ChartConsult => {
      const period = e.period as { start?: string; end?: string } | undefined;
      const span =
        period?.start && period.end ? Date.parse(period.end) - Date.parse(period.start) : NaN;
      const participants = (e.participant as { individual?: Reference }[] | undefined) ?? [];
      return {
        id: e.id ?? '',
        start: period?.start,
        minutes: Number.isNaN(span) ? undefined : Math.max(1, Math.round(span / 60_000)),
        participants: participants.flatMap((p) =>
          p.individual?.display ? [p.individual.display] : [],
        ),
        noteId: documents.find((d) => d.encounterId === e.id && !d.superseded)?.id,
      };
    })
    .sort((a, b) => newestFirst(a.start, b.start));
  return { documents, consults };
}
