import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { appointmentSchema } from '@safeconsult/protocol';
import { useApi } from '../../api/use-api.js';
import { stopMedia, type LocalMedia } from '../../consult/local-media.js';
import { useRoom } from '../../consult/use-room.js';
import { useSession } from '../../auth/session-context.js';
import { usePageTitle } from '../../layout/use-page-title.js';
import { ConsultNoteForm } from '../chart/consult-note-form.js';
import { EhrPanel } from '../chart/ehr-panel.js';
import { ProblemMessage } from '../problem-message.js';
import { PatientChart } from '../chart/patient-chart.js';
import { CallEndNotice } from './call-end-notice.js';
import { CallView } from './call-view.js';
import { DeviceCheck } from './device-check.js';
import { RoomHostControls } from './room-host-controls.js';
import { RoomRefusal } from './room-refusal.js';

/**
 * The clinician's consult room: on the socket from the start, so the waiting list shows while the
 * devices are checked; the call once camera and microphone are ready.
 */
export function ClinicianRoomPage() {
  const { t } = useTranslation();
  usePageTitle('room.clinicianTitle');
  const { appointmentId = '' } = useParams();
  const { session } = useSession();
  const [media, setMedia] = useState<LocalMedia | null>(null);
  // Raised after an import from the EHR, so the chart beside the video reads the record again.
  const [chartReads, setChartReads] = useState(0);
  const room = useRoom(appointmentId, media);
  // The consult names its patient, whose chart sits beside the video and receives the note.
  const appointment = useApi(
    `/api/appointments/${encodeURIComponent(appointmentId)}`,
    appointmentSchema,
  );
  const patientId = appointment.data?.patientId;
  // Without it there is no chart and no note to write; the clinician is told why.
  const appointmentProblem = appointment.problem && (
    <ProblemMessage problem={appointment.problem} fallbackKey="record.loadFailed" />
  );
  useEffect(() => {
    if (room.end) stopMedia(media);
  }, [room.end, media]);
  // Leaving the page releases the camera, whatever state the call was in.
  const held = useRef(media);
  useEffect(() => {
    held.current = media;
  }, [media]);
  useEffect(() => () => stopMedia(held.current), []);

  return (
    <div className="page room-page">
      <h1>{t('room.clinicianTitle')}</h1>
      {room.end ? (
        <>
          <CallEndNotice reason={room.end} />
          {appointmentProblem}
          {room.end === 'ended' && patientId && (
            <>
              <ConsultNoteForm
                appointmentId={appointmentId}
                patientId={patientId}
                csrfToken={session?.csrfToken ?? ''}
              />
              <EhrPanel
                appointmentId={appointmentId}
                csrfToken={session?.csrfToken ?? ''}
                canSend
              />
            </>
          )}
        </>
      ) : (
        <>
          {room.link !== 'open' && (
            <p className="notice" role="status">
              {t(room.link === 'reconnecting' ? 'room.reconnecting' : 'room.connecting')}
            </p>
          )}
          <RoomRefusal code={room.refusal} />
          <RoomHostControls room={room} />
          {media ? (
            <CallView
              room={room}
              media={media}
              onMediaChange={setMedia}
              onLeave={room.leave}
              csrfToken={session?.csrfToken ?? ''}
              aside={
                <section className="card chart-region" aria-labelledby="chart-title">
                  <h2 id="chart-title">{t('room.chartTitle')}</h2>
                  {patientId ? (
                    <>
                      <EhrPanel
                        appointmentId={appointmentId}
                        csrfToken={session?.csrfToken ?? ''}
                        canSend={false}
                        onImported={() => setChartReads((n) => n + 1)}
                      />
                      <PatientChart
                        key={chartReads}
                        patientId={patientId}
                        role={session?.user.role}
                        compact
                      />
                    </>
                  ) : (
                    (appointmentProblem ?? <p role="status">{t('record.loading')}</p>)
                  )}
                </section>
              }
            />
          ) : (
            <DeviceCheck onReady={setMedia} />
          )}
        </>
      )}
    </div>
  );
}
