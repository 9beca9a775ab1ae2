import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  consultNoteSchema,
  newConsultNoteSchema,
  type NewConsultNote,
  type ResourceRef,
} from '@safeconsult/protocol';
import { changeWithAudit } from '../../access/index.js';
import type { AppContext } from '../../context.js';
import { AppError, signedIn } from '../../platform/http/index.js';
import { writeConsultNote } from '../note/consult-note.js';
import { entrantOf } from './entrant.js';

const consultParams = z.strictObject({ appointmentId: z.uuid() });

/** Writing a consult note is writing the patient's clinical notes, decided before anything is read. */
const notesOf = (request: FastifyRequest): ResourceRef => ({
  type: 'RecordSection',
  patientId: (request.body as NewConsultNote).patientId,
  section: 'clinical_notes',
});

/** The clinician's note on a consult, once it has ended, filed in the patient's record. */
export const consultNoteRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.post(
    '/api/consults/:appointmentId/note',
    {
      config: { access: signedIn('writeRecord', notesOf, { hideRefusal: true }) },
      schema: {
        tags: ['consults'],
        summary:
          "Write the consult note (plain text) after the consult has ended: a DocumentReference linked to the consult's Encounter; a second note replaces the first",
        params: consultParams,
        body: newConsultNoteSchema,
        response: { 201: consultNoteSchema },
      },
    },
    async (request, reply) => {
      const author = entrantOf(request);
      if (author.kind !== 'staff') throw new AppError('unauthenticated');
      const note = await changeWithAudit(request, ctx.store.db, (tx) =>
        writeConsultNote(ctx, tx, {
          appointmentId: request.params.appointmentId,
          patientId: request.body.patientId,
          text: request.body.text,
          author,
        }),
      );
      return reply.code(201).send(note);
    },
  );
};
