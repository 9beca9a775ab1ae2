import type { SessionInfo } from '@safeconsult/protocol';

/** Where a session goes next: its owed second-factor step, or the console. */
export function pathAfterSignIn(session: SessionInfo): string {
  switch (session.stage) {
    case 'mfa_enrolment':
      return '/sign-in/authenticator';
    case 'mfa_pending':
      return '/sign-in/code';
    case 'full':
      return '/console';
  }
}
