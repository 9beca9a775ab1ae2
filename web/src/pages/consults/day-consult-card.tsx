import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { DayConsult } from '@safeconsult/protocol';
import { ConsultActions } from './consult-actions.js';
import { minutesSince } from './clinic-day.js';

export const consultRoomPath = (appointmentId: string) =>
  `/console/consults/${encodeURIComponent(appointmentId)}`;

/** One consult of the day: when, who, where it stands, who waits for it, and what staff can do. */
export function DayConsultCard({
  consult,
  now,
  timeZone,
  mayEnterRoom,
  mayManage,
  onChanged,
}: {
  consult: DayConsult;
  now: Date;
  timeZone: string;
  mayEnterRoom: boolean;
  mayManage: boolean;
  onChanged: () => void;
}) {
  const { t, i18n } = useTranslation();
  const id = useId();
  const { appointment } = consult;
  const time = new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short', timeZone }).format(
    new Date(appointment.startsAt),
  );
  const scheduled = appointment.status === 'scheduled';

  return (
    <li className="card day-consult" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>
        <time dateTime={appointment.startsAt}>{time}</time> · {consult.patientName}
      </h3>
      <p className="meta">
        {t('consults.minutes', { count: appointment.durationMinutes })} ·{' '}
        {t(`consults.status.${appointment.status}`)}
        {consult.roomStatus && ` · ${t(`consults.room.${consult.roomStatus}`)}`}
        {consult.inRoom > 0 && ` · ${t('consults.inRoom', { count: consult.inRoom })}`}
      </p>
      {consult.waiting.length > 0 && (
        <section aria-label={t('consults.waitingRoom')}>
          <h4>{t('consults.waitingRoom')}</h4>
          <ul className="waiting-list">
            {consult.waiting.map((w) => (
              <li key={w.participantId}>
                {w.participant === 'patient'
                  ? t('consults.thePatient')
                  : t('consults.companion', {
                      name: w.name ?? '',
                      relationship: t(`consults.relationships.${w.relationship ?? 'other'}`),
                    })}{' '}
                — {t('consults.waitingFor', { count: minutesSince(w.waitingSince, now) })}
              </li>
            ))}
          </ul>
        </section>
      )}
      {scheduled && mayEnterRoom && (
        <Link className="button button-small" to={consultRoomPath(appointment.id)}>
          {t('consults.openRoom')}
        </Link>
      )}
      {scheduled && mayManage && (
        <ConsultActions appointment={appointment} timeZone={timeZone} onChanged={onChanged} />
      )}
    </li>
  );
}
