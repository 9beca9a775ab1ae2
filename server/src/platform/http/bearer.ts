import type { FastifyRequest } from 'fastify';

/** The token of an `Authorization: Bearer` header (RFC 6750), if the request has one. */
export function bearerTokenOf(request: FastifyRequest): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return match?.[1];
}
