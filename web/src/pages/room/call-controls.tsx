import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dropCamera, toggleTrack, type LocalMedia } from '../../consult/local-media.js';
import type { Room } from '../../consult/use-room.js';
import { ScreenShareControl } from './screen-share-control.js';

/**
 * Microphone, camera, sound only, screen sharing and leaving. Muting and hiding the picture turn
 * the tracks off (`enabled`), so turning them back on needs no new permission.
 */
export function CallControls({
  room,
  media,
  onMediaChange,
  onLeave,
}: {
  room: Room;
  media: LocalMedia;
  onMediaChange: (media: LocalMedia) => void;
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const audio = media.stream.getAudioTracks()[0];
  const camera = media.stream.getVideoTracks()[0];
  const [micOn, setMicOn] = useState(audio?.enabled ?? false);
  const [cameraOn, setCameraOn] = useState(camera?.enabled ?? false);

  function toggleMic() {
    if (audio) setMicOn(toggleTrack(audio));
  }
  function toggleCamera() {
    if (camera) setCameraOn(toggleTrack(camera));
  }
  async function audioOnly() {
    await room.setVideoTrack(null);
    onMediaChange(dropCamera(media));
  }

  return (
    <div className="call-controls" role="toolbar" aria-label={t('room.controls')}>
      <button
        type="button"
        className="button button-secondary"
        aria-pressed={!micOn}
        onClick={toggleMic}
        disabled={!audio}
      >
        {t(micOn ? 'room.mute' : 'room.unmute')}
      </button>
      <button
        type="button"
        className="button button-secondary"
        aria-pressed={!cameraOn}
        onClick={toggleCamera}
        disabled={!camera}
      >
        {t(cameraOn ? 'room.cameraOff' : 'room.cameraOn')}
      </button>
      {camera && (
        <button type="button" className="button button-secondary" onClick={() => void audioOnly()}>
          {t('room.audioOnly')}
        </button>
      )}
      <ScreenShareControl
        onShare={(track) => room.setVideoTrack(track)}
        onStop={() => room.setVideoTrack(camera ?? null)}
      />
      <button type="button" className="button button-danger" onClick={onLeave}>
        {t('room.leave')}
      </button>
      <p className="call-state" role="status">
        {t(micOn ? 'room.micIsOn' : 'room.micIsOff')}{' '}
        {t(cameraOn ? 'room.cameraIsOn' : 'room.cameraIsOff')}
      </p>
    </div>
  );
}
