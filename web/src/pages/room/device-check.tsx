import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { serverRoundTrip } from '../../consult/connection-check.js';
import {
  acquireMedia,
  stopMedia,
  type LocalMedia,
  type MediaProblem,
} from '../../consult/local-media.js';
import { useAudioLevel } from './use-audio-level.js';
import { VideoTile } from './video-tile.js';

/** The fix-it message for each problem (a denied permission differs by browser). */
const PROBLEM_KEYS: Record<MediaProblem, string> = {
  denied: 'room.problemDenied',
  notFound: 'room.problemNotFound',
  inUse: 'room.problemInUse',
  unsupported: 'room.problemUnsupported',
  other: 'room.problemOther',
};

/**
 * Camera, microphone and connection, checked before the call: a live preview, a level meter, and
 * how quickly the clinic's server answers. Continues with sound only when the camera fails or the
 * person prefers it.
 */
export function DeviceCheck({ onReady }: { onReady: (media: LocalMedia) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [media, setMedia] = useState<LocalMedia>();
  const [problem, setProblem] = useState<MediaProblem>();
  const [audioOnly, setAudioOnly] = useState(false);
  const [busy, setBusy] = useState(false);
  const [roundTrip, setRoundTrip] = useState<number | null>();
  const level = useAudioLevel(media?.stream);

  useEffect(() => {
    void serverRoundTrip().then(setRoundTrip);
  }, []);

  async function check() {
    setBusy(true);
    stopMedia(media);
    const result = await acquireMedia(!audioOnly);
    setBusy(false);
    if (result.ok) {
      setMedia(result.media);
      setProblem(undefined);
    } else {
      setMedia(undefined);
      setProblem(result.problem);
    }
  }

  return (
    <section className="card device-check" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('room.checkTitle')}</h2>
      <p>{t('room.checkIntro')}</p>
      <div className="field field-inline">
        <input
          id={`${id}-audio-only`}
          type="checkbox"
          checked={audioOnly}
          onChange={(event) => setAudioOnly(event.target.checked)}
        />
        <label htmlFor={`${id}-audio-only`}>{t('room.audioOnlyChoice')}</label>
      </div>
      <button
        type="button"
        className="button button-secondary"
        onClick={() => void check()}
        disabled={busy}
      >
        {t(media ? 'room.checkAgain' : 'room.checkDevices')}
      </button>
      {problem && (
        <p className="error" role="alert">
          {t(PROBLEM_KEYS[problem])}
        </p>
      )}
      {media && (
        <div className="device-results">
          {media.audioOnly ? (
            <p role="status">
              {media.videoProblem
                ? `${t('room.cameraFailed')} ${t(PROBLEM_KEYS[media.videoProblem])}`
                : t('room.audioOnlyChosen')}
            </p>
          ) : (
            <VideoTile stream={media.stream} label={t('room.preview')} self />
          )}
          <div className="field">
            <label htmlFor={`${id}-level`}>{t('room.micLevel')}</label>
            <meter id={`${id}-level`} min={0} max={1} value={level} />
            <p className="why">{t('room.micLevelHint')}</p>
          </div>
        </div>
      )}
      <p role="status">
        {roundTrip === undefined
          ? t('room.serverChecking')
          : roundTrip === null
            ? t('room.serverUnreachable')
            : t('room.serverReached', { ms: roundTrip })}
      </p>
      <button
        type="button"
        className="button"
        disabled={!media}
        onClick={() => media && onReady(media)}
      >
        {t('room.devicesContinue')}
      </button>
    </section>
  );
}
