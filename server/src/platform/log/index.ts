import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Keys whose values are patient data or secrets. Any log object carrying one of them, at the top
 * or nested up to three levels, has the value replaced before the line is written.
 */
const SENSITIVE_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'secret',
  'otp',
  'recoveryCode',
  'cookie',
  'authorization',
  'masterKey',
  'name',
  'given',
  'family',
  'birthDate',
  'email',
  'phone',
  'telecom',
  'address',
  'identifier',
  'note',
  'text',
  'content',
  'body',
  'demographics',
];

const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  ...SENSITIVE_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
];

interface RequestLike {
  id?: unknown;
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
  ip?: string;
}

interface ReplyLike {
  statusCode?: number;
}

/**
 * Requests are logged by their route pattern (`/join/:token`), never the raw URL: paths and query
 * strings may carry invitation tokens or search terms about patients.
 */
function serializeRequest(req: RequestLike) {
  const route = req.routeOptions?.url;
  return {
    id: req.id,
    method: req.method,
    route: route ?? '(no route)',
    remoteAddress: req.ip,
  };
}

function serializeReply(res: ReplyLike) {
  return { statusCode: res.statusCode };
}

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  stack?: unknown;
  cause?: unknown;
}

/**
 * Errors keep their type, code, first message line and stack frames, and nothing else: database
 * errors carry row values in `detail` and query wrappers append bound parameters to the message.
 */
export function serializeError(err: unknown, depth = 0): Record<string, unknown> {
  if (typeof err !== 'object' || err === null) return { message: 'non-error thrown' };
  const e = err as ErrorLike;
  const message = typeof e.message === 'string' ? firstLine(e.message) : undefined;
  const frames =
    typeof e.stack === 'string'
      ? e.stack
          .split('\n')
          .filter((line) => line.startsWith('    at '))
          .join('\n')
      : undefined;
  return {
    type: typeof e.name === 'string' ? e.name : 'Error',
    code: typeof e.code === 'string' || typeof e.code === 'number' ? e.code : undefined,
    message,
    stack: frames,
    cause: e.cause !== undefined && depth < 3 ? serializeError(e.cause, depth + 1) : undefined,
  };
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0] ?? '';
  // Drizzle's "Failed query: <sql>" keeps the statement, which has placeholders, not values.
  return line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

export function loggerOptions(level: LoggerOptions['level']): LoggerOptions {
  return {
    level,
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    serializers: { req: serializeRequest, res: serializeReply, err: serializeError },
    base: { service: 'safeconsult' },
  };
}

export function createLogger(
  level: LoggerOptions['level'],
  destination?: DestinationStream,
): Logger {
  return destination ? pino(loggerOptions(level), destination) : pino(loggerOptions(level));
}
