import type { IceServer } from '@safeconsult/protocol';

/** How long the server takes to answer, in milliseconds, or null when it does not. */
export async function serverRoundTrip(): Promise<number | null> {
  const started = performance.now();
  try {
    const response = await fetch('/healthz', { cache: 'no-store' });
    return response.ok ? Math.round(performance.now() - started) : null;
  } catch {
    return null;
  }
}

/**
 * The kinds of ICE candidate this browser gathers with the clinic's servers within `timeoutMs`:
 * none means a call is unlikely to connect from this network.
 */
export async function gatherCandidateTypes(
  iceServers: IceServer[],
  timeoutMs = 4_000,
): Promise<string[]> {
  const pc = new RTCPeerConnection({ iceServers });
  const types = new Set<string>();
  try {
    pc.createDataChannel('check');
    const done = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      pc.onicecandidate = ({ candidate }) => {
        if (candidate?.type) types.add(candidate.type);
        if (!candidate) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    await pc.setLocalDescription();
    await done;
    return [...types];
  } finally {
    pc.close();
  }
}
