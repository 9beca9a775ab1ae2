import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  sessionInfoSchema,
  sessionStateSchema,
  reauthenticationSchema,
  signInRequestSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import {
  AppError,
  duringSecondFactor,
  NO_BODY,
  publicRoute,
  signedIn,
} from '../../platform/http/index.js';
import { lockedError, throttledError } from './refusals.js';
import { requireSession, sessionCookie } from '../authentication.js';
import { recordSecurityEvent } from '../security-events.js';
import { revokeSession } from '../sessions/session-store.js';
import { reauthenticate } from '../reauthenticate.js';
import { DEFAULT_THROTTLE_POLICY, signIn, signInPolicies } from '../sign-in.js';
import { relyingParty } from '../passkeys/relying-party.js';
import { currentSecurityPolicy } from '../security-policy.js';
import { describeNewSession, describeSession } from '../session-info.js';

export const authRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const cookie = sessionCookie(ctx.config);

  app.post(
    '/api/auth/sign-in',
    {
      config: {
        access: publicRoute('signing in is how a session starts'),
        // A flood guard for the CPU that Argon2 costs; guessing is throttled in the store.
        rateLimit: { max: 300, timeWindow: 60_000 },
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with e-mail address and password; sets the session cookie',
        body: signInRequestSchema,
        response: { 200: sessionInfoSchema },
      },
    },
    async (request, reply) => {
      const now = ctx.now();
      const policy = await currentSecurityPolicy(ctx.store);
      const result = await signIn(
        ctx.store.db,
        {
          ...request.body,
          client: { address: request.ip, userAgent: request.headers['user-agent'] },
        },
        signInPolicies(policy),
        now,
      );
      switch (result.kind) {
        case 'invalid':
          throw new AppError('invalid_credentials', 'Check the e-mail address and password.');
        case 'locked':
          throw lockedError();
        case 'throttled':
          throw throttledError(result.retryAfterSeconds);
        case 'signed-in': {
          reply.setCookie(cookie.name, result.token, cookie.options);
          return describeNewSession(ctx, result.token, policy);
        }
      }
    },
  );

  app.get(
    '/api/auth/session',
    {
      config: { access: publicRoute("answers only about the caller's own session, or none") },
      schema: {
        tags: ['auth'],
        summary: "The caller's session and its anti-forgery token, or null when signed out",
        response: { 200: sessionStateSchema },
      },
    },
    async (request, reply) => {
      const session = await app.loadStaffSession(request, reply);
      const policy = await currentSecurityPolicy(ctx.store);
      return {
        session: session ? await describeSession(ctx.store.db, session, policy) : null,
        passkeysAvailable: relyingParty(ctx.config) !== undefined,
      };
    },
  );

  app.post(
    '/api/auth/sign-out',
    {
      config: { access: duringSecondFactor() },
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const now = ctx.now();
      await revokeSession(ctx.store.db, session.userId, session.id, now);
      await recordSecurityEvent(
        ctx.store.db,
        { type: 'signed_out', userId: session.userId, address: request.ip },
        now,
      );
      reply.clearCookie(cookie.name, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/reauthenticate',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary: 'Confirm the password (and second factor) again before a sensitive action',
        body: reauthenticationSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const policy = await currentSecurityPolicy(ctx.store);
      const result = await reauthenticate(
        ctx.store.db,
        ctx.fields,
        session,
        request.body,
        policy.mfa[session.role],
        request.ip,
        DEFAULT_THROTTLE_POLICY,
        ctx.now(),
      );
      switch (result.kind) {
        case 'confirmed':
          return reply.code(204).send(null);
        case 'code-required':
          throw new AppError('mfa_code_invalid', 'Enter the code from your authenticator app too.');
        case 'passkey-required':
          throw new AppError('passkey_required', 'Confirm with your passkey instead.');
        case 'invalid':
          throw new AppError('invalid_credentials', 'The password is not correct.');
        case 'locked':
          throw lockedError();
        case 'throttled':
          throw throttledError(result.retryAfterSeconds);
      }
    },
  );
};
