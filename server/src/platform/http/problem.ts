import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Problem } from '@safeconsult/protocol';
import { AppError, ERROR_CATALOGUE, type ErrorCode } from './error-catalogue.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** Fastify's own 4xx errors, mapped to our codes with messages that never echo the input. */
const FASTIFY_ERRORS: Record<string, { code: ErrorCode; detail: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'malformed_body',
    detail: 'The body could not be parsed as JSON.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'malformed_body',
    detail: 'The body is empty, but this content type requires a JSON document.',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    code: 'body_too_large',
    detail: 'The body exceeds the size this server accepts.',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    code: 'bad_request',
    detail: 'The Content-Length header does not match the body.',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    code: 'unsupported_media_type',
    detail: 'Send the body as application/json.',
  },
  FST_ERR_BAD_URL: { code: 'bad_request', detail: 'The address is not a valid URL.' },
};

export function problemBody(request: FastifyRequest, error: AppError): Problem {
  const entry = ERROR_CATALOGUE[error.code];
  return {
    type: `https://safeconsult.dev/problems/${error.code.replaceAll('_', '-')}`,
    title: entry.title,
    status: entry.status,
    code: error.code,
    detail: error.detail,
    instance: `urn:safeconsult:request:${String(request.id)}`,
    errors: error.errors,
  };
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError) {
  return reply
    .code(error.status)
    .headers(error.headers ?? {})
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody(request, error));
}

/** Turns whatever was thrown into a problem document; nothing but a real fault becomes a 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const where = (error as FastifyError).validationContext ?? 'request';
    const errors = error.validation.map((v) => ({
      path: [where, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'is not valid',
    }));
    return new AppError('validation_failed', describeValidation(errors.length), errors);
  }
  const fastifyCode = (error as Partial<FastifyError>).code;
  const known = fastifyCode ? FASTIFY_ERRORS[fastifyCode] : undefined;
  if (known) return new AppError(known.code, known.detail);
  const status = (error as Partial<FastifyError>).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new AppError('bad_request', 'The request cannot be processed as sent.');
  }
  return new AppError('internal_error', 'The request failed; it has been logged with its id.');
}

function describeValidation(count: number): string {
  return count === 1
    ? 'One field is not valid; see `errors`.'
    : `${count} fields are not valid; see \`errors\`.`;
}

export function registerProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) {
      request.log.error({ err: error }, 'request failed');
    } else {
      request.log.info({ code: appError.code }, 'request refused');
    }
    return sendProblem(request, reply, appError);
  });
}
