import type { Logger } from '../../platform/log/index.js';

/** The session a socket stands on: a member of staff's, or a patient's or companion's, by id. */
export interface SocketSession {
  kind: 'staff' | 'participant';
  id: string;
}

/** Which of these sessions of one kind still stand (not signed out, expired or revoked). */
export type StandingSessions = (
  kind: SocketSession['kind'],
  ids: readonly string[],
) => Promise<Set<string>>;

export interface WatchedSocket {
  readonly session: SocketSession;
  /** The session behind the socket has ended: the socket must close. */
  onSessionEnded(): void;
}

/** Ids asked about in one query, well under what a statement may bind. */
const IDS_PER_QUERY = 1_000;

/**
 * The node's check that the sessions behind its open sockets still stand: every interval, one
 * query per kind and thousand sockets, rather than a query per socket. The interval bounds how
 * late a sign-out elsewhere closes an open call's signaling; the store stays out of the relay's
 * path.
 */
export class SessionWatch {
  private readonly watched = new Set<WatchedSocket>();
  private readonly timer: NodeJS.Timeout;
  private sweeping: Promise<void> | undefined;

  constructor(
    private readonly standing: StandingSessions,
    private readonly log: Logger,
    intervalMs: number,
  ) {
    this.timer = setInterval(() => {
      // A sweep still running (a slow store) is not doubled.
      this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    }, intervalMs);
    this.timer.unref();
  }

  add(socket: WatchedSocket): void {
    this.watched.add(socket);
  }

  remove(socket: WatchedSocket): void {
    this.watched.delete(socket);
  }

  close(): void {
    clearInterval(this.timer);
  }

  private async sweep(): Promise<void> {
    for (const kind of ['staff', 'participant'] as const) {
      const sockets = [...this.watched].filter((s) => s.session.kind === kind);
      const ids = [...new Set(sockets.map((s) => s.session.id))];
      const standing = new Set<string>();
      try {
        for (let from = 0; from < ids.length; from += IDS_PER_QUERY) {
          const found = await this.standing(kind, ids.slice(from, from + IDS_PER_QUERY));
          for (const id of found) standing.add(id);
        }
      } catch (error) {
        // Unknown is not ended: the next sweep asks again.
        this.log.error({ err: error }, 'the sessions of open consult sockets could not be checked');
        continue;
      }
      for (const socket of sockets) {
        if (this.watched.has(socket) && !standing.has(socket.session.id)) socket.onSessionEnded();
      }
    }
  }
}
