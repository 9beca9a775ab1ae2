import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useClinic } from './clinic-context.js';

export interface DateTimeFormat {
  /** A stored instant for people to read; '—' when there is none. */
  (iso: string | null): string;
  /** The time zone the times are shown in, for a caption that says so. */
  timeZone: string;
}

/**
 * Formats instants in the user's language and in the clinic's time zone: staff work to the clinic's
 * clock, wherever their browser is. Until the clinic's profile arrives, the browser's zone is used.
 * With `seconds`, events a moment apart (a burst of failed sign-ins) stay apart.
 */
export function useDateTime({ seconds = false } = {}): DateTimeFormat {
  const { i18n } = useTranslation();
  const timeZone = useClinic()?.timeZone;
  return useMemo(() => {
    const formatter = new Intl.DateTimeFormat(i18n.language, {
      dateStyle: 'medium',
      timeStyle: seconds ? 'medium' : 'short',
      timeZone,
    });
    const format = (iso: string | null) => (iso ? formatter.format(new Date(iso)) : '—');
    return Object.assign(format, { timeZone: formatter.resolvedOptions().timeZone });
  }, [i18n.language, timeZone, seconds]);
}
