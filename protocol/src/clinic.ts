import { z } from 'zod';
import { LOCALES } from './locales.js';

/** What anyone may know about the clinic before signing in: shown on the sign-in and join pages. */
export const clinicInfoSchema = z.object({
  name: z.string(),
  defaultLocale: z.enum(LOCALES),
  timeZone: z.string(),
});

export type ClinicInfo = z.infer<typeof clinicInfoSchema>;
