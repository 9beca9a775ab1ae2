import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import {
  sessionInfoSchema,
  sessionStateSchema,
  type Problem,
  type SessionInfo,
} from '@safeconsult/protocol';
import { api } from '../api/http.js';
import { browserSupportsWebAuthn, provePasskey } from './passkeys.js';

interface SessionState {
  /** undefined while loading, null when nobody is signed in. */
  session: SessionInfo | null | undefined;
  signIn: (
    email: string,
    password: string,
  ) => Promise<{ session: SessionInfo } | { problem: Problem }>;
  /** Passkey sign-in, where the server is reached by a host name and the browser supports it. */
  passkeysAvailable: boolean;
  signInWithPasskey: () => Promise<{ session: SessionInfo } | { problem: Problem }>;
  signOut: () => Promise<void>;
  /**
   * Takes over a session the server answered with (after a second-factor step), or forgets one
   * the server has already ended.
   */
  replaceSession: (session: SessionInfo | null) => void;
}

const SessionContext = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [serverPasskeys, setServerPasskeys] = useState(false);

  useEffect(() => {
    void api<unknown>('/api/auth/session').then((result) => {
      const parsed = result.ok ? sessionStateSchema.safeParse(result.data) : undefined;
      setSession(parsed?.success ? parsed.data.session : null);
      setServerPasskeys(parsed?.success === true && parsed.data.passkeysAvailable);
    });
  }, []);

  const signInWithPasskey = useCallback(async () => {
    const result = await provePasskey<unknown>(
      '/api/auth/passkeys/sign-in/options',
      '/api/auth/passkeys/sign-in',
    );
    if (!result.ok) return { problem: result.problem };
    const signedIn = sessionInfoSchema.parse(result.data);
    setSession(signedIn);
    return { session: signedIn };
  }, []);

  const signIn = useCallback(async (email: string, password: string) => {
    const result = await api<unknown>('/api/auth/sign-in', {
      method: 'POST',
      body: { email, password },
    });
    if (!result.ok) return { problem: result.problem };
    const signedIn = sessionInfoSchema.parse(result.data);
    setSession(signedIn);
    return { session: signedIn };
  }, []);

  const signOut = useCallback(async () => {
    if (session) {
      await api('/api/auth/sign-out', { method: 'POST', csrfToken: session.csrfToken });
    }
    setSession(null);
  }, [session]);

  const value = useMemo(
    () => ({
      session,
      signIn,
      signInWithPasskey,
      passkeysAvailable: serverPasskeys && browserSupportsWebAuthn(),
      signOut,
      replaceSession: setSession,
    }),
    [session, signIn, signInWithPasskey, serverPasskeys, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession outside SessionProvider');
  return state;
}
