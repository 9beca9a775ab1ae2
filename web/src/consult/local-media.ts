/** Why the camera or microphone could not be used; each has its own fix-it message. */
export type MediaProblem = 'denied' | 'notFound' | 'inUse' | 'unsupported' | 'other';

export interface LocalMedia {
  stream: MediaStream;
  /** Continuing with sound only: chosen, or because the camera failed (`videoProblem`). */
  audioOnly: boolean;
  videoProblem: MediaProblem | undefined;
}

export type MediaResult = { ok: true; media: LocalMedia } | { ok: false; problem: MediaProblem };

/** The getUserMedia error, in the terms the device check explains. */
export function mediaProblemOf(error: unknown): MediaProblem {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'notFound';
    case 'NotReadableError':
    case 'AbortError':
      return 'inUse';
    case 'TypeError':
      return 'unsupported';
    default:
      return 'other';
  }
}

const AUDIO: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true };
const VIDEO: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 } };

/**
 * Camera and microphone, or the microphone alone when the camera fails or is not wanted. A denied
 * permission is not retried without the camera: the person said no, and the message says how to
 * change that.
 */
export async function acquireMedia(withCamera: boolean): Promise<MediaResult> {
  if (!navigator.mediaDevices?.getUserMedia) return { ok: false, problem: 'unsupported' };
  let videoProblem: MediaProblem | undefined;
  if (withCamera) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: AUDIO, video: VIDEO });
      return { ok: true, media: { stream, audioOnly: false, videoProblem: undefined } };
    } catch (error) {
      videoProblem = mediaProblemOf(error);
      if (videoProblem === 'denied' || videoProblem === 'unsupported') {
        return { ok: false, problem: videoProblem };
      }
    }
  }
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: AUDIO });
    return { ok: true, media: { stream, audioOnly: true, videoProblem } };
  } catch (error) {
    return { ok: false, problem: mediaProblemOf(error) };
  }
}

/** Stops every track, so the camera light goes out. */
export function stopMedia(media: LocalMedia | null | undefined): void {
  for (const track of media?.stream.getTracks() ?? []) track.stop();
}

/** Turns to sound only: the camera is released, not just hidden. */
export function dropCamera(media: LocalMedia): LocalMedia {
  for (const track of media.stream.getVideoTracks()) {
    track.stop();
    media.stream.removeTrack(track);
  }
  return { ...media, audioOnly: true };
}

/** Mutes or unmutes a track (sound or picture) without releasing the device; returns the new state. */
export function toggleTrack(track: MediaStreamTrack): boolean {
  track.enabled = !track.enabled;
  return track.enabled;
}
