import { isLocale, DEFAULT_LOCALE, type ClinicInfo, type Locale } from '@safeconsult/protocol';
import type { Queryable } from '../platform/db/index.js';
import { organisation } from './schema.js';

export interface ClinicProfile {
  name: string;
  locale: Locale;
  timeZone: string;
}

/** Creates the clinic's profile on first start; an existing profile is left as the admin set it. */
export async function ensureClinic(db: Queryable, profile: ClinicProfile): Promise<void> {
  await db
    .insert(organisation)
    .values({ name: profile.name, defaultLocale: profile.locale, timeZone: profile.timeZone })
    .onConflictDoNothing();
}

export async function getClinicInfo(db: Queryable): Promise<ClinicInfo | undefined> {
  const [row] = await db.select().from(organisation).limit(1);
  if (!row) return undefined;
  return {
    name: row.name,
    defaultLocale: isLocale(row.defaultLocale) ? row.defaultLocale : DEFAULT_LOCALE,
    timeZone: row.timeZone,
  };
}

export async function updateClinic(db: Queryable, profile: ClinicProfile): Promise<void> {
  await db.update(organisation).set({
    name: profile.name,
    defaultLocale: profile.locale,
    timeZone: profile.timeZone,
    updatedAt: new Date(),
  });
}
