// Functions the first-frame bench runs inside Chromium's pages (through page.evaluate): each is
// serialised on its own, so it names nothing outside its body. Times are taken with
// performance.timeOrigin + a page timestamp, which puts the clinician's and the patient's pages,
// separate renderer processes, on one clock.

/** What the watchers leave on the page's window for the bench to read. */
interface FirstFrameWindow {
  admitClickedAt?: number;
  firstRemoteFrameAt?: number;
}

/** Notes when the next click (the clinician's Admit) reaches the page: the event's own timestamp. */
export function armAdmitClock(): void {
  const w = window as FirstFrameWindow;
  document.addEventListener(
    'click',
    (event) => {
      w.admitClickedAt = performance.timeOrigin + event.timeStamp;
    },
    { capture: true, once: true },
  );
}

/**
 * Watches the room for remote video tiles (every tile but the self view) and notes when the first
 * of them presents its first frame: requestVideoFrameCallback's presentation time, which is when
 * the decoded frame went to the compositor, not when a poll happened to see it.
 */
export function watchFirstRemoteFrame(): void {
  const w = window as FirstFrameWindow;
  const seen = new WeakSet<HTMLVideoElement>();
  const scan = () => {
    for (const video of document.querySelectorAll<HTMLVideoElement>(
      'figure.video-tile:not(.video-self) video',
    )) {
      if (seen.has(video)) continue;
      seen.add(video);
      video.requestVideoFrameCallback((_now, frame) => {
        w.firstRemoteFrameAt ??= performance.timeOrigin + frame.presentationTime;
      });
    }
  };
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true });
  scan();
}

/** Whether this page has shown its first remote frame yet. */
export function firstFrameSeen(): boolean {
  return (window as FirstFrameWindow).firstRemoteFrameAt !== undefined;
}

/** The admission and first-frame times noted so far (undefined until they happen). */
export function notedTimes(): FirstFrameWindow {
  const { admitClickedAt, firstRemoteFrameAt } = window as FirstFrameWindow;
  return { admitClickedAt, firstRemoteFrameAt };
}

/**
 * The browser's own floor: two RTCPeerConnections in this page, each sending the fake camera and
 * microphone, the offer, answer and candidates handed over in memory. Milliseconds from
 * createOffer to the first frame presented at each end; the cameras are opened beforehand, as the
 * room's device check opens them before the admission.
 */
export async function bareFirstFrames(): Promise<{ offerer: number; answerer: number }> {
  const camera = () => navigator.mediaDevices.getUserMedia({ audio: true, video: true });
  const streams = await Promise.all([camera(), camera()]);
  const [offerer, answerer] = [new RTCPeerConnection(), new RTCPeerConnection()];
  const videos: HTMLVideoElement[] = [];
  const firstFrame = (pc: RTCPeerConnection) =>
    new Promise<number>((resolve) => {
      pc.ontrack = ({ track, streams: [stream] }) => {
        if (track.kind !== 'video') return;
        const video = document.createElement('video');
        Object.assign(video, { muted: true, autoplay: true, playsInline: true });
        videos.push(video);
        document.body.append(video);
        video.srcObject = stream ?? new MediaStream([track]);
        video.requestVideoFrameCallback((_now, frame) => resolve(frame.presentationTime));
      };
    });
  const pairs = [
    [offerer, answerer],
    [answerer, offerer],
  ] as const;
  for (const [from, to] of pairs) {
    from.onicecandidate = ({ candidate }) => {
      if (candidate) void to.addIceCandidate(candidate);
    };
  }
  for (const [pc, stream] of [
    [offerer, streams[0]],
    [answerer, streams[1]],
  ] as const) {
    for (const track of stream.getTracks()) pc.addTrack(track, stream);
  }
  const frames = Promise.all([firstFrame(offerer), firstFrame(answerer)]);
  const start = performance.now();
  const offer = await offerer.createOffer();
  await offerer.setLocalDescription(offer);
  await answerer.setRemoteDescription(offer);
  const answer = await answerer.createAnswer();
  await answerer.setLocalDescription(answer);
  await offerer.setRemoteDescription(answer);
  const [atOfferer, atAnswerer] = await frames;
  offerer.close();
  answerer.close();
  for (const stream of streams) for (const track of stream.getTracks()) track.stop();
  for (const video of videos) video.remove();
  return { offerer: atOfferer - start, answerer: atAnswerer - start };
}
