import { z } from 'zod';

/** One field-level problem inside a validation failure: where it is and what is wrong. */
export const problemFieldSchema = z.object({
  path: z.string(),
  message: z.string(),
});

/**
 * An error response, `application/problem+json` (RFC 9457). `code` is stable and documented in
 * docs/errors.md; `detail` is for people and never carries secrets or patient data.
 */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  code: z.string(),
  detail: z.string().optional(),
  instance: z.string().optional(),
  errors: z.array(problemFieldSchema).optional(),
});

export type Problem = z.infer<typeof problemSchema>;
export type ProblemField = z.infer<typeof problemFieldSchema>;
