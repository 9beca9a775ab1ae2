import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentDetail } from '@safeconsult/protocol';
import { useDateTime } from '../../clinic/use-date-time.js';
import { instantOfInput, inputValue } from './clock-text.js';
import type { IncidentChange } from './use-incident-change.js';
import { formText } from './form-text.js';

const FIELDS = { authority: 'authorityNotifiedAt', individuals: 'individualsNotifiedAt' } as const;

/** Records when the authority or the individuals were notified, which stops that clock. */
export function NotificationRecord({
  kind,
  incident,
  change,
}: {
  kind: keyof typeof FIELDS;
  incident: IncidentDetail;
  change: IncidentChange;
}) {
  const { t } = useTranslation();
  const when = useDateTime();
  const id = useId();
  const field = FIELDS[kind];
  const notifiedAt = incident[field];
  const open = incident.status === 'open';

  if (notifiedAt) {
    return (
      <p>
        {t(`incidents.clocks.${kind}.notifiedAt`, { when: when(notifiedAt) })}{' '}
        {open && (
          <button
            type="button"
            className="button button-secondary button-small"
            onClick={() =>
              void change.send('', { [field]: null }, 'incidents.notificationWithdrawn')
            }
          >
            {t('incidents.withdraw')}
          </button>
        )}
      </p>
    );
  }
  if (!open) return null;
  return (
    <form
      className="form-row"
      onSubmit={(event) => {
        event.preventDefault();
        const value = formText(new FormData(event.currentTarget), 'at');
        void change.send(
          '',
          { [field]: instantOfInput(value, when.timeZone) },
          'incidents.notificationRecorded',
        );
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-at`}>
          {t(`incidents.clocks.${kind}.notifiedField`, { zone: when.timeZone })}
        </label>
        <input
          id={`${id}-at`}
          name="at"
          type="datetime-local"
          required
          defaultValue={inputValue(new Date(), when.timeZone)}
        />
      </div>
      <button type="submit" className="button">
        {t(`incidents.clocks.${kind}.record`)}
      </button>
    </form>
  );
}
