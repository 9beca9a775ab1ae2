import { z } from 'zod';
import { STAFF_ROLES, type StaffRole } from './roles.js';

/**
 * What a role must present besides its password: nothing more, any second factor (authenticator
 * app or passkey), or a phishing-resistant one (a passkey, bound to this site's address).
 */
export const MFA_REQUIREMENTS = ['optional', 'required', 'phishing_resistant'] as const;
export type MfaRequirement = (typeof MFA_REQUIREMENTS)[number];

/** How a patient proves, before joining, that the invitation reached the right person. */
export const PATIENT_IDENTITY_CHECKS = ['date_of_birth', 'none'] as const;
export type PatientIdentityCheck = (typeof PATIENT_IDENTITY_CHECKS)[number];

const mfaPerRole = z.strictObject(
  Object.fromEntries(STAFF_ROLES.map((role) => [role, z.enum(MFA_REQUIREMENTS)])) as Record<
    StaffRole,
    z.ZodEnum<{ [K in MfaRequirement]: K }>
  >,
);

/**
 * The organisation's sign-in policy. The bounds are NIST SP 800-63B rev. 4's floors: a clinic may
 * be stricter than the standard, never weaker.
 */
export const securityPolicySchema = z
  .strictObject({
    password: z.strictObject({
      /** Where the password is the only factor; NIST asks for at least 15. */
      minLengthSingleFactor: z.number().int().min(15).max(64),
      /** Where a second factor is enrolled; NIST asks for at least 8. */
      minLengthWithMfa: z.number().int().min(8).max(64),
    }),
    mfa: mfaPerRole,
    session: z.strictObject({
      idleMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      maxHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 7),
    }),
    patients: z.strictObject({ identityCheck: z.enum(PATIENT_IDENTITY_CHECKS) }),
  })
  .refine((p) => p.password.minLengthWithMfa <= p.password.minLengthSingleFactor, {
    path: ['password', 'minLengthWithMfa'],
    error: 'must not exceed the length required where the password is the only factor',
  })
  .refine((p) => p.session.idleMinutes <= p.session.maxHours * 60, {
    path: ['session', 'idleMinutes'],
    error: 'must not exceed the longest session',
  });
export type SecurityPolicy = z.infer<typeof securityPolicySchema>;

export const securityPolicyStateSchema = z.object({
  policy: securityPolicySchema,
  /** Rises with every change; a change must name the version it was made from. */
  version: z.number().int(),
  updatedAt: z.iso.datetime(),
  updatedBy: z.object({ displayName: z.string(), role: z.enum(STAFF_ROLES) }).nullable(),
});
export type SecurityPolicyState = z.infer<typeof securityPolicyStateSchema>;

export const securityPolicyChangeSchema = z.strictObject({
  policy: securityPolicySchema,
  version: z.number().int().min(1),
});
