import { AppError } from '../../platform/http/index.js';

/** A throttled attempt: the client is told how long to wait, in the text and in `Retry-After`. */
export function throttledError(retryAfterSeconds: number): AppError {
  return new AppError(
    'sign_in_throttled',
    `Try again in ${retryAfterSeconds} seconds.`,
    undefined,
    { 'Retry-After': String(retryAfterSeconds) },
  );
}

export function lockedError(): AppError {
  return new AppError(
    'account_locked',
    'Too many failed sign-ins locked this account. Ask your administrator to unlock it.',
  );
}
