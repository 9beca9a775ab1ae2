import { describe, expect, it } from 'vitest';
import { connectionFacts } from './connection-facts.js';

/** Entries in the shape Chromium's getStats() returns them (trimmed to the fields that matter). */
function chromiumReport(
  localType: string,
  remoteType: string,
  options: { protocol?: string; namePair?: boolean; framesDecoded?: number } = {},
) {
  const entries: Record<string, unknown>[] = [
    {
      id: 'T01',
      type: 'transport',
      timestamp: 1733342400000,
      bytesSent: 48213,
      bytesReceived: 51002,
      dtlsRole: 'client',
      dtlsState: 'connected',
      dtlsCipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      iceRole: 'controlling',
      iceState: 'connected',
      localCertificateId: 'CFa1',
      remoteCertificateId: 'CFb2',
      ...(options.namePair === false ? {} : { selectedCandidatePairId: 'CPa9Xk_b7Yq' }),
      srtpCipher: 'AES_CM_128_HMAC_SHA1_80',
      tlsVersion: 'FEFD',
      selectedCandidatePairChanges: 1,
    },
    {
      id: 'CPzz_old',
      type: 'candidate-pair',
      transportId: 'T01',
      localCandidateId: 'Ia9Xk',
      remoteCandidateId: 'Irelay',
      state: 'failed',
      nominated: false,
    },
    {
      id: 'CPa9Xk_b7Yq',
      type: 'candidate-pair',
      timestamp: 1733342400000,
      transportId: 'T01',
      localCandidateId: 'Ia9Xk',
      remoteCandidateId: 'Ib7Yq',
      state: 'succeeded',
      priority: 9114756780654034000,
      nominated: true,
      writable: true,
      bytesSent: 40211,
      currentRoundTripTime: 0.002,
    },
    {
      id: 'Ia9Xk',
      type: 'local-candidate',
      transportId: 'T01',
      address: '192.168.1.20',
      port: 50123,
      protocol: options.protocol ?? 'udp',
      candidateType: localType,
      priority: 2122260223,
      networkType: 'ethernet',
      usernameFragment: 'kQ1z',
    },
    {
      id: 'Ib7Yq',
      type: 'remote-candidate',
      transportId: 'T01',
      address: '203.0.113.7',
      port: 61000,
      protocol: options.protocol ?? 'udp',
      candidateType: remoteType,
      priority: 1686052607,
      usernameFragment: 'p0Wd',
    },
    {
      id: 'IT01V1234',
      type: 'inbound-rtp',
      kind: 'video',
      mediaType: 'video',
      ssrc: 1234,
      transportId: 'T01',
      codecId: 'CIT01_96',
      framesReceived: (options.framesDecoded ?? 0) + 2,
      framesDecoded: options.framesDecoded ?? 0,
      frameWidth: 640,
      frameHeight: 480,
    },
    {
      id: 'IT01A5678',
      type: 'inbound-rtp',
      kind: 'audio',
      mediaType: 'audio',
      ssrc: 5678,
      transportId: 'T01',
      totalSamplesReceived: 96000,
    },
  ];
  return new Map(entries.map((e) => [e.id as string, e]));
}

describe('connectionFacts', () => {
  it('calls a host-to-server-reflexive pair peer to peer, with its ciphers and frames', () => {
    const facts = connectionFacts(chromiumReport('host', 'srflx', { framesDecoded: 417 }));
    expect(facts).toEqual({
      path: 'direct',
      protocol: 'udp',
      dtlsState: 'connected',
      dtlsCipher: 'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
      srtpCipher: 'AES_CM_128_HMAC_SHA1_80',
      framesDecoded: 417,
    });
  });

  it('calls the connection relayed when either end is a relay candidate', () => {
    expect(connectionFacts(chromiumReport('relay', 'host')).path).toBe('relayed');
    expect(connectionFacts(chromiumReport('prflx', 'relay', { protocol: 'tcp' }))).toMatchObject({
      path: 'relayed',
      protocol: 'tcp',
    });
  });

  it('finds the succeeded, nominated pair when the transport names none', () => {
    const facts = connectionFacts(chromiumReport('prflx', 'host', { namePair: false }));
    expect(facts.path).toBe('direct');
  });

  it('knows nothing of the path before a pair is selected, and counts no frames', () => {
    const report = chromiumReport('host', 'host', { namePair: false });
    report.delete('CPa9Xk_b7Yq');
    expect(connectionFacts(report)).toMatchObject({
      path: 'unknown',
      protocol: null,
      framesDecoded: 0,
    });
    expect(connectionFacts(new Map())).toEqual({
      path: 'unknown',
      protocol: null,
      dtlsState: null,
      dtlsCipher: null,
      srtpCipher: null,
      framesDecoded: 0,
    });
  });
});
