import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { NotificationClock as Clock } from '@safeconsult/protocol';
import { useDateTime } from '../../clinic/use-date-time.js';
import { clockWords } from './clock-text.js';

/**
 * One notification deadline, counting down: whom it is owed to, under which law, the time left or
 * overdue, and when it was met. The count is a timer, which screen readers do not announce each
 * second; the state words beside it say what matters.
 */
export function NotificationClock({
  kind,
  clock,
}: {
  kind: 'authority' | 'individuals';
  clock: Clock;
}) {
  const { t, i18n } = useTranslation();
  const when = useDateTime();
  const id = useId();
  const words = clockWords(clock, i18n.language);
  const alarming = clock.state === 'overdue' || clock.state === 'notified_late';
  return (
    <section className={`card clock clock-${clock.state}`} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>
        {t(`incidents.clocks.${kind}.title`)}
        <span className={alarming ? 'badge badge-alert' : 'badge badge-plain'}>
          {t(`incidents.clockState.${clock.state}`)}
        </span>
      </h2>
      <p className="muted">{t(`incidents.clocks.${kind}.law`)}</p>
      <p className="clock-count" role="timer">
        {t(words.key, words.values)}
      </p>
      <p>{t('incidents.clock.due', { due: when(clock.dueAt.toISOString()) })}</p>
    </section>
  );
}
