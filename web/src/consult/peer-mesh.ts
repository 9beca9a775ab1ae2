import type { IceServer, SignalClientMessage } from '@safeconsult/protocol';
import type { MessageOf } from './signal-client.js';
import { isPolite } from './room-state.js';

/** How long a connection may stay `disconnected` before ICE is restarted. */
const DISCONNECTED_GRACE_MS = 4_000;
/**
 * How long an offer may go unanswered before it is sent again. Signaling can lose a message (the
 * socket reconnecting, the server refusing one in a race with an admission); an offer lost in a
 * collision would otherwise leave both ends waiting for each other for good.
 */
const OFFER_RESEND_MS = 4_000;

export interface MeshOptions {
  selfId: string;
  iceServers: IceServer[];
  send: (message: SignalClientMessage) => void;
  /** A peer's incoming media changed (null: the peer is gone). */
  onRemoteStream: (peerId: string, stream: MediaStream | null) => void;
  /** The peers held changed; the protection panel reads their stats. */
  onPeersChanged: () => void;
}

interface Peer {
  pc: RTCPeerConnection;
  polite: boolean;
  makingOffer: boolean;
  ignoreOffer: boolean;
  videoSender: RTCRtpSender | undefined;
  disconnectedTimer: ReturnType<typeof setTimeout> | undefined;
  offerTimer: ReturnType<typeof setTimeout> | undefined;
}

type SignalMessage = MessageOf<'offer'> | MessageOf<'answer'> | MessageOf<'ice-candidate'>;

/**
 * One RTCPeerConnection per other admitted participant, negotiated with the "perfect negotiation"
 * pattern so that either side may offer at any time (joining, screen sharing, ICE restarts).
 */
export class PeerMesh {
  private readonly peers = new Map<string, Peer>();
  private iceServers: RTCIceServer[];
  private stream: MediaStream;
  private videoTrack: MediaStreamTrack | null;

  constructor(
    private readonly o: MeshOptions,
    stream: MediaStream,
  ) {
    this.iceServers = o.iceServers;
    this.stream = stream;
    this.videoTrack = stream.getVideoTracks()[0] ?? null;
    window.addEventListener('online', this.restartAll);
    networkInformation()?.addEventListener('change', this.restartAll);
  }

  /** The peer connections now held, by participant id. */
  connections(): ReadonlyMap<string, RTCPeerConnection> {
    return new Map([...this.peers].map(([id, p]) => [id, p.pc]));
  }

  /** Holds a connection with exactly these participants: new ones are created, gone ones closed. */
  sync(peerIds: readonly string[]) {
    for (const id of this.peers.keys()) if (!peerIds.includes(id)) this.drop(id);
    for (const id of peerIds) if (!this.peers.has(id)) this.create(id);
  }

  /** New credentials after a reconnect (TURN credentials expire); used at the next ICE restart. */
  setIceServers(servers: IceServer[]) {
    this.iceServers = servers;
    for (const { pc } of this.peers.values()) pc.setConfiguration({ iceServers: servers });
  }

  /** Sends this track as the video to everyone (camera, screen, or none). */
  async setVideoTrack(track: MediaStreamTrack | null) {
    this.videoTrack = track;
    await Promise.all(
      [...this.peers.values()].map(async (peer) => {
        if (peer.videoSender) await peer.videoSender.replaceTrack(track);
        // Started without video: adding a sender renegotiates, which the pattern handles.
        else if (track) peer.videoSender = peer.pc.addTrack(track, this.stream);
      }),
    );
  }

  /** Applies an offer, answer or candidate from a peer; `fresh` marks the retry on a new connection. */
  async handleSignal(message: SignalMessage, fresh = false): Promise<void> {
    const peer = this.peers.get(message.from) ?? this.create(message.from);
    if (message.type === 'ice-candidate') {
      try {
        await peer.pc.addIceCandidate(message.candidate ?? undefined);
      } catch (error) {
        if (!peer.ignoreOffer) throw error;
      }
      return;
    }
    const { pc } = peer;
    const collision =
      message.type === 'offer' && (peer.makingOffer || pc.signalingState !== 'stable');
    peer.ignoreOffer = !peer.polite && collision;
    if (peer.ignoreOffer) return;
    try {
      await pc.setRemoteDescription({ type: message.type, sdp: message.sdp });
    } catch (error) {
      // The other side started afresh (it lost and regained us): answer it with a new connection.
      if (message.type !== 'offer' || fresh) throw error;
      this.drop(message.from);
      return this.handleSignal(message, true);
    }
    if (message.type === 'offer') {
      await pc.setLocalDescription();
      const sdp = pc.localDescription?.sdp;
      if (sdp) this.o.send({ type: 'answer', to: message.from, sdp });
    }
  }

