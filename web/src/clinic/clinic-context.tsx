import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { clinicInfoSchema, type ClinicInfo } from '@safeconsult/protocol';
import { applyClinicDefaultLocale } from '../i18n/index.js';

const ClinicContext = createContext<ClinicInfo | undefined>(undefined);

async function fetchClinicInfo(signal: AbortSignal): Promise<ClinicInfo | undefined> {
  try {
    const response = await fetch('/api/clinic', {
      signal,
      headers: { accept: 'application/json' },
    });
    if (!response.ok) return undefined;
    const parsed = clinicInfoSchema.safeParse(await response.json());
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // offline or aborted: the app works without the clinic's name
  }
}

/** Loads the clinic's public profile once; until it arrives (or if it fails) there is none. */
export function ClinicProvider({ children }: { children: ReactNode }) {
  const [clinic, setClinic] = useState<ClinicInfo | undefined>(undefined);
  useEffect(() => {
    const controller = new AbortController();
    void fetchClinicInfo(controller.signal).then(async (info) => {
      if (!info) return;
      setClinic(info);
      await applyClinicDefaultLocale(info.defaultLocale);
    });
    return () => controller.abort();
  }, []);
  return <ClinicContext.Provider value={clinic}>{children}</ClinicContext.Provider>;
}

export function useClinic(): ClinicInfo | undefined {
  return useContext(ClinicContext);
}
