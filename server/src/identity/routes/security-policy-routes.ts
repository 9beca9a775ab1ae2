import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { securityPolicyChangeSchema, securityPolicyStateSchema } from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { sensitive, signedIn } from '../../platform/http/index.js';
import { requireSession } from '../authentication.js';
import { changeSecurityPolicy, securityPolicyState } from '../security-policy.js';

export const securityPolicyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  app.get(
    '/api/security/policy',
    {
      config: { access: signedIn('viewSettings', { type: 'Settings', id: 'sign-in-policy' }) },
      schema: {
        tags: ['security'],
        summary: "The organisation's password, second-factor, session and patient-check policy",
        response: { 200: securityPolicyStateSchema },
      },
    },
    async () => securityPolicyState(ctx.store.db),
  );

  app.put(
    '/api/security/policy',
    {
      // The security officer owns the sign-in policy; administrators see it but do not change it.
      config: { access: sensitive('changeSettings', { type: 'Settings', id: 'sign-in-policy' }) },
      schema: {
        tags: ['security'],
        summary: 'Adopt a new version of the policy; name the version it was edited from',
        body: securityPolicyChangeSchema,
        response: { 200: securityPolicyStateSchema },
      },
    },
    async (request) => {
      const session = requireSession(request);
      return changeSecurityPolicy(ctx, {
        policy: request.body.policy,
        fromVersion: request.body.version,
        userId: session.userId,
        address: request.ip,
      });
    },
  );
};
