import { z } from 'zod';

/** The longest consult note accepted, in characters: pages of text, never a pasted file. */
export const CONSULT_NOTE_MAX_CHARS = 20_000;

/**
 * The clinician's note on a consult that has ended. The patient is named so that the access
 * policy decides the write on that patient's record before anything is read; the server checks
 * that the consult is theirs.
 */
export const newConsultNoteSchema = z.strictObject({
  patientId: z.uuid(),
  text: z
    .string()
    .trim()
    .min(1, 'Write the note before saving it.')
    .max(CONSULT_NOTE_MAX_CHARS, `A note has at most ${CONSULT_NOTE_MAX_CHARS} characters.`),
});
export type NewConsultNote = z.infer<typeof newConsultNoteSchema>;

/** Where the note was filed: a DocumentReference linked to the consult's Encounter. */
export const consultNoteSchema = z.object({
  documentReferenceId: z.uuid(),
  encounterId: z.uuid(),
  /** The earlier note on the same consult that this one replaces, if any. */
  replaces: z.uuid().nullable(),
  date: z.iso.datetime(),
});
export type ConsultNote = z.infer<typeof consultNoteSchema>;
