import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  passkeyAddedSchema,
  passkeyAssertionSchema,
  passkeyCeremonySchema,
  passkeyRegistrationSchema,
  passkeySummarySchema,
  sessionInfoSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { getClinicInfo } from '../../clinic/index.js';
import {
  AppError,
  duringSecondFactor,
  NO_BODY,
  publicRoute,
  sensitive,
  signedIn,
} from '../../platform/http/index.js';
import { assertRecentlyAuthenticated, requireSession, sessionCookie } from '../authentication.js';
import { enrolledFactors, hasAnyFactor } from '../mfa/factors.js';
import { issueRecoveryCodes } from '../mfa/mfa-service.js';
import {
  authenticationCeremony,
  countPasskeys,
  deletePasskey,
  listPasskeys,
  registerPasskey,
  registrationCeremony,
  verifyPasskey,
} from '../passkeys/passkey-service.js';
import { signInWithPasskey } from '../passkeys/passkey-sign-in.js';
import { relyingParty } from '../passkeys/relying-party.js';
import { confirmReauthentication } from '../reauthenticate.js';
import { recordSecurityEvent } from '../security-events.js';
import { currentSecurityPolicy } from '../security-policy.js';
import { describeNewSession } from '../session-info.js';
import { signInPolicies } from '../sign-in.js';
import { lockedError, throttledError } from './refusals.js';
import { afterEnrolment, promote } from './session-promotion.js';

const passkeyInvalid = () =>
  new AppError('passkey_invalid', 'The passkey could not be verified. Try again.');

/** Anyone may ask for a sign-in challenge, so each address may ask only so often. */
const CEREMONY_BUDGET = { max: 30, timeWindow: 60_000 };

