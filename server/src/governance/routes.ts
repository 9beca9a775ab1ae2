import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { CSP_REPORT_PATH, publicRoute } from '../platform/http/index.js';
import { cspReportBodySchema, originOf, recordCspViolation } from './csp-reports.js';

export const governanceRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  // Browsers post violation reports with their own media type; the body is ordinary JSON.
  app.addContentTypeParser(
    'application/csp-report',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  app.post(
    CSP_REPORT_PATH,
    {
      config: {
        access: publicRoute('browsers send policy-violation reports without credentials'),
        rateLimit: { max: 30, timeWindow: 60_000 },
      },
      schema: {
        tags: ['security'],
        summary: 'Receive a Content-Security-Policy violation report from a browser',
        body: cspReportBodySchema,
        response: { 204: z.null().describe('Report stored') },
      },
    },
    async (request, reply) => {
      await recordCspViolation(ctx.store.db, request.body);
      const report = request.body['csp-report'];
      request.log.warn(
        {
          directive: report['effective-directive'] ?? report['violated-directive'],
          blocked: originOf(report['blocked-uri']),
        },
        'content security policy violation reported',
      );
      return reply.code(204).send(null);
    },
  );
};
