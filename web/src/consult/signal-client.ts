import {
  signalClientMessageSchema,
  signalServerMessageSchema,
  type SignalClientMessage,
  type SignalServerMessage,
} from '@safeconsult/protocol';
import { closeOutcome, reconnectDelay, type CallEnd } from './room-state.js';

export type MessageOf<T extends SignalServerMessage['type']> = Extract<
  SignalServerMessage,
  { type: T }
>;

/** Whether the socket is up; `reconnecting` after a network loss, until it is up again. */
export type LinkStatus = 'connecting' | 'open' | 'reconnecting';

export type SignalHandlers = {
  [T in SignalServerMessage['type']]?: (message: MessageOf<T>) => void;
} & {
  onLink?: (status: LinkStatus) => void;
  /** The call is over for this person; the client will not reconnect. */
  onEnd?: (reason: CallEnd) => void;
};

/** Close code for a socket this client closes itself (leaving, or the page going away). */
const CLIENT_CLOSE = 1000;

/**
 * The one owner of a consult room's signaling socket. Every message from the server is checked
 * against the protocol's schema before a handler sees it, and only messages the protocol allows
 * are sent. After an abnormal close it reconnects with back-off; the server then sends `welcome`
 * and `state` again, and the call carries on. The application's close codes end the call.
 */
export class SignalClient {
  private socket: WebSocket | undefined;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private readonly url: string;

  constructor(
    appointmentId: string,
    private readonly handlers: SignalHandlers,
  ) {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.url = `${scheme}//${window.location.host}/api/consults/${encodeURIComponent(appointmentId)}/signal`;
    window.addEventListener('online', this.reconnectNow);
    this.connect();
  }

  /** Sends a message the protocol allows; returns false when it is not one, or the socket is down. */
  send(message: SignalClientMessage): boolean {
    const checked = signalClientMessageSchema.safeParse(message);
    if (!checked.success || this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(checked.data));
    return true;
  }

  /** Closes the socket for good: leaving the room, or the page going away. */
  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    window.removeEventListener('online', this.reconnectNow);
    this.socket?.close(CLIENT_CLOSE);
  }

  private connect() {
    const socket = new WebSocket(this.url);
    this.socket = socket;
    this.handlers.onLink?.(this.attempt === 0 ? 'connecting' : 'reconnecting');
    socket.addEventListener('open', () => {
      this.attempt = 0;
      this.handlers.onLink?.('open');
    });
    socket.addEventListener('message', (event: MessageEvent<unknown>) => {
      if (typeof event.data !== 'string') return;
      let json: unknown;
      try {
        json = JSON.parse(event.data);
      } catch {
        return;
      }
      const parsed = signalServerMessageSchema.safeParse(json);
      // A message this version does not understand is dropped rather than half-handled.
      if (parsed.success) this.dispatch(parsed.data);
    });
    socket.addEventListener('close', (event) => {
      if (this.socket !== socket || this.stopped) return;
      const outcome = closeOutcome(event.code);
      if (outcome === 'reconnect') return this.scheduleReconnect();
      this.finish(outcome);
    });
  }

  private dispatch(message: SignalServerMessage) {
    // The handler map is keyed by type, so the message matches the handler it selects.
    const handler = this.handlers[message.type] as ((m: SignalServerMessage) => void) | undefined;
    handler?.(message);
    if (message.type === 'ended' || message.type === 'removed') this.finish(message.type);
  }

  private finish(reason: CallEnd) {
    if (this.stopped) return;
    this.close();
    this.handlers.onEnd?.(reason);
  }

  private scheduleReconnect() {
    this.handlers.onLink?.('reconnecting');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.connect(), reconnectDelay(this.attempt));
    this.attempt += 1;
  }

  /** The network is back: try at once rather than wait out the back-off. */
  private readonly reconnectNow = () => {
    if (this.stopped || this.socket?.readyState !== WebSocket.CLOSED) return;
    clearTimeout(this.timer);
    this.connect();
  };
}
