import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsultChatItem, SignalClientMessage } from '@safeconsult/protocol';
import type { LocalMedia } from './local-media.js';
import { PeerMesh } from './peer-mesh.js';
import {
  peersToConnect,
  type CallEnd,
  type RoomStateMessage,
  type WelcomeMessage,
} from './room-state.js';
import { SignalClient, type LinkStatus, type MessageOf } from './signal-client.js';

type Signal = MessageOf<'offer'> | MessageOf<'answer'> | MessageOf<'ice-candidate'>;

export interface Room {
  appointmentId: string;
  link: LinkStatus;
  welcome: WelcomeMessage | undefined;
  state: RoomStateMessage | undefined;
  end: CallEnd | undefined;
  /** The code of the server's last refusal of something this person sent. */
  refusal: string | undefined;
  remoteStreams: ReadonlyMap<string, MediaStream>;
  peers: ReadonlyMap<string, RTCPeerConnection>;
  /** Chat lines and files the socket announced since this page opened (the history is fetched). */
  chat: readonly ConsultChatItem[];
  send: (message: SignalClientMessage) => boolean;
  setVideoTrack: (track: MediaStreamTrack | null) => Promise<void>;
  leave: () => void;
}

/**
 * A consult room for React: the signaling socket from the start (the waiting room needs it), and
 * the peer mesh once this person is admitted and has their media. Signals that arrive before the
 * mesh exists wait for it, so an early offer is not lost.
 */
export function useRoom(appointmentId: string, media: LocalMedia | null): Room {
  const [link, setLink] = useState<LinkStatus>('connecting');
  const [welcome, setWelcome] = useState<WelcomeMessage>();
  const [state, setState] = useState<RoomStateMessage>();
  const [end, setEnd] = useState<CallEnd>();
  const [refusal, setRefusal] = useState<string>();
  const [remoteStreams, setRemoteStreams] = useState<ReadonlyMap<string, MediaStream>>(new Map());
  const [peers, setPeers] = useState<ReadonlyMap<string, RTCPeerConnection>>(new Map());
  const [chat, setChat] = useState<readonly ConsultChatItem[]>([]);
  const client = useRef<SignalClient>(undefined);
  const mesh = useRef<PeerMesh>(undefined);
  const pending = useRef<Signal[]>([]);

  const apply = useCallback((signal: Signal) => {
    if (!mesh.current) return void pending.current.push(signal);
    mesh.current.handleSignal(signal).catch(() => {
      // A signal for a connection already replaced: the next negotiation supersedes it.
    });
  }, []);

  useEffect(() => {
    const signals = new SignalClient(appointmentId, {
      onLink: setLink,
      onEnd: (reason) => {
        mesh.current?.close();
        mesh.current = undefined;
        setEnd(reason);
      },
      welcome: (message) => {
        setWelcome(message);
        mesh.current?.setIceServers(message.iceServers);
      },
      state: setState,
      offer: apply,
      answer: apply,
      'ice-candidate': apply,
      chat: (message) => setChat((items) => [...items, message.item]),
      error: (message) => setRefusal(message.code),
    });
    client.current = signals;
    return () => {
      signals.close();
      mesh.current?.close();
      mesh.current = undefined;
      pending.current = [];
    };
  }, [appointmentId, apply]);

  const admitted = state?.you.state === 'admitted' && !end;
  useEffect(() => {
    if (!admitted || !welcome || !media || mesh.current) return;
    const created = new PeerMesh(
      {
        selfId: welcome.participantId,
        iceServers: welcome.iceServers,
        send: (message) => client.current?.send(message),
        onRemoteStream: (peerId, stream) =>
          setRemoteStreams((current) => {
            const next = new Map(current);
            if (stream) next.set(peerId, stream);
            else next.delete(peerId);
            return next;
          }),
        onPeersChanged: () => setPeers(created.connections()),
      },
      media.stream,
    );
    mesh.current = created;
    for (const signal of pending.current.splice(0)) apply(signal);
  }, [admitted, welcome, media, apply]);

  useEffect(() => {
    // The mesh reports what changes through onPeersChanged.
    mesh.current?.sync(peersToConnect(state));
  }, [state, admitted, media]);

  const send = useCallback(
    (message: SignalClientMessage) => client.current?.send(message) ?? false,
    [],
  );
  const setVideoTrack = useCallback(
    async (track: MediaStreamTrack | null) => mesh.current?.setVideoTrack(track),
    [],
  );
  const leave = useCallback(() => {
    client.current?.close();
    mesh.current?.close();
    mesh.current = undefined;
    setEnd('left');
  }, []);

  return {
    appointmentId,
    link,
    welcome,
    state,
    end,
    refusal,
    remoteStreams,
    peers,
    chat,
    send,
    setVideoTrack,
    leave,
  };
}
