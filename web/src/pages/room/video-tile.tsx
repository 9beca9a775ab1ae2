import { useEffect, useRef } from 'react';

/** One person's picture; `self` is muted so the speakers do not echo the microphone. */
export function VideoTile({
  stream,
  label,
  self = false,
  testId,
}: {
  stream: MediaStream | undefined;
  label: string;
  self?: boolean;
  testId?: string;
}) {
  const video = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (video.current && video.current.srcObject !== stream) {
      video.current.srcObject = stream ?? null;
    }
  }, [stream]);
  return (
    <figure className={`video-tile${self ? ' video-self' : ''}`} data-testid={testId}>
      <video ref={video} autoPlay playsInline muted={self} aria-label={label} />
      <figcaption>{label}</figcaption>
    </figure>
  );
}
