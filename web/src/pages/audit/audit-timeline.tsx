import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { wallClock, type AuditTrailEntry } from '@safeconsult/protocol';
import { ResourceText, type KnownNames } from '../access/resource-text.js';
import { accessActionKey, actorWords, describeEntry } from './describe-entry.js';

/** Entries by day on the clinic's clock, in the order given (newest first). */
function byDay(entries: readonly AuditTrailEntry[], timeZone: string) {
  const days: { date: string; entries: AuditTrailEntry[] }[] = [];
  for (const entry of entries) {
    const { date } = wallClock(new Date(entry.at), timeZone);
    const last = days[days.length - 1];
    if (last?.date === date) last.entries.push(entry);
    else days.push({ date, entries: [entry] });
  }
  return days;
}

/** An access decision: allowed or refused, and by which policies (none: deny by default). */
function Decision({ entry }: { entry: AuditTrailEntry }) {
  const { t } = useTranslation();
  const allowed = entry.outcome === 'allowed';
  const policies = entry.policies ?? [];
  return (
    <p className="timeline-decision">
      <span className={allowed ? 'badge badge-allow' : 'badge badge-alert'}>
        {t(allowed ? 'decision.allow' : 'decision.deny')}
      </span>{' '}
      {policies.length === 0 ? (
        t('decision.denyByDefault')
      ) : (
        <>
          {t('auditTrail.byPolicies')}{' '}
          {policies.map((p, i) => (
            <span key={p}>
              {i > 0 && ', '}
              <code>{p}</code>
            </span>
          ))}
        </>
      )}
    </p>
  );
}

/** An entry that is not an access decision, in plain words. */
function EntryWords({ entry }: { entry: AuditTrailEntry }) {
  const { t } = useTranslation();
  const words = describeEntry(entry);
  return t(words.key, words.values);
}

function TimelineEntry({
  entry,
  names,
  time,
  selected,
  onToggle,
}: {
  entry: AuditTrailEntry;
  names: KnownNames;
  time: string;
  selected: boolean;
  onToggle: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const actionKey = entry.category === 'access' ? accessActionKey(entry.action) : undefined;
  const actor = actorWords(entry);
  const failed = entry.outcome === 'refused' || entry.outcome === 'failed';
  const subject =
    entry.subjectUserId && entry.subjectUserId !== entry.actor.id
      ? (entry.subjectName ?? entry.subjectUserId)
      : null;
  return (
    <li className={failed ? 'timeline-entry timeline-failed' : 'timeline-entry'}>
      <time dateTime={entry.at}>{time}</time>
      <div>
        <p className="timeline-what" id={`${id}-what`}>
          {actionKey ? (
            <>
              {t(actionKey)}
              {entry.resource && (
                <>
                  {': '}
                  <ResourceText resource={entry.resource} names={names} />
                </>
              )}
            </>
          ) : (
            <EntryWords entry={entry} />
          )}
          {!actionKey && failed && (
            <span className="badge badge-alert">{t(`auditTrail.outcomes.${entry.outcome}`)}</span>
          )}
        </p>
        {entry.category === 'access' && <Decision entry={entry} />}
        <p className="muted">
          {t(actor.key, actor.values)}
          {subject && ` · ${t('auditTrail.about', { name: subject })}`}
          {entry.address && ` · ${t('auditTrail.address', { address: entry.address })}`}
          {` · ${t('auditTrail.entryNumber', { id: entry.id })}`}
        </p>
      </div>
      <div className="field-check">
        <input
          id={`${id}-select`}
          type="checkbox"
          checked={selected}
          onChange={onToggle}
          aria-describedby={`${id}-what`}
        />
        <label htmlFor={`${id}-select`}>{t('auditTrail.select')}</label>
      </div>
    </li>
  );
}

/** The entries as a timeline: a heading per day on the clinic's clock, the newest first. */
export function AuditTimeline({
  entries,
  names,
  timeZone,
  selected,
  onToggle,
}: {
  entries: readonly AuditTrailEntry[];
  names: KnownNames;
  timeZone: string;
  selected: ReadonlySet<number>;
  onToggle: (id: number) => void;
}) {
  const { i18n } = useTranslation();
  const formats = useMemo(
    () => ({
      // A calendar date names the same day everywhere: formatted at noon UTC.
      day: new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeZone: 'UTC' }),
      time: new Intl.DateTimeFormat(i18n.language, { timeStyle: 'medium', timeZone }),
    }),
    [i18n.language, timeZone],
  );
  return byDay(entries, timeZone).map((day) => (
    <section key={day.date} className="timeline-day" aria-labelledby={`day-${day.date}`}>
      <h2 id={`day-${day.date}`}>{formats.day.format(new Date(`${day.date}T12:00:00Z`))}</h2>
      <ol className="timeline">
        {day.entries.map((entry) => (
          <TimelineEntry
            key={entry.id}
            entry={entry}
            names={names}
            time={formats.time.format(new Date(entry.at))}
            selected={selected.has(entry.id)}
            onToggle={() => onToggle(entry.id)}
          />
        ))}
      </ol>
    </section>
  ));
}
