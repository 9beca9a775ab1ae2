import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pickWindowToShare, sharesWholeScreen } from '../../consult/screen-share.js';

/**
 * Sharing one window: a nudge first (a whole screen shows notifications and other patients'
 * records), then the browser's picker; the screen replaces the camera for everyone until it ends.
 */
export function ScreenShareControl({
  onShare,
  onStop,
}: {
  onShare: (track: MediaStreamTrack) => Promise<void>;
  onStop: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const id = useId();
  const [nudge, setNudge] = useState(false);
  const [track, setTrack] = useState<MediaStreamTrack>();
  const confirm = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    if (nudge) confirm.current?.focus();
  }, [nudge]);

  async function start() {
    setNudge(false);
    const picked = await pickWindowToShare();
    if (!picked) return;
    picked.addEventListener('ended', () => void stop(picked));
    setTrack(picked);
    await onShare(picked);
  }

  async function stop(current: MediaStreamTrack | undefined = track) {
    current?.stop();
    setTrack(undefined);
    await onStop();
  }

  if (track) {
    return (
      <div className="screen-share">
        {sharesWholeScreen(track) && (
          <p className="error" role="alert">
            {t('room.wholeScreenShared')}
          </p>
        )}
        <button type="button" className="button button-secondary" onClick={() => void stop()}>
          {t('room.stopSharing')}
        </button>
      </div>
    );
  }
  return (
    <div className="screen-share">
      <button
        type="button"
        className="button button-secondary"
        aria-expanded={nudge}
        aria-controls={`${id}-nudge`}
        onClick={() => setNudge(true)}
      >
        {t('room.shareScreen')}
      </button>
      {nudge && (
        <div id={`${id}-nudge`} className="nudge" role="group" aria-labelledby={`${id}-text`}>
          <p id={`${id}-text`}>{t('room.shareNudge')}</p>
          <button ref={confirm} type="button" className="button" onClick={() => void start()}>
            {t('room.shareChooseWindow')}
          </button>
          <button type="button" className="button button-secondary" onClick={() => setNudge(false)}>
            {t('room.cancel')}
          </button>
        </div>
      )}
    </div>
  );
}
