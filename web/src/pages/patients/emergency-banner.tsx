import { useEffect, useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { EmergencyGrant } from '@safeconsult/protocol';
import { useDateTime } from '../../clinic/use-date-time.js';
import { formatTimeLeft, timeLeft } from './time-left.js';
import { useNow } from '../../clinic/use-now.js';

/**
 * Says, for as long as it lasts, that the record is open through emergency access, and how long
 * is left. Not a live region: a countdown read aloud every few seconds would drown the page.
 */
export function EmergencyBanner({
  grant,
  onEnded,
}: {
  grant: EmergencyGrant;
  onEnded: () => void;
}) {
  const { t, i18n } = useTranslation();
  const when = useDateTime();
  const id = useId();
  const now = useNow(10_000);
  const left = timeLeft(grant.expiresAt, now);
  const ended = left === undefined;

  // Once the access has ended the sections close: load them again so the page shows it.
  useEffect(() => {
    if (ended) onEnded();
  }, [ended, onEnded]);

  return (
    <section className="emergency-banner" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t(ended ? 'emergency.endedTitle' : 'emergency.activeTitle')}</h2>
      {left ? (
        <p>
          {t('emergency.timeLeft', {
            time: formatTimeLeft(left, i18n.language),
            until: when(grant.expiresAt),
          })}
        </p>
      ) : (
        <p>{t('emergency.ended')}</p>
      )}
      <p>{t('emergency.yourReason', { reason: grant.reason })}</p>
      <p className="why">{t('emergency.reviewNote')}</p>
    </section>
  );
}
