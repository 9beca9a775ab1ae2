import { z } from 'zod';
import { STAFF_ROLES } from './roles.js';

export const signInRequestSchema = z.strictObject({
  email: z.email().max(254),
  // Long enough for any passphrase the policy accepts; the body limit bounds the rest.
  password: z.string().min(1).max(4096),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export const staffIdentitySchema = z.object({
  id: z.uuid(),
  displayName: z.string(),
  email: z.string(),
  role: z.enum(STAFF_ROLES),
});

export const SECOND_FACTOR_METHODS = ['totp', 'passkey', 'recovery_code'] as const;
export const ENROLABLE_FACTORS = ['totp', 'passkey'] as const;

/** The signed-in user's session, with the token that state-changing requests must echo. */
export const SESSION_STAGES = ['full', 'mfa_pending', 'mfa_enrolment'] as const;

export const sessionInfoSchema = z.object({
  user: staffIdentitySchema,
  /** `full`, or which second-factor step the session still owes. */
  stage: z.enum(SESSION_STAGES),
  csrfToken: z.string(),
  expiresAt: z.iso.datetime(),
  idleTimeoutSeconds: z.number().int(),
  /** For a session that still owes a second factor: what completes it, and what may be set up. */
  secondFactor: z
    .object({
      methods: z.array(z.enum(SECOND_FACTOR_METHODS)),
      enrol: z.array(z.enum(ENROLABLE_FACTORS)),
    })
    .nullable(),
});
export type SessionInfo = z.infer<typeof sessionInfoSchema>;

/** The caller's session state (signed in, or not) and the ways to sign in here. */
export const sessionStateSchema = z.object({
  session: sessionInfoSchema.nullable(),
  /** Passkeys need the server to be reached by a host name, not by an IP address. */
  passkeysAvailable: z.boolean(),
});

export const sessionSummarySchema = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  address: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/** The header that carries the session's anti-forgery token. */
export const CSRF_HEADER = 'x-csrf-token';

/** A staff account as administrators and security officers see it. */
export const staffAccountSchema = staffIdentitySchema.extend({
  createdAt: z.iso.datetime(),
  lastSignInAt: z.iso.datetime().nullable(),
  failedSignIns: z.number().int(),
  lockedAt: z.iso.datetime().nullable(),
  disabledAt: z.iso.datetime().nullable(),
  /** A second factor is set up: an authenticator app, a passkey, or both. */
  mfaEnrolled: z.boolean(),
  authenticatorApp: z.boolean(),
  passkeys: z.number().int(),
});
export type StaffAccount = z.infer<typeof staffAccountSchema>;

/** The signed-in user's own account, as their account page shows it. */
export const ownAccountSchema = staffAccountSchema.pick({
  id: true,
  displayName: true,
  email: true,
  role: true,
  mfaEnrolled: true,
  authenticatorApp: true,
});
export type OwnAccount = z.infer<typeof ownAccountSchema>;

/** How many of the user's sessions a request ended. */
export const revokedSessionsSchema = z.object({ revoked: z.number().int() });

/** What the server records about sign-ins and account security, for the security officer. */
export const SECURITY_EVENT_TYPES = [
  'signed_in',
  'sign_in_failed',
  'sign_in_throttled',
  'account_locked',
  'account_unlocked',
  'signed_out',
  'session_revoked',
  'sessions_revoked_by_admin',
  'password_rehashed',
  'mfa_enrolled',
  'mfa_verified',
  'staff_invited',
  'invitation_accepted',
  'password_reset_requested',
  'password_reset',
  'reauthenticated',
  'security_policy_changed',
  'mfa_removed',
  'participant_joined',
  'participant_check_failed',
  'participant_link_locked',
  'access_policy_changed',
  'emergency_access_granted',
  'emergency_access_reviewed',
  'audit_alert_raised',
  'audit_alert_dismissed',
  'incident_opened',
  'incident_updated',
  'incident_closed',
  'system_client_registered',
  'system_client_changed',
  'client_token_issued',
  'client_token_refused',
  'ehr_connection_changed',
] as const;
export type SecurityEventType = (typeof SECURITY_EVENT_TYPES)[number];

export const securityEventSchema = z.object({
  id: z.number().int(),
  at: z.iso.datetime(),
  type: z.enum(SECURITY_EVENT_TYPES),
  userId: z.uuid().nullable(),
  /** The account the event is about, when it names one that exists. */
  user: staffIdentitySchema.pick({ displayName: true, email: true }).nullable(),
  address: z.string().nullable(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullable(),
});
export type SecurityEvent = z.infer<typeof securityEventSchema>;

export const secondFactorCodeSchema = z.strictObject({
  /** A 6-digit authenticator code, or a recovery code. */
  code: z.string().trim().min(6).max(20),
});

export const totpEnrolmentSchema = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  qrSvg: z.string(),
});
export type TotpEnrolment = z.infer<typeof totpEnrolmentSchema>;

export const totpConfirmationSchema = z.object({
  recoveryCodes: z.array(z.string()),
  session: sessionInfoSchema,
});

export const LINK_PURPOSES = ['invitation', 'password_reset'] as const;

/** A single-use link's token and what it was sent for. */
export const linkSchema = z.strictObject({
  token: z.string().min(1).max(100),
  purpose: z.enum(LINK_PURPOSES),
});

export const linkPasswordSchema = linkSchema.extend({ password: z.string().min(1).max(4096) });

export const linkHolderSchema = z.object({
  email: z.string(),
  displayName: z.string(),
  role: z.enum(STAFF_ROLES),
});
export type LinkHolder = z.infer<typeof linkHolderSchema>;

export const passwordVerdictSchema = z.object({
  acceptable: z.boolean(),
  strength: z.number().int().min(0).max(4),
  problems: z.array(
    z.object({
      code: z.enum([
        'too_short',
        'too_long',
        'not_printable',
        'common',
        'context',
        'predictable',
        'breached',
      ]),
      min: z.number().int().optional(),
      max: z.number().int().optional(),
      word: z.string().optional(),
    }),
  ),
});
export type PasswordVerdict = z.infer<typeof passwordVerdictSchema>;

export const inviteStaffSchema = z.strictObject({
  email: z.email().max(254),
  displayName: z.string().trim().min(1).max(120),
  role: z.enum(STAFF_ROLES),
});

export const passwordResetRequestSchema = z.strictObject({ email: z.email().max(254) });

export const reauthenticationSchema = z.strictObject({
  password: z.string().min(1).max(4096),
  /** Required when the account has an authenticator: its current code, or a recovery code. */
  code: z.string().trim().min(6).max(20).optional(),
});
