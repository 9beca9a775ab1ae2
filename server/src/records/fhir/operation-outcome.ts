import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4.js';
import type { AppError } from '../../platform/http/index.js';
import { ERROR_CATALOGUE, toAppError, type ErrorCode } from '../../platform/http/index.js';

export const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const PROBLEM_SYSTEM = 'https://safeconsult.dev/problems';

type IssueType = OperationOutcomeIssue['code'];

/** The FHIR issue type of each catalogued problem; anything else is a processing failure. */
const ISSUE_TYPES: Partial<Record<ErrorCode, IssueType>> = {
  bad_request: 'invalid',
  malformed_body: 'structure',
  validation_failed: 'invalid',
  search_parameter_unknown: 'not-supported',
  resource_type_unsupported: 'not-supported',
  unsupported_media_type: 'not-supported',
  unauthenticated: 'login',
  reauthentication_required: 'login',
  mfa_required: 'login',
  forbidden: 'forbidden',
  csrf_failed: 'security',
  origin_refused: 'security',
  not_found: 'not-found',
  conflict: 'conflict',
  precondition_failed: 'conflict',
  body_too_large: 'too-costly',
  rate_limited: 'throttled',
  internal_error: 'exception',
  not_ready: 'transient',
};

/** A catalogued problem as an OperationOutcome: one issue per field problem, or one for the whole. */
export function outcomeOf(request: FastifyRequest, error: AppError): OperationOutcome {
  const code = ISSUE_TYPES[error.code] ?? 'processing';
  const details = {
    coding: [{ system: PROBLEM_SYSTEM, code: error.code }],
    text: ERROR_CATALOGUE[error.code].title,
  };
  const severity = error.status >= 500 ? 'fatal' : 'error';
  const issues: OperationOutcomeIssue[] = error.errors?.length
    ? error.errors.map((p) => ({
        severity,
        code,
        details,
        diagnostics: p.message,
        expression: [p.path],
      }))
    : [{ severity, code, details, ...(error.detail ? { diagnostics: error.detail } : {}) }];
  return {
    resourceType: 'OperationOutcome',
    id: String(request.id),
    issue: issues,
  };
}

/** A warning about a part of a request that was ignored (lenient search handling). */
export const warningIssue = (expression: string, diagnostics: string): OperationOutcomeIssue => ({
  severity: 'warning',
  code: 'not-supported',
  details: { coding: [{ system: PROBLEM_SYSTEM, code: 'search_parameter_unknown' }] },
  diagnostics,
  expression: [expression],
});

export function sendOutcome(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  return reply
    .code(error.status)
    .headers(error.headers ?? {})
    .type(FHIR_JSON)
    .send(outcomeOf(request, error));
}

/** FHIR routes answer every error with an OperationOutcome rather than a problem document. */
export function registerOutcomeHandlers(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code }, 'request refused');
    return sendOutcome(request, reply, appError);
  });
}
