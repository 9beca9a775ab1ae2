import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { FHIR_NDJSON } from '@safeconsult/protocol';
import { NETWORK_PROBLEM, problemOf, type ApiResult } from '../../api/http.js';
import { useSensitiveAction } from '../../auth/reauthentication.js';

const DAY_MS = 86_400_000;
/** A date input's value for a local day. */
const dateValue = (date: Date) =>
  `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
/** Local midnight at the start of a date input's day. */
const startOfDay = (value: string) => new Date(`${value}T00:00:00`);

interface Download {
  blob: Blob;
  count: number;
}

async function fetchExport(query: URLSearchParams): Promise<ApiResult<Download>> {
  let response: Response;
  try {
    response = await fetch(`/api/audit/export.ndjson?${query.toString()}`, {
      headers: { accept: `${FHIR_NDJSON}, application/problem+json` },
      credentials: 'same-origin',
    });
  } catch {
    return { ok: false, problem: NETWORK_PROBLEM };
  }
  if (!response.ok) return { ok: false, problem: await problemOf(response) };
  const count = Number(response.headers.get('x-audit-event-count') ?? 0);
  return { ok: true, data: { blob: await response.blob(), count } };
}

/** Hands the browser a file to save, as a click on a download link would. */
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  URL.revokeObjectURL(url);
}

/**
 * The security officer's download of the audit ledger as FHIR R4 AuditEvents (NDJSON), for a SIEM
 * or an archive, over a range of days. The server asks for a recent sign-in and records the export.
 */
export function AuditExportButton() {
  const { t } = useTranslation();
  const id = useId();
  const { run, prompt } = useSensitiveAction();
  const today = new Date();
  const [from, setFrom] = useState(dateValue(new Date(today.getTime() - 6 * DAY_MS)));
  const [to, setTo] = useState(dateValue(today));
  const [status, setStatus] = useState<
    { kind: 'busy' } | { kind: 'done'; count: number } | { kind: 'failed' } | undefined
  >(undefined);
  const backwards = from !== '' && to !== '' && to < from;

  async function download(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (backwards) return;
    const until = new Date(startOfDay(to).getTime() + DAY_MS);
    const query = new URLSearchParams({
      since: startOfDay(from).toISOString(),
      until: until.toISOString(),
    });
    await run(
      async () => {
        setStatus({ kind: 'busy' });
        const result = await fetchExport(query);
        // The prompt for a recent sign-in takes over; the download runs again once confirmed.
        if (!result.ok && result.problem.code === 'reauthentication_required') setStatus(undefined);
        return result;
      },
      (result) => {
        if (!result.ok) {
          setStatus({ kind: 'failed' });
          return;
        }
        save(result.data.blob, `safeconsult-audit-events-${from}-to-${to}.ndjson`);
        setStatus({ kind: 'done', count: result.data.count });
      },
    );
  }

  return (
    <section className="card audit-export" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('auditExport.title')}</h2>
      <p>{t('auditExport.intro')}</p>
      <form className="form form-row" onSubmit={(event) => void download(event)}>
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('auditExport.from')}</label>
          <input
            id={`${id}-from`}
            type="date"
            required
            value={from}
            max={to}
            onChange={(event) => setFrom(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('auditExport.to')}</label>
          <input
            id={`${id}-to`}
            type="date"
            required
            value={to}
            min={from}
            aria-invalid={backwards}
            aria-describedby={backwards ? `${id}-range` : undefined}
            onChange={(event) => setTo(event.target.value)}
          />
        </div>
        <button type="submit" className="button" disabled={status?.kind === 'busy' || backwards}>
          {t('auditExport.download')}
        </button>
      </form>
      {backwards && (
        <p className="error" id={`${id}-range`}>
          {t('auditExport.rangeInvalid')}
        </p>
      )}
      {prompt}
      <p role="status">
        {status?.kind === 'busy' && t('auditExport.busy')}
        {status?.kind === 'done' && t('auditExport.done', { count: status.count })}
      </p>
      {status?.kind === 'failed' && (
        <p className="error" role="alert">
          {t('auditExport.failed')}
        </p>
      )}
    </section>
  );
}
