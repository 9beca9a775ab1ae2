import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { clinicInfoSchema } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { AppError, publicRoute } from '../platform/http/index.js';
import { getClinicInfo } from './service.js';

export const clinicRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.get(
    '/api/clinic',
    {
      config: { access: publicRoute('the clinic name is shown on the sign-in and join pages') },
      schema: {
        tags: ['clinic'],
        summary: "The clinic's public profile: name, default language and time zone",
        response: { 200: clinicInfoSchema },
      },
    },
    async () => {
      const info = await getClinicInfo(ctx.store.db);
      if (!info) throw new AppError('not_ready', 'The clinic has not been set up yet.');
      return info;
    },
  );
};
