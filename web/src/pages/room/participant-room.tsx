import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { ParticipantSession } from '@safeconsult/protocol';
import { api } from '../../api/http.js';
import { stopMedia, type LocalMedia } from '../../consult/local-media.js';
import { useRoom } from '../../consult/use-room.js';
import { WaitingRoom } from '../join-flow.js';
import { CallEndNotice } from './call-end-notice.js';
import { CallView } from './call-view.js';
import { DeviceCheck } from './device-check.js';
import { NetworkCheck } from './network-check.js';
import { RoomRefusal } from './room-refusal.js';

/**
 * A patient's or companion's consult: the waiting room on the signaling socket, the call once
 * the clinician admits them, and a clear end. After a reload the devices are checked again here,
 * while they wait.
 */
export function ParticipantRoom({
  session,
  media,
  onMediaChange,
  onLeft,
}: {
  session: ParticipantSession;
  media: LocalMedia | null;
  onMediaChange: (media: LocalMedia) => void;
  onLeft: () => void;
}) {
  const { t } = useTranslation();
  const room = useRoom(session.appointmentId, media);
  useEffect(() => {
    if (room.end) stopMedia(media);
  }, [room.end, media]);

  async function leave() {
    await api('/api/join/leave', { method: 'POST', csrfToken: session.csrfToken });
    room.leave();
  }

  if (room.end) return <CallEndNotice reason={room.end} />;
  if (room.state?.you.state === 'admitted' && media) {
    return (
      <>
        <RoomRefusal code={room.refusal} />
        <CallView
          room={room}
          media={media}
          onMediaChange={onMediaChange}
          onLeave={() => void leave()}
          csrfToken={session.csrfToken}
        />
      </>
    );
  }
  return (
    <>
      <WaitingRoom session={session} onLeft={onLeft} />
      <p role="status">{t(room.link === 'open' ? 'room.waitingConnected' : 'room.connecting')}</p>
      {room.welcome && <NetworkCheck iceServers={room.welcome.iceServers} />}
      {!media && <DeviceCheck onReady={onMediaChange} />}
    </>
  );
}
