import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  inviteStaffSchema,
  linkHolderSchema,
  linkPasswordSchema,
  linkSchema,
  passwordResetRequestSchema,
  passwordVerdictSchema,
  sessionInfoSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { AppError, publicRoute, sensitive } from '../../platform/http/index.js';
import {
  checkPasswordForLink,
  inviteStaff,
  requestPasswordReset,
  resolveLink,
  setPasswordWithLink,
} from '../account-links.js';
import { requireSession, sessionCookie } from '../authentication.js';
import { currentSecurityPolicy } from '../security-policy.js';
import { describeNewSession } from '../session-info.js';
import { signIn, signInPolicies } from '../sign-in.js';

/** Link routes are public: the token is the credential. Tight budgets keep guessing pointless. */
const LINK_BUDGET = { max: 30, timeWindow: 60_000 };

export const accountLinkRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  const cookie = sessionCookie(ctx.config);

  app.post(
    '/api/admin/staff',
    {
      config: { access: sensitive('inviteStaff', { type: 'Directory', id: 'staff' }) },
      schema: {
        tags: ['admin'],
        summary: 'Invite a member of staff: creates the account and sends a single-use link',
        body: inviteStaffSchema,
        response: { 201: z.object({ id: z.uuid() }) },
      },
    },
    async (request, reply) => {
      const admin = requireSession(request);
      const id = await inviteStaff(ctx, admin.userId, request.body);
      return reply.code(201).send({ id });
    },
  );

  app.post(
    '/api/auth/links/inspect',
    {
      config: { access: publicRoute('the link token is the credential'), rateLimit: LINK_BUDGET },
      schema: {
        tags: ['auth'],
        summary: 'Who an invitation or reset link is for, while it is valid',
        body: linkSchema,
        response: { 200: linkHolderSchema },
      },
    },
    async (request) => {
      const holder = await resolveLink(ctx, request.body.token, request.body.purpose);
      return { email: holder.email, displayName: holder.displayName, role: holder.role };
    },
  );

  app.post(
    '/api/auth/links/password-check',
    {
      config: {
        access: publicRoute('the link token is the credential'),
        // The strength meter asks as the user types.
        rateLimit: { max: 120, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary: "The password policy's verdict on a candidate password, with reasons",
        body: linkPasswordSchema,
        response: { 200: passwordVerdictSchema },
      },
    },
    async (request) => {
      const { token, purpose, password } = request.body;
      const holder = await resolveLink(ctx, token, purpose);
      return checkPasswordForLink(ctx, holder, purpose, password);
    },
  );

  app.post(
    '/api/auth/links/set-password',
    {
      config: { access: publicRoute('the link token is the credential'), rateLimit: LINK_BUDGET },
      schema: {
        tags: ['auth'],
        summary: 'Set the password a link was sent for, and sign in',
        body: linkPasswordSchema,
        response: { 200: sessionInfoSchema },
      },
    },
    async (request, reply) => {
      const { token, purpose, password } = request.body;
      const holder = await setPasswordWithLink(ctx, token, purpose, password);
      const now = ctx.now();
      const policy = await currentSecurityPolicy(ctx.store);
      // Signing in goes through the ordinary path, so the second factor is asked for as always.
      const result = await signIn(
        ctx.store.db,
        {
          email: holder.email,
          password,
          client: { address: request.ip, userAgent: request.headers['user-agent'] },
        },
        signInPolicies(policy),
        now,
      );
      if (result.kind !== 'signed-in') throw new AppError('invalid_credentials');
      reply.setCookie(cookie.name, result.token, cookie.options);
      return describeNewSession(ctx, result.token, policy);
    },
  );

  app.post(
    '/api/auth/password-reset',
    {
      config: {
        access: publicRoute('people who cannot sign in ask for a reset link'),
        rateLimit: { max: 10, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary:
          'Send a password-reset link; the answer is the same whether or not the account exists',
        body: passwordResetRequestSchema,
        response: { 202: z.object({ accepted: z.literal(true) }) },
      },
    },
    async (request, reply) => {
      await requestPasswordReset(ctx, request.body.email);
      return reply.code(202).send({ accepted: true as const });
    },
  );
};
