import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { AppError } from './error-catalogue.js';
import { registerWithAccess } from './route-rules.js';

/** Where `npm run build -w web` puts the web app. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../../web/dist', import.meta.url));

function wantsPage(request: FastifyRequest): boolean {
  const pathname = request.url.split('?', 1)[0] ?? '';
  return (
    request.method === 'GET' &&
    !pathname.startsWith('/api/') &&
    !path.extname(pathname) &&
    (request.headers.accept ?? '').includes('text/html')
  );
}

/**
 * Serves the built web app: its files as they are, and its index page for any other page address
 * so that client-side routes load on refresh. API addresses that match nothing get a problem 404.
 * Without a build (an API-only deployment, or tests) only the 404s remain.
 */
export async function registerWebApp(app: FastifyInstance, webRoot: string | undefined) {
  const indexFile = webRoot ? path.join(webRoot, 'index.html') : undefined;
  const indexHtml = indexFile && existsSync(indexFile) ? await readFile(indexFile) : undefined;
  if (webRoot && indexHtml) {
    await registerWithAccess(
      app,
      { kind: 'public-files', why: 'the web app itself; it holds no data' },
      (scope) =>
        scope.register(fastifyStatic, {
          root: webRoot,
          wildcard: false,
          index: false,
          decorateReply: false,
          cacheControl: false,
        }),
    );
  } else {
    app.log.warn({ webRoot }, 'web app build not found: serving the API only');
  }
  app.setNotFoundHandler({ preHandler: app.rateLimit() }, async (request, reply) => {
    if (indexHtml && wantsPage(request)) {
      return reply.type('text/html; charset=utf-8').send(indexHtml);
    }
    throw new AppError('not_found', 'No resource or page exists at this address.');
  });
}
