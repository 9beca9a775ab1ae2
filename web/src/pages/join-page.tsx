import { useState } from 'react';
import { stopMedia, type LocalMedia } from '../consult/local-media.js';
import { useTranslation } from 'react-i18next';
import { usePageTitle } from '../layout/use-page-title.js';
import { AccessHistoryPanel } from './access-history/access-history-panel.js';
import { InvitationStep, useParticipantSession } from './join-flow.js';
import { ConsentStep } from './room/consent-step.js';
import { DeviceCheck } from './room/device-check.js';
import { ParticipantRoom } from './room/participant-room.js';
import { useLinkToken } from './use-link-token.js';

const STEPS = ['join.step1', 'join.step2', 'join.step3', 'join.step4'];
const PROTECTIONS = [
  'join.protection1',
  'join.protection2',
  'join.protection3',
  'join.protection4',
];

export function JoinPage() {
  const { t } = useTranslation();
  const token = useLinkToken();
  const [session, setSession] = useParticipantSession();
  const [left, setLeft] = useState(false);
  const [media, setMedia] = useState<LocalMedia | null>(null);
  const [consented, setConsented] = useState(false);
  usePageTitle('join.title');
  return (
    <div className="page">
      <h1>{t('join.heading')}</h1>
      <p className="lead">{t('join.intro')}</p>
      {session ? (
        <>
          <ParticipantRoom
            session={session}
            media={media}
            onMediaChange={setMedia}
            onLeft={() => {
              stopMedia(media);
              setSession(null);
              setLeft(true);
            }}
          />
          {session.participant === 'patient' && (
            <AccessHistoryPanel path="/api/consult/access-history" perspective="patient" />
          )}
        </>
      ) : left ? (
        <p className="notice" role="status">
          {t('join.left')}
        </p>
      ) : token && session === null ? (
        // Devices first, then consent, then the identity check: the order the steps list shows.
        <InvitationStep
          token={token}
          onJoined={setSession}
          before={
            !media ? (
              <DeviceCheck onReady={setMedia} />
            ) : !consented ? (
              <ConsentStep onAgreed={() => setConsented(true)} />
            ) : undefined
          }
        />
      ) : (
        session === null && <p className="notice">{t('join.openLink')}</p>
      )}
      <div className="card-grid">
        <section className="card" aria-labelledby="join-steps">
          <h2 id="join-steps">{t('join.stepsTitle')}</h2>
          <ol className="steps">
            {STEPS.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ol>
        </section>
        <section className="card card-protection" aria-labelledby="join-protection">
          <h2 id="join-protection">{t('join.protectionTitle')}</h2>
          <ul className="checks">
            {PROTECTIONS.map((key) => (
              <li key={key}>{t(key)}</li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
