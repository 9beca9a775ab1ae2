import {
  browserSupportsWebAuthn,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser';
import { passkeyCeremonySchema, type Problem } from '@safeconsult/protocol';
import { api, type ApiResult } from '../api/http.js';

export { browserSupportsWebAuthn };

/** The person closed the browser's passkey dialog, or it timed out: not an error to shout about. */
const CANCELLED: Problem = {
  type: 'about:blank',
  title: 'cancelled',
  status: 0,
  code: 'passkey_cancelled',
};

async function ceremony(optionsPath: string, csrfToken: string | undefined) {
  const result = await api<unknown>(optionsPath, { method: 'POST', csrfToken });
  if (!result.ok) return result;
  return { ok: true as const, data: passkeyCeremonySchema.parse(result.data) };
}

/**
 * Proves a passkey: fetches a challenge from `optionsPath`, lets the browser ask the person for
 * their passkey, and posts the signed answer to `answerPath`.
 */
export async function provePasskey<T>(
  optionsPath: string,
  answerPath: string,
  csrfToken?: string,
): Promise<ApiResult<T>> {
  const started = await ceremony(optionsPath, csrfToken);
  if (!started.ok) return started;
  let credential;
  try {
    credential = await startAuthentication({ optionsJSON: started.data.options });
  } catch {
    return { ok: false, problem: CANCELLED };
  }
  return api<T>(answerPath, {
    method: 'POST',
    body: { challengeId: started.data.challengeId, credential },
    csrfToken,
  });
}

/** Creates a passkey for the signed-in person and registers it under their chosen name. */
export async function createPasskey<T>(name: string, csrfToken: string): Promise<ApiResult<T>> {
  const started = await ceremony('/api/auth/passkeys/registration/options', csrfToken);
  if (!started.ok) return started;
  let credential;
  try {
    credential = await startRegistration({ optionsJSON: started.data.options as never });
  } catch {
    return { ok: false, problem: CANCELLED };
  }
  return api<T>('/api/auth/passkeys/registration', {
    method: 'POST',
    body: { challengeId: started.data.challengeId, name, credential },
    csrfToken,
  });
}
