import type { FastifyInstance } from 'fastify';

/**
 * Parses `application/x-www-form-urlencoded` bodies in the plugin's scope into name → value, a
 * repeated name into an array of its values (FHIR searches repeat parameters; OAuth refuses it).
 */
export function registerFormBodyParser(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      const form: Record<string, string | string[]> = {};
      for (const [name, value] of new URLSearchParams(body as string)) {
        const had = form[name];
        form[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
      }
      done(null, form);
    },
  );
}
