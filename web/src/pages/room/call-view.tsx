import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ChatPanel } from '../../consult/chat-panel.js';
import type { LocalMedia } from '../../consult/local-media.js';
import type { Room } from '../../consult/use-room.js';
import { CallControls } from './call-controls.js';
import { participantLabel } from './participant-label.js';
import { ProtectionPanel } from './protection-panel.js';
import { VideoTile } from './video-tile.js';

/**
 * The call: everyone's picture, the controls, the protection panel, and the consult's chat.
 * `aside` holds what only one side has beside the video (the clinician's chart).
 */
export function CallView({
  room,
  media,
  onMediaChange,
  onLeave,
  csrfToken,
  aside,
}: {
  room: Room;
  media: LocalMedia;
  onMediaChange: (media: LocalMedia) => void;
  onLeave: () => void;
  /** The anti-forgery token of the session behind the room (staff or participant). */
  csrfToken: string;
  aside?: ReactNode;
}) {
  const { t } = useTranslation();
  const byId = new Map(room.state?.participants.map((p) => [p.id, p]));
  return (
    <div className="call">
      {room.link === 'reconnecting' && (
        <p className="notice" role="status">
          {t('room.reconnecting')}
        </p>
      )}
      <section className="call-videos" aria-label={t('room.videos')}>
        {[...room.peers.keys()].map((peerId) => (
          <VideoTile
            key={peerId}
            stream={room.remoteStreams.get(peerId)}
            label={participantLabel(t, byId.get(peerId))}
          />
        ))}
        {room.peers.size === 0 && <p>{t('room.aloneInCall')}</p>}
        <VideoTile
          stream={media.audioOnly ? undefined : media.stream}
          label={t('room.selfView')}
          self
        />
      </section>
      <CallControls room={room} media={media} onMediaChange={onMediaChange} onLeave={onLeave} />
      <div className="call-side">
        {aside}
        <ProtectionPanel peers={room.peers} state={room.state} welcome={room.welcome} />
        <ChatPanel
          appointmentId={room.appointmentId}
          csrfToken={csrfToken}
          myParticipantId={room.welcome?.participantId}
          liveItems={room.chat}
        />
      </div>
    </div>
  );
}
