import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  accessPolicyStateSchema,
  policyFileSchema,
  whatIfResultSchema,
  type AccessPolicyState,
  type PolicyFile,
  type Problem,
  type SampleRequest,
  type WhatIfResult,
} from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { listIn } from '../../api/use-api.js';
import { useStaffDirectory } from '../../api/use-staff-directory.js';
import { useSensitiveAction } from '../../auth/reauthentication.js';
import { useSession } from '../../auth/session-context.js';
import { ProblemMessage } from '../problem-message.js';
import { AdoptionProblem } from './adoption-problem.js';
import { SampleList } from './sample-list.js';
import { SampleBuilder } from './sample-builder.js';
import { WhatIfResults } from './what-if-results.js';

const FILES = listIn('files', policyFileSchema);

/** How many recent real decisions a check replays under the proposal. */
const REPLAY_RECENT = 200;

/**
 * The security officer's editor: change the policy files, check the proposal (problems, sample
 * requests, recent decisions it would turn around), then activate it as the next version.
 * Nothing is in force until it is activated.
 */
export function PolicyEditor({
  state,
  onAdopted,
}: {
  state: AccessPolicyState;
  onAdopted: (adopted: AccessPolicyState) => void;
}) {
  const { t } = useTranslation();
  const { session } = useSession();
  const id = useId();
  const directory = useStaffDirectory();
  const { run, prompt } = useSensitiveAction();
  const [draft, setDraft] = useState<PolicyFile[]>(state.files);
  const [samples, setSamples] = useState<SampleRequest[]>([]);
  const [mrns, setMrns] = useState<ReadonlyMap<string, string>>(new Map());
  const [result, setResult] = useState<WhatIfResult | undefined>(undefined);
  const [checkProblem, setCheckProblem] = useState<Problem | undefined>(undefined);
  const [adoptProblem, setAdoptProblem] = useState<Problem | undefined>(undefined);
  const [defaultsLoaded, setDefaultsLoaded] = useState(false);
  const names = useMemo(
    () => ({
      patients: mrns,
      staff: new Map(directory.staff.map((s) => [s.userId, s.displayName])),
    }),
    [mrns, directory.staff],
  );
  const inForce = new Map(state.files.map((f) => [f.name, f.text]));

  /** A result describes the draft it was made for; any edit makes it stale. */
  function changeDraft(next: PolicyFile[]) {
    setDraft(next);
    setResult(undefined);
  }

  async function loadDefaults() {
    const result = await api<unknown>('/api/access/policy/defaults');
    if (result.ok) {
      changeDraft(FILES.parse(result.data));
      setDefaultsLoaded(true);
    } else setCheckProblem(result.problem);
  }

  async function check() {
    setCheckProblem(undefined);
    const answer = await api<unknown>('/api/access/policy/what-if', {
      method: 'POST',
      body: { files: draft, samples, replayRecent: REPLAY_RECENT },
      csrfToken: session?.csrfToken,
    });
    if (answer.ok) setResult(whatIfResultSchema.parse(answer.data));
    else setCheckProblem(answer.problem);
  }

  async function activate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const note = new FormData(event.currentTarget).get('note');
    await run(
      () =>
        api<unknown>('/api/access/policy/versions', {
          method: 'POST',
          body: { files: draft, basedOn: state.version, note },
          csrfToken: session?.csrfToken,
        }),
      (answer) => {
        if (answer.ok) onAdopted(accessPolicyStateSchema.parse(answer.data));
        else setAdoptProblem(answer.problem);
      },
    );
  }

  return (
    <section className="policy-editor" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('accessPolicy.editTitle')}</h2>
      <p className="why">{t('accessPolicy.editWhy')}</p>
      <div className="actions">
        <button
          type="button"
          className="button button-secondary"
          onClick={() => void loadDefaults()}
        >
          {t('accessPolicy.loadDefaults')}
        </button>
        <button
          type="button"
          className="button button-secondary"
          onClick={() => {
            changeDraft(state.files);
            setDefaultsLoaded(false);
          }}
        >
          {t('accessPolicy.startOver')}
        </button>
      </div>
      {defaultsLoaded && (
        <p className="notice" role="status">
          {t('accessPolicy.defaultsLoaded')}
        </p>
      )}
      {draft.map((file, i) => {
        const changed = inForce.get(file.name) !== file.text;
        return (
          <details key={file.name} className="policy-file" open={changed || undefined}>
            <summary>
              <code>{file.name}</code>
              {changed && <span className="badge badge-alert">{t('accessPolicy.changed')}</span>}
            </summary>
            <label htmlFor={`${id}-file-${i}`}>
              {t('accessPolicy.fileText', { name: file.name })}
            </label>
            <textarea
              id={`${id}-file-${i}`}
              className="policy-text"
              value={file.text}
              spellCheck={false}
              autoCapitalize="off"
              autoCorrect="off"
              rows={Math.min(30, file.text.split('\n').length + 1)}
              onChange={(event) =>
                changeDraft(
                  draft.map((f) => (f.name === file.name ? { ...f, text: event.target.value } : f)),
                )
              }
            />
          </details>
        );
      })}

      <h3>{t('whatIf.title')}</h3>
      <p className="why">{t('whatIf.why', { count: REPLAY_RECENT })}</p>
      {directory.unavailable ? (
        <p className="hint">{t('whatIf.noDirectory')}</p>
      ) : (
        <SampleBuilder
          staff={directory.staff}
          onAdd={(sample, patient) => {
            setSamples([...samples, sample]);
            if (patient) setMrns(new Map([...mrns, [patient.id, patient.mrn]]));
            setResult(undefined);
          }}
        />
      )}
      <SampleList
        samples={samples}
        names={names}
        onRemove={(index) => {
          setSamples(samples.filter((_, i) => i !== index));
          setResult(undefined);
        }}
      />
      <div className="actions">
        <button type="button" className="button" onClick={() => void check()}>
          {t('whatIf.check')}
        </button>
      </div>
      {checkProblem && <ProblemMessage problem={checkProblem} fallbackKey="whatIf.failed" />}
      {result && <WhatIfResults result={result} names={names} />}

      <form
        className="card form"
        aria-labelledby={`${id}-activate`}
        onSubmit={(e) => void activate(e)}
      >
        <h3 id={`${id}-activate`}>{t('accessPolicy.activateTitle')}</h3>
        <p className="why">{t('accessPolicy.activateWhy')}</p>
        {adoptProblem && <AdoptionProblem problem={adoptProblem} />}
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('accessPolicy.noteLabel')}</label>
          <input
            id={`${id}-note`}
            name="note"
            required
            minLength={3}
            maxLength={500}
            autoComplete="off"
          />
        </div>
        <div className="actions">
          <button type="submit" className="button">
            {t('accessPolicy.activate', { version: state.version + 1 })}
          </button>
        </div>
      </form>
      {prompt}
    </section>
  );
}