  close() {
    window.removeEventListener('online', this.restartAll);
    networkInformation()?.removeEventListener('change', this.restartAll);
    for (const id of [...this.peers.keys()]) this.drop(id);
  }

  /** The network changed under the call: find new paths on every connection. */
  private readonly restartAll = () => {
    for (const { pc } of this.peers.values()) pc.restartIce();
  };

  private create(peerId: string): Peer {
    const pc = new RTCPeerConnection({ iceServers: this.iceServers });
    const peer: Peer = {
      pc,
      polite: isPolite(this.o.selfId, peerId),
      makingOffer: false,
      ignoreOffer: false,
      videoSender: undefined,
      disconnectedTimer: undefined,
      offerTimer: undefined,
    };
    this.peers.set(peerId, peer);
    for (const track of this.stream.getAudioTracks()) pc.addTrack(track, this.stream);
    if (this.videoTrack) peer.videoSender = pc.addTrack(this.videoTrack, this.stream);
    pc.onnegotiationneeded = async () => {
      try {
        peer.makingOffer = true;
        await pc.setLocalDescription();
        const sdp = pc.localDescription?.sdp;
        if (sdp) this.o.send({ type: 'offer', to: peerId, sdp });
      } finally {
        peer.makingOffer = false;
      }
      this.awaitAnswer(peerId, peer);
    };
    pc.onicecandidate = ({ candidate }) => {
      this.o.send({
        type: 'ice-candidate',
        to: peerId,
        candidate: candidate ? toCandidateInit(candidate) : null,
      });
    };
    pc.ontrack = ({ track, streams }) => {
      const remote = streams[0] ?? new MediaStream([track]);
      this.o.onRemoteStream(peerId, remote);
    };
    pc.oniceconnectionstatechange = () => {
      clearTimeout(peer.disconnectedTimer);
      if (pc.iceConnectionState === 'failed') pc.restartIce();
      if (pc.iceConnectionState === 'disconnected') {
        peer.disconnectedTimer = setTimeout(() => {
          if (pc.iceConnectionState === 'disconnected') pc.restartIce();
        }, DISCONNECTED_GRACE_MS);
      }
    };
    this.o.onPeersChanged();
    return peer;
  }

  /**
   * Sends the pending offer again while it goes unanswered. The local description carries the
   * candidates gathered so far, so candidates lost with it are not needed. A peer that had it
   * answers again (a second answer is ignored here); a polite peer holding its own offer yields.
   */
  private awaitAnswer(peerId: string, peer: Peer) {
    clearTimeout(peer.offerTimer);
    peer.offerTimer = setTimeout(() => {
      const { pc } = peer;
      const sdp = pc.localDescription?.sdp;
      if (pc.signalingState !== 'have-local-offer' || !sdp) return;
      this.o.send({ type: 'offer', to: peerId, sdp });
      this.awaitAnswer(peerId, peer);
    }, OFFER_RESEND_MS);
  }

  private drop(peerId: string) {
    const peer = this.peers.get(peerId);
    if (!peer) return;
    clearTimeout(peer.disconnectedTimer);
    clearTimeout(peer.offerTimer);
    peer.pc.close();
    this.peers.delete(peerId);
    this.o.onRemoteStream(peerId, null);
    this.o.onPeersChanged();
  }
}

/** The candidate as the protocol carries it (the browser's JSON form, fields it knows only). */
function toCandidateInit(candidate: RTCIceCandidate) {
  const { candidate: line, sdpMid, sdpMLineIndex, usernameFragment } = candidate.toJSON();
  return { candidate: line ?? '', sdpMid, sdpMLineIndex, usernameFragment };
}

/** `navigator.connection`, where the browser has it (Chromium does; others do not). */
function networkInformation(): EventTarget | undefined {
  return (navigator as Navigator & { connection?: EventTarget }).connection;
}
