import { z } from 'zod';

export const healthSchema = z.object({ status: z.literal('ok') });

/** Readiness: the store answers and every migration this build ships has been applied. */
export const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.object({
    store: z.enum(['ok', 'unreachable']),
    migrations: z.enum(['applied', 'pending', 'unknown']),
  }),
});

export type Readiness = z.infer<typeof readinessSchema>;
