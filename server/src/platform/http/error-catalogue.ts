/**
 * Every error code the API can answer with, its HTTP status and its title. Codes are stable: clients
 * and the security officer's tooling rely on them. docs/errors.md documents each one, and a test
 * keeps the two in step.
 */
export const ERROR_CATALOGUE = {
  bad_request: { status: 400, title: 'The request cannot be processed' },
  malformed_body: { status: 400, title: 'The request body is not well-formed JSON' },
  validation_failed: {
    status: 400,
    title: 'The request does not match what this endpoint accepts',
  },
  token_invalid: { status: 400, title: 'The link is not valid' },
  consistency_range_invalid: {
    status: 400,
    title: 'A consistency proof runs from a tree to one at least as large',
  },
  unauthenticated: { status: 401, title: 'Sign in to continue' },
  invalid_credentials: { status: 401, title: 'The e-mail address or password is not correct' },
  mfa_code_invalid: { status: 401, title: 'The code is not correct or was already used' },
  passkey_invalid: { status: 401, title: 'The passkey could not be verified' },
  reauthentication_required: { status: 401, title: 'Confirm your password to continue' },
  forbidden: { status: 403, title: 'You may not do this' },
  csrf_failed: { status: 403, title: 'The request lacks its anti-forgery token' },
  origin_refused: { status: 403, title: 'The request comes from another site' },
  mfa_required: { status: 403, title: 'Complete the second sign-in step first' },
  passkey_required: {
    status: 403,
    title: 'Your role must use a passkey; an authenticator code is not accepted',
  },
  search_parameter_unknown: {
    status: 400,
    title: 'The search uses a parameter this server does not support',
  },
  not_found: { status: 404, title: 'Nothing exists at this address' },
  resource_type_unsupported: {
    status: 404,
    title: 'This server does not support this resource type',
  },
  tree_head_unknown: { status: 404, title: 'No signed tree head has this size' },
  conflict: { status: 409, title: 'The request conflicts with the current state' },
  passkeys_unavailable: {
    status: 409,
    title: 'Passkeys need SafeConsult to be reached by a host name',
  },
  precondition_failed: { status: 412, title: 'A precondition of the request does not hold' },
  body_too_large: { status: 413, title: 'The request body is larger than allowed' },
  file_too_large: { status: 413, title: 'The file is larger than a consult accepts' },
  file_type_not_allowed: { status: 415, title: 'A consult does not accept this kind of file' },
  unsupported_media_type: {
    status: 415,
    title: 'The request body has an unsupported content type',
  },
  unprocessable: { status: 422, title: 'The request is understood but cannot be carried out' },
  entry_not_in_tree: { status: 422, title: 'The entry is not in the tree of this size' },
  password_rejected: { status: 422, title: 'The password does not meet the policy' },
  policy_invalid: { status: 422, title: 'The access policy does not validate against its schema' },
  identity_check_failed: { status: 401, title: 'The answer does not match our records' },
  account_locked: { status: 423, title: 'The account is locked' },
  rate_limited: { status: 429, title: 'Too many requests' },
  sign_in_throttled: { status: 429, title: 'Too many failed sign-ins; wait before trying again' },
  internal_error: { status: 500, title: 'Something went wrong on our side' },
  not_ready: { status: 503, title: 'The service is not ready' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export interface FieldProblem {
  path: string;
  message: string;
}

/** An error that is meant to reach the client as a problem document with a catalogued code. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly detail?: string,
    readonly errors?: FieldProblem[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? ERROR_CATALOGUE[code].title);
    this.name = 'AppError';
    this.status = ERROR_CATALOGUE[code].status;
  }
}
