/** What the "how you are protected" panel says about one peer connection, read from its stats. */
export interface ConnectionFacts {
  /** `direct`: both ends are host, server-reflexive or peer-reflexive candidates; `relayed`: TURN. */
  path: 'direct' | 'relayed' | 'unknown';
  protocol: 'udp' | 'tcp' | null;
  dtlsState: string | null;
  dtlsCipher: string | null;
  srtpCipher: string | null;
  /** Video frames decoded from this peer so far, all inbound video streams together. */
  framesDecoded: number;
}

/** A stats entry as browsers report it: every entry has an id and a type; the rest depends. */
type Stats = Record<string, unknown> & { id: string; type: string };

/** An RTCStatsReport, or a Map of the same entries (tests build those). */
export type StatsReportLike = Pick<ReadonlyMap<string, unknown>, 'get' | 'values'>;

const DIRECT_TYPES = new Set(['host', 'srflx', 'prflx']);

function asStats(value: unknown): Stats | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  return typeof v.id === 'string' && typeof v.type === 'string' ? (v as Stats) : undefined;
}

const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * The selected candidate pair: the one the transport names (the standard way), or else a
 * succeeded pair that is selected or nominated (older browsers and Firefox report it so).
 */
function selectedPair(entries: Stats[], transport: Stats | undefined, report: StatsReportLike) {
  const named = text(transport?.selectedCandidatePairId);
  if (named) {
    const pair = asStats(report.get(named));
    if (pair) return pair;
  }
  return entries.find(
    (s) =>
      s.type === 'candidate-pair' &&
      s.state === 'succeeded' &&
      (s.selected === true || s.nominated === true),
  );
}

/**
 * Facts about one peer connection from its `getStats()` report. Pure, so that the panel's words
 * rest on what the browser measured, and tests can hold them to real shapes.
 */
export function connectionFacts(report: StatsReportLike): ConnectionFacts {
  const entries = [...report.values()].flatMap((v) => asStats(v) ?? []);
  // A bundled connection has one transport; take the one that carries the selected pair.
  const transports = entries.filter((s) => s.type === 'transport');
  const transport =
    transports.find((t) => typeof t.selectedCandidatePairId === 'string') ?? transports[0];
  const pair = selectedPair(entries, transport, report);
  const local = asStats(report.get(text(pair?.localCandidateId) ?? ''));
  const remote = asStats(report.get(text(pair?.remoteCandidateId) ?? ''));
  const types = [text(local?.candidateType), text(remote?.candidateType)];
  const path = types.includes('relay')
    ? 'relayed'
    : types.every((t) => t !== null && DIRECT_TYPES.has(t))
      ? 'direct'
      : 'unknown';
  const protocol = text(local?.protocol);
  const framesDecoded = entries
    .filter((s) => s.type === 'inbound-rtp' && (s.kind ?? s.mediaType) === 'video')
    .reduce((sum, s) => sum + (typeof s.framesDecoded === 'number' ? s.framesDecoded : 0), 0);
  return {
    path,
    protocol: protocol === 'udp' || protocol === 'tcp' ? protocol : null,
    dtlsState: text(transport?.dtlsState),
    dtlsCipher: text(transport?.dtlsCipher),
    srtpCipher: text(transport?.srtpCipher),
    framesDecoded,
  };
}
