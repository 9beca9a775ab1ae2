import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AccessAction, AccessHistory, AccessHistoryLine } from '@safeconsult/protocol';
import { useDateTime } from '../../clinic/use-date-time.js';

/** Whose words: the patient reads "your care team", the security officer "the patient's". */
export type Perspective = 'patient' | 'staff';

/**
 * The patient's words for what staff do about them besides reading and writing sections; the
 * security officer reads the policy's own action names (`accessActions`).
 */
export const PATIENT_ACTION_KEYS: Partial<Record<AccessAction, string>> = {
  manageCareTeam: 'accessHistory.actions.manageCareTeam',
  manageConsent: 'accessHistory.actions.manageConsent',
  bookAppointment: 'accessHistory.actions.bookAppointment',
  manageAppointment: 'accessHistory.actions.manageAppointment',
  assertEmergencyAccess: 'accessHistory.actions.assertEmergencyAccess',
  reviewAccess: 'accessHistory.actions.reviewAccess',
};

/** What a member of staff did that day, in words: sections looked at or written, other actions. */
function useActivities(perspective: Perspective) {
  const { t } = useTranslation();
  const actionWords = (action: string) => {
    const own = perspective === 'patient' ? PATIENT_ACTION_KEYS[action as AccessAction] : undefined;
    return t(own ?? `accessActions.${action}`, { defaultValue: t('accessHistory.otherAction') });
  };
  return (line: AccessHistoryLine): string[] => {
    const sectionsOf = (action: string) =>
      line.activities
        .filter((a) => a.action === action && a.section !== null)
        .map((a) => t(`sections.${a.section ?? ''}`))
        .join(', ');
    const read = sectionsOf('readRecord');
    const written = sectionsOf('writeRecord');
    const others = [
      ...new Set(
        line.activities
          .filter((a) => a.section === null || !['readRecord', 'writeRecord'].includes(a.action))
          .map((a) => actionWords(a.action)),
      ),
    ];
    return [
      ...(read ? [t('accessHistory.looked', { sections: read })] : []),
      ...(written ? [t('accessHistory.wrote', { sections: written })] : []),
      ...others,
    ];
  };
}

/** The clock time alone, in the same zone as the full times beside it. */
function useTimeOfDay(timeZone: string) {
  const { i18n } = useTranslation();
  return useMemo(
    () => new Intl.DateTimeFormat(i18n.language, { timeStyle: 'short', timeZone }),
    [i18n.language, timeZone],
  );
}

/**
 * Who reached a patient's record, one entry per member of staff per day: name and role, when, what
 * they looked at, and why the access policy let them. Emergency access is marked for attention.
 */
export function AccessHistoryList({
  history,
  perspective,
}: {
  history: AccessHistory;
  perspective: Perspective;
}) {
  const { t } = useTranslation();
  const when = useDateTime();
  const timeOfDay = useTimeOfDay(when.timeZone);
  const activities = useActivities(perspective);
  if (history.lines.length === 0) {
    return (
      <p>{t(perspective === 'patient' ? 'accessHistory.empty' : 'accessHistory.emptyStaff')}</p>
    );
  }
  return (
    <>
      <p className="muted">{t('accessHistory.zone', { zone: when.timeZone })}</p>
      <ul className="history-list">
        {history.lines.map((line) => {
          const emergency = line.reasons.includes('emergency');
          return (
            <li
              key={`${line.day}/${line.staff.id}`}
              className={emergency ? 'history-emergency' : undefined}
            >
              <p className="history-who">
                <strong>{line.staff.displayName ?? t('accessHistory.unknownStaff')}</strong>
                {line.staff.role && <>, {t(`roles.${line.staff.role}`)}</>}
              </p>
              <p>
                <time dateTime={line.firstAt}>{when(line.firstAt)}</time>
                {timeOfDay.format(new Date(line.lastAt)) !==
                  timeOfDay.format(new Date(line.firstAt)) && (
                  <>
                    {' – '}
                    <time dateTime={line.lastAt}>{timeOfDay.format(new Date(line.lastAt))}</time>
                  </>
                )}
              </p>
              <p>{activities(line).join('; ')}</p>
              <p>
                {t('accessHistory.why')}{' '}
                {line.reasons.map((r) => t(`accessHistory.${perspective}Reasons.${r}`)).join('; ')}
              </p>
            </li>
          );
        })}
      </ul>
    </>
  );
}
