/**
 * What the signaling bench's server process and its load client (a child process) tell each
 * other over the IPC channel, and the signaling payloads the client sends. The payloads carry the
 * send time in fields the server relays unchanged, so the receiving end reads its own clock twice.
 */

/** A consult ready to be entered: its clinician's and its patient's session cookies. */
export interface BenchRoom {
  appointmentId: string;
  clinicianCookie: string;
  patientCookie: string;
}

export interface LoadPlan {
  type: 'plan';
  /** `ws://host:port` of the server. */
  base: string;
  origin: string;
  rooms: BenchRoom[];
  /** Rooms opened at once while the load builds up. */
  openConcurrency: number;
  /** Each socket sends one message this often. */
  intervalMs: number;
  warmupMs: number;
  steadyMs: number;
}

export interface LoadSummary {
  rooms: number;
  sockets: number;
  /** Rooms that could not be opened (upgrade refused, no admission, a timeout). */
  roomsFailed: number;
  openSeconds: number;
  steadySeconds: number;
  /** Messages sent, and relayed to the other end, during the steady phase. */
  sent: number;
  relayed: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
  /** `error` messages by code, and sockets closed by the server by close code. */
  errors: Record<string, number>;
  closes: Record<string, number>;
  /** The load client's own CPU over the steady phase, in percent of one core. */
  clientCpuPercent: number;
}

export type LoadReport =
  | { type: 'opened' }
  | { type: 'steady'; phase: 'start' | 'end' }
  | { type: 'summary'; summary: LoadSummary }
  | { type: 'failed'; message: string };

const SENT = 'x-bench-sent';
/** The send time as written into a payload, in milliseconds of the client's monotonic clock. */
const SENT_PATTERN = /x-bench-sent[: ](\d+\.\d+)/;

export function sentAt(text: string): number | undefined {
  const match = SENT_PATTERN.exec(text);
  return match ? Number(match[1]) : undefined;
}

const codecs = (payload: number) =>
  [
    `a=rtpmap:${payload} opus/48000/2`,
    `a=rtcp-fb:${payload} transport-cc`,
    `a=fmtp:${payload} minptime=10;useinbandfec=1`,
  ].join('\r\n');

const videoCodecs = [96, 98, 100, 102, 104]
  .map((payload, i) =>
    [
      `a=rtpmap:${payload} ${['VP8', 'VP9', 'H264', 'AV1', 'H264'][i]}/90000`,
      `a=rtcp-fb:${payload} goog-remb`,
      `a=rtcp-fb:${payload} transport-cc`,
      `a=rtcp-fb:${payload} ccm fir`,
      `a=rtcp-fb:${payload} nack`,
      `a=rtcp-fb:${payload} nack pli`,
      `a=rtpmap:${payload + 1} rtx/90000`,
      `a=fmtp:${payload + 1} apt=${payload}`,
    ].join('\r\n'),
  )
  .join('\r\n');

/**
 * An offer or answer of a browser's size (about 2.5 KB: audio and video, bundled, with the
 * codecs Chromium lists), with the send time as an extension attribute, which SDP allows.
 */
export function sessionDescription(kind: 'offer' | 'answer', session: number, at: number): string {
  const media = (type: 'audio' | 'video', mid: number, ports: string, lines: string) =>
    [
      `m=${type} 9 UDP/TLS/RTP/SAVPF ${ports}`,
      'c=IN IP4 0.0.0.0',
      'a=rtcp:9 IN IP4 0.0.0.0',
      'a=ice-ufrag:Xb7q',
      'a=ice-pwd:n3VvY2hB4w9ZlK8sQfT1uR0x',
      'a=ice-options:trickle',
      'a=fingerprint:sha-256 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB:4D:0E:8A:9C:21:D6:3F:47:BB:01:2E:CC',
      `a=setup:${kind === 'offer' ? 'actpass' : 'active'}`,
      `a=mid:${mid}`,
      'a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level',
      'a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time',
      'a=sendrecv',
      'a=msid:- 8c0d9b0e-4f57-4b4b-9d1c-2b1f5f0c7a11',
      'a=rtcp-mux',
      lines,
      `a=ssrc:${1_000_000 + mid} cname:Zx9+QbJ2n8yWm3Ta`,
    ].join('\r\n');
  return [
    'v=0',
    `o=- ${session} 2 IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0 1',
    'a=extmap-allow-mixed',
    'a=msid-semantic: WMS',
    `a=${SENT}:${at.toFixed(3)}`,
    media('audio', 0, '111 63 9 0 8 13 110 126', codecs(111)),
    media('video', 1, '96 97 98 99 100 101 102 103 104 105', videoCodecs),
    '',
  ].join('\r\n');
}

/** A trickled host candidate, the send time as an extension attribute (RFC 8839 allows them). */
export function iceCandidate(n: number, at: number) {
  return {
    candidate: `candidate:${1_000_000 + n} 1 udp 2122260223 192.0.2.${(n % 250) + 1} ${50_000 + (n % 10_000)} typ host generation 0 ufrag Xb7q network-id 1 ${SENT} ${at.toFixed(3)}`,
    sdpMid: '0',
    sdpMLineIndex: 0,
    usernameFragment: 'Xb7q',
  };
}
