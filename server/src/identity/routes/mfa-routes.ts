import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { eq } from 'drizzle-orm';
import {
  secondFactorCodeSchema,
  sessionInfoSchema,
  totpConfirmationSchema,
  totpEnrolmentSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { getClinicInfo } from '../../clinic/index.js';
import { AppError, duringSecondFactor, NO_BODY } from '../../platform/http/index.js';
import { lockedError, throttledError } from './refusals.js';
import { requireSession } from '../authentication.js';
import { acceptedSecondFactors, enrolledFactors } from '../mfa/factors.js';
import {
  confirmTotpEnrolment,
  isTotpCode,
  startTotpEnrolment,
  verifySecondFactor,
} from '../mfa/mfa-service.js';
import { staffUser } from '../schema.js';
import { recordSecurityEvent } from '../security-events.js';
import { currentSecurityPolicy } from '../security-policy.js';
import { accountBackoff, DEFAULT_THROTTLE_POLICY, recordFailure } from '../sign-in.js';
import { afterEnrolment, promote } from './session-promotion.js';

export const mfaRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  app.post(
    '/api/auth/mfa/totp/enrolment',
    {
      config: { access: duringSecondFactor() },
      schema: {
        tags: ['auth'],
        summary: 'Start setting up an authenticator app: a new secret and its QR code',
        body: NO_BODY,
        response: { 200: totpEnrolmentSchema },
      },
    },
    async (request) => {
      const session = requireSession(request);
      if (session.stage === 'mfa_pending') {
        throw new AppError('mfa_required', 'Complete the second sign-in step first.');
      }
      const policy = await currentSecurityPolicy(ctx.store);
      if (policy.mfa[session.role] === 'phishing_resistant') {
        throw new AppError('passkey_required');
      }
      const clinic = await getClinicInfo(ctx.store.db);
      const enrolment = await startTotpEnrolment(
        ctx.store.db,
        ctx.fields,
        { id: session.userId, email: session.email },
        clinic?.name ?? 'SafeConsult',
        ctx.now(),
      );
      if (enrolment === 'already-enrolled') {
        throw new AppError('conflict', 'An authenticator app is already set up for this account.');
      }
      return enrolment;
    },
  );

  app.post(
    '/api/auth/mfa/totp/enrolment/confirm',
    {
      config: { access: duringSecondFactor() },
      schema: {
        tags: ['auth'],
        summary:
          'Finish setting up the authenticator with its first code; returns recovery codes once',
        body: secondFactorCodeSchema,
        response: { 200: totpConfirmationSchema },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      const now = ctx.now();
      const codes = await confirmTotpEnrolment(
        ctx.store.db,
        ctx.fields,
        session.userId,
        request.body.code,
        now,
      );
      if (!codes) throw new AppError('mfa_code_invalid', 'Enter the current code from the app.');
      const info = await afterEnrolment(ctx, request, reply, session, 'totp');
      return { recoveryCodes: codes, session: info };
    },
  );

  app.post(
    '/api/auth/mfa/verify',
    {
      config: { access: duringSecondFactor() },
      schema: {
        tags: ['auth'],
        summary: 'Complete sign-in with an authenticator code or a recovery code',
        body: secondFactorCodeSchema,
        response: { 200: sessionInfoSchema },
      },
    },
    async (request, reply) => {
      const session = requireSession(request);
      if (session.stage !== 'mfa_pending') {
        throw new AppError('conflict', 'This session has no second sign-in step to complete.');
      }
      const now = ctx.now();
      const address = request.ip;
      const [user] = await ctx.store.db
        .select()
        .from(staffUser)
        .where(eq(staffUser.id, session.userId));
      if (!user) throw new AppError('unauthenticated');
      const waiting = await accountBackoff(
        ctx.store.db,
        user,
        address,
        DEFAULT_THROTTLE_POLICY,
        now,
      );
      if (waiting?.kind === 'throttled') {
        throw throttledError(waiting.retryAfterSeconds);
      }
      const policy = await currentSecurityPolicy(ctx.store);
      const accepted = acceptedSecondFactors(
        policy.mfa[session.role],
        await enrolledFactors(ctx.store.db, session.userId),
      );
      if (isTotpCode(request.body.code) && !accepted.includes('totp')) {
        throw new AppError('passkey_required');
      }
      const used = await verifySecondFactor(
        ctx.store.db,
        ctx.fields,
        session.userId,
        request.body.code,
        now,
      );
      if (!used) {
        const result = await recordFailure(
          ctx.store.db,
          session.userId,
          address,
          DEFAULT_THROTTLE_POLICY,
          now,
          'wrong_second_factor',
        );
        if (result.kind === 'locked') throw lockedError();
        throw new AppError(
          'mfa_code_invalid',
          'Enter the current code from the app, or a recovery code.',
        );
      }
      await ctx.store.db
        .update(staffUser)
        .set({ failedSignIns: 0 })
        .where(eq(staffUser.id, session.userId));
      await recordSecurityEvent(
        ctx.store.db,
        { type: 'mfa_verified', userId: session.userId, address, detail: { factor: used } },
        now,
      );
      return promote(ctx, request, reply, session, policy);
    },
  );
};
