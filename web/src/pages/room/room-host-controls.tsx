import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDateTime } from '../../clinic/use-date-time.js';
import { removableInCall, waitingList } from '../../consult/room-state.js';
import type { Room } from '../../consult/use-room.js';
import { participantLabel } from './participant-label.js';

/** Sends someone out of the room, from the waiting list or the call. */
function RemoveButton({
  room,
  participantId,
  label,
}: {
  room: Room;
  participantId: string;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <button
      type="button"
      className="button button-small button-secondary"
      aria-label={t('room.removePerson', { name: label })}
      onClick={() => room.send({ type: 'remove', participantId })}
    >
      {t('room.remove')}
    </button>
  );
}

/**
 * What the clinician holds the room with: the waiting list, removing someone from the call, the
 * lock, and ending the consult.
 */
export function RoomHostControls({ room }: { room: Room }) {
  const { t } = useTranslation();
  const id = useId();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const waiting = waitingList(room.state);
  const inCall = removableInCall(room.state);
  const locked = room.state?.status === 'locked';
  const time = useDateTime();
  return (
    <section className="card room-host" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('room.waitingListTitle')}</h2>
      {waiting.length === 0 ? (
        <p>{t('room.nobodyWaiting')}</p>
      ) : (
        <ul className="waiting-list">
          {waiting.map((person) => {
            const label = participantLabel(t, person);
            return (
              <li key={person.id}>
                <span>
                  {label} · {t('room.waitingSince', { time: time(person.joinedAt) })} ·{' '}
                  {t(`room.verified.${person.verifiedBy}`)}
                </span>
                <button
                  type="button"
                  className="button button-small"
                  aria-label={t('room.admitPerson', { name: label })}
                  onClick={() => room.send({ type: 'admit', participantId: person.id })}
                >
                  {t('room.admit')}
                </button>
                <RemoveButton room={room} participantId={person.id} label={label} />
              </li>
            );
          })}
        </ul>
      )}
      {inCall.length > 0 && (
        <>
          <h3>{t('room.inCallTitle')}</h3>
          <ul className="waiting-list">
            {inCall.map((person) => {
              const label = participantLabel(t, person);
              return (
                <li key={person.id}>
                  <span>
                    {label} · {t(`room.verified.${person.verifiedBy}`)}
                  </span>
                  <RemoveButton room={room} participantId={person.id} label={label} />
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          aria-pressed={locked}
          onClick={() => room.send({ type: 'lock', locked: !locked })}
        >
          {t('room.lockRoom')}
        </button>
        <p role="status">{t(locked ? 'room.lockedText' : 'room.unlockedText')}</p>
        {confirmEnd ? (
          <div role="group" aria-labelledby={`${id}-end`}>
            <p id={`${id}-end`}>{t('room.endConfirm')}</p>
            <button
              type="button"
              className="button button-danger"
              onClick={() => room.send({ type: 'end' })}
            >
              {t('room.endForEveryone')}
            </button>
            <button
              type="button"
              className="button button-secondary"
              onClick={() => setConfirmEnd(false)}
            >
              {t('room.cancel')}
            </button>
          </div>
        ) : (
          <button
            type="button"
            className="button button-danger"
            onClick={() => setConfirmEnd(true)}
          >
            {t('room.endConsult')}
          </button>
        )}
      </div>
    </section>
  );
}
