import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { consultDaySchema, wallClock } from '@safeconsult/protocol';
import { useApi } from '../../api/use-api.js';
import { useSession } from '../../auth/session-context.js';
import { mayUse } from '../../auth/may-use.js';
import { useClinic } from '../../clinic/clinic-context.js';
import { useNow } from '../../clinic/use-now.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { ProblemMessage } from '../problem-message.js';
import { BookConsultForm } from './book-consult-form.js';
import { clinicToday, shiftDate } from './clinic-day.js';
import { DayConsultCard } from './day-consult-card.js';

/** The list is read again this often, so new arrivals in a waiting room show up. */
const REFRESH_MS = 10_000;
/** Waiting minutes are counted on between reads. */
const TICK_MS = 5_000;

/**
 * The clinician's day: consults on a date of the clinic's clock, who waits in each room and for
 * how long, and booking, moving and cancelling consults.
 */
export function ConsultsPage() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const timeZone = useClinic()?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const id = useId();
  const [date, setDate] = useState(() => clinicToday(timeZone));
  const now = useNow(TICK_MS);
  const { data, problem, reload } = useApi(
    `/api/consults/day?date=${encodeURIComponent(date)}`,
    consultDaySchema,
  );
  usePageTitle('consults.title');

  useEffect(() => {
    const timer = window.setInterval(reload, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);

  const mayEnterRoom = mayUse(session, ['clinician', 'nurse']);
  const mayManage = mayUse(session, ['clinician', 'nurse', 'front_desk']);
  const heading = new Intl.DateTimeFormat(i18n.language, {
    dateStyle: 'full',
    timeZone: 'UTC',
  }).format(new Date(`${date}T12:00:00Z`));

  return (
    <div className="page">
      <h1>{t('consults.title')}</h1>
      <p className="lead">{t('consults.intro', { zone: timeZone })}</p>
      <nav className="form form-row day-picker" aria-label={t('consults.dayPicker')}>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setDate(shiftDate(date, -1))}
        >
          {t('consults.previousDay')}
        </button>
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('consults.date')}</label>
          <input
            id={`${id}-date`}
            type="date"
            value={date}
            required
            onChange={(event) => event.target.value && setDate(event.target.value)}
          />
        </div>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setDate(shiftDate(date, 1))}
        >
          {t('consults.nextDay')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => setDate(clinicToday(timeZone))}
        >
          {t('consults.today')}
        </button>
      </nav>
      <section aria-labelledby={`${id}-day`} aria-live="polite" aria-busy={!data && !problem}>
        <h2 id={`${id}-day`}>{heading}</h2>
        {problem && <ProblemMessage problem={problem} fallbackKey="consults.loadFailed" />}
        {data?.consults.length === 0 && <p className="empty-state">{t('consults.none')}</p>}
        {data && data.consults.length > 0 && (
          <ul className="day-consults">
            {data.consults.map((c) => (
              <DayConsultCard
                key={c.appointment.id}
                consult={c}
                now={now}
                timeZone={timeZone}
                mayEnterRoom={mayEnterRoom}
                mayManage={mayManage}
                onChanged={reload}
              />
            ))}
          </ul>
        )}
      </section>
      {mayManage && (
        <BookConsultForm
          timeZone={timeZone}
          onBooked={(startsAt) => {
            const day = wallClock(new Date(startsAt), timeZone).date;
            if (day === date) reload();
            else setDate(day);
          }}
        />
      )}
    </div>
  );
}
