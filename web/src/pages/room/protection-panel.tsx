import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { connectionFacts, type ConnectionFacts } from '../../consult/connection-facts.js';
import type { RoomStateMessage, WelcomeMessage } from '../../consult/room-state.js';
import { participantLabel } from './participant-label.js';

/** How often the panel reads the connections' stats. */
const POLL_MS = 2_500;

/** The live facts of each peer connection, read every few seconds. */
function usePeerFacts(peers: ReadonlyMap<string, RTCPeerConnection>) {
  const [facts, setFacts] = useState<ReadonlyMap<string, ConnectionFacts>>(new Map());
  useEffect(() => {
    let current = true;
    async function read() {
      const entries = await Promise.all(
        [...peers].map(async ([id, pc]) => [id, connectionFacts(await pc.getStats())] as const),
      );
      if (current) setFacts(new Map(entries));
    }
    void read();
    const timer = setInterval(() => void read(), POLL_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [peers]);
  return facts;
}

/**
 * "How you are protected", for everyone in the call: the path and encryption of each connection
 * as the browser measures it, who is present and how the server verified each of them, and what
 * the clinic keeps, as the server states it. Nothing here is a fixed claim.
 */
export function ProtectionPanel({
  peers,
  state,
  welcome,
}: {
  peers: ReadonlyMap<string, RTCPeerConnection>;
  state: RoomStateMessage | undefined;
  welcome: WelcomeMessage | undefined;
}) {
  const { t } = useTranslation();
  const id = useId();
  const facts = usePeerFacts(peers);
  const people = state?.participants.filter((p) => p.state === 'admitted') ?? [];
  const byId = new Map(state?.participants.map((p) => [p.id, p]));
  return (
    <section className="card card-protection protection-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('room.protectionTitle')}</h2>
      <h3>{t('room.connectionsTitle')}</h3>
      {peers.size === 0 ? (
        <p>{t('room.noConnections')}</p>
      ) : (
        <ul className="checks">
          {[...peers.keys()].map((peerId) => {
            const f = facts.get(peerId);
            const path = f?.path ?? 'unknown';
            return (
              <li
                key={peerId}
                data-testid="protection-path"
                data-path={path}
                data-frames-decoded={f?.framesDecoded ?? 0}
              >
                <strong>{participantLabel(t, byId.get(peerId))}: </strong>
                {t(`room.path.${path}`)}
                {f?.protocol && ` (${f.protocol.toUpperCase()})`}
                {f?.dtlsState === 'connected' &&
                  ` ${t('room.encrypted', { cipher: f.srtpCipher ?? f.dtlsCipher ?? '' })}`}
              </li>
            );
          })}
        </ul>
      )}
      <h3>{t('room.presentTitle')}</h3>
      <ul>
        {people.map((p) => (
          <li key={p.id}>
            {participantLabel(t, p)}
            {p.id === state?.you.id && ` ${t('room.you')}`}: {t(`room.verified.${p.verifiedBy}`)}
          </li>
        ))}
      </ul>
      {state?.recording === 'unavailable' && (
        <>
          <h3>{t('room.recordingTitle')}</h3>
          <p>{t('room.notRecorded')}</p>
          <p>{t('room.mediaNeverStored')}</p>
        </>
      )}
      {welcome && (
        <>
          <h3>{t('room.storedTitle')}</h3>
          <p>
            {t('room.stored', {
              keptBy: welcome.storage.keptBy,
              years: welcome.storage.retentionYears,
            })}
          </p>
        </>
      )}
    </section>
  );
}