export const passkeyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const cookie = sessionCookie(ctx.config);
  const rp = () => {
    const found = relyingParty(ctx.config);
    if (!found) throw new AppError('passkeys_unavailable');
    return found;
  };

  app.get(
    '/api/auth/passkeys',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary: "The signed-in user's passkeys",
        response: { 200: z.object({ passkeys: z.array(passkeySummarySchema) }) },
      },
    },
    async (request) => ({
      passkeys: await listPasskeys(ctx.store.db, requireSession(request).userId),
    }),
  );

  app.post(
    '/api/auth/passkeys/registration/options',
    {
      config: { access: duringSecondFactor() },
      schema: {
        tags: ['auth'],
        summary: 'Start adding a passkey: options for navigator.credentials.create()',
        body: NO_BODY,
        response: { 200: passkeyCeremonySchema },
      },
    },
    async (request) => {
      const session = requireSession(request);
      // Enrolling at first sign-in, or adding one later as a change of security settings.
      if (session.stage === 'mfa_pending') {
        throw new AppError('mfa_required', 'Complete the second sign-in step first.');
      }
      if (session.stage === 'full') assertRecentlyAuthenticated(session, ctx.now());
      const clinic = await getClinicInfo(ctx.store.db);
      return registrationCeremony(
        ctx.store.db,
        rp(),
        clinic?.name ?? 'SafeConsult',
        { id: session.userId, email: session.email, displayName: session.displayName },
        ctx.now(),
      );
    },
  );

  app.post(
    '/api/auth/passkeys/registration',
    {
      config: { access: duringSecondFactor() },
      schema: {
        tags: ['auth'],
        summary: 'Finish adding a passkey; a first factor also returns recovery codes, once',
        body: passkeyRegistrationSchema,
        response: { 200: passkeyAddedSchema },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      if (session.stage === 'mfa_pending') {
        throw new AppError('mfa_required', 'Complete the second sign-in step first.');
      }
      const now = ctx.now();
      if (session.stage === 'full') assertRecentlyAuthenticated(session, now);
      const firstFactor = !hasAnyFactor(await enrolledFactors(ctx.store.db, session.userId));
      const added = await registerPasskey(ctx.store.db, rp(), session.userId, request.body, now);
      if (!added) throw passkeyInvalid();
      const recoveryCodes = firstFactor
        ? await issueRecoveryCodes(ctx.store.db, session.userId, now)
        : null;
      const info = await afterEnrolment(ctx, request, reply, session, 'passkey');
      return { passkey: added, recoveryCodes, session: info };
    },
  );

  app.delete(
    '/api/auth/passkeys/:passkeyId',
    {
      config: { access: sensitive('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary: 'Remove one of your passkeys',
        params: z.strictObject({ passkeyId: z.string().regex(/^[\w-]{16,1366}$/) }),
        body: NO_BODY,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const policy = await currentSecurityPolicy(ctx.store);
      const requirement = policy.mfa[session.role];
      const factors = await enrolledFactors(ctx.store.db, session.userId);
      const lastRequired =
        (requirement === 'phishing_resistant' && factors.passkeys === 1) ||
        (requirement === 'required' && !factors.totp && factors.passkeys === 1);
      if (lastRequired) {
        throw new AppError(
          'conflict',
          'The security policy requires this second factor; add another one before removing it.',
        );
      }
      if (!(await deletePasskey(ctx.store.db, session.userId, request.params.passkeyId))) {
        throw new AppError('not_found', 'You have no passkey with this id.');
      }
      await recordSecurityEvent(
        ctx.store.db,
        {
          type: 'mfa_removed',
          userId: session.userId,
          address: request.ip,
          detail: { factor: 'passkey' },
        },
        ctx.now(),
      );
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/auth/passkeys/sign-in/options',
    {
      config: {
        access: publicRoute('a challenge is what a passkey sign-in starts from'),
        rateLimit: CEREMONY_BUDGET,
      },
      schema: {
        tags: ['auth'],
        summary: 'Start signing in with a passkey: options for navigator.credentials.get()',
        body: NO_BODY,
        response: { 200: passkeyCeremonySchema },
      },
    },
    async () => authenticationCeremony(ctx.store.db, rp(), 'sign_in', null, ctx.now()),
  );

  app.post(
    '/api/auth/passkeys/sign-in',
    {
      config: {
        access: publicRoute('the signed challenge is the credential'),
        rateLimit: CEREMONY_BUDGET,
      },
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a passkey; sets the session cookie',
        body: passkeyAssertionSchema,
        response: { 200: sessionInfoSchema },
      },
    },
    async (request, reply) => {
      const policy = await currentSecurityPolicy(ctx.store);
      const result = await signInWithPasskey(
        ctx.store.db,
        rp(),
        request.body,
        { address: request.ip, userAgent: request.headers['user-agent'] },
        signInPolicies(policy),
        ctx.now(),
      );
      switch (result.kind) {
        case 'invalid':
          throw passkeyInvalid();
        case 'locked':
          throw lockedError();
        case 'throttled':
          throw throttledError(result.retryAfterSeconds);
        case 'signed-in':
          reply.setCookie(cookie.name, result.token, cookie.options);
          return describeNewSession(ctx, result.token, policy);
      }
    },
  );

  app.post(
    '/api/auth/mfa/passkey/options',
    {
      config: { access: duringSecondFactor() },
      schema: {
        tags: ['auth'],
        summary: "Start the second sign-in step with one of the user's passkeys",
        body: NO_BODY,
        response: { 200: passkeyCeremonySchema },
      },
    },
    async (request) => {
      const session = requireSession(request);
      if (session.stage !== 'mfa_pending') {
        throw new AppError('conflict', 'This session has no second sign-in step to complete.');
      }
      return authenticationCeremony(ctx.store.db, rp(), 'second_factor', session.userId, ctx.now());
    },
  );

  app.post(
    '/api/auth/mfa/passkey',
    {
      config: { access: duringSecondFactor() },
      schema: {
        tags: ['auth'],
        summary: 'Complete sign-in with a passkey',
        body: passkeyAssertionSchema,
        response: { 200: sessionInfoSchema },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      if (session.stage !== 'mfa_pending') {
        throw new AppError('conflict', 'This session has no second sign-in step to complete.');
      }
      const now = ctx.now();
      const proven = await verifyPasskey(
        ctx.store.db,
        rp(),
        'second_factor',
        session.userId,
        request.body,
        now,
      );
      if (!proven) throw passkeyInvalid();
      await recordSecurityEvent(
        ctx.store.db,
        {
          type: 'mfa_verified',
          userId: session.userId,
          address: request.ip,
          detail: { factor: 'passkey' },
        },
        now,
      );
      return promote(ctx, request, reply, session, await currentSecurityPolicy(ctx.store));
    },
  );

  app.post(
    '/api/auth/reauthenticate/passkey/options',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary: 'Start confirming it is you with a passkey, before a sensitive action',
        body: NO_BODY,
        response: { 200: passkeyCeremonySchema },
      },
    },
    async (request) => {
      const session = requireSession(request);
      if ((await countPasskeys(ctx.store.db, session.userId)) === 0) {
        throw new AppError('conflict', 'You have no passkey; confirm with your password.');
      }
      return authenticationCeremony(
        ctx.store.db,
        rp(),
        'reauthenticate',
        session.userId,
        ctx.now(),
      );
    },
  );

  app.post(
    '/api/auth/reauthenticate/passkey',
    {
      config: { access: signedIn('manageOwnAccount', 'own-account') },
      schema: {
        tags: ['auth'],
        summary: 'Confirm it is you with a passkey, before a sensitive action',
        body: passkeyAssertionSchema,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const now = ctx.now();
      const proven = await verifyPasskey(
        ctx.store.db,
        rp(),
        'reauthenticate',
        session.userId,
        request.body,
        now,
      );
      if (!proven) throw passkeyInvalid();
      await confirmReauthentication(ctx.store.db, session, request.ip, 'passkey', now);
      return reply.code(204).send(null);
    },
  );
};
