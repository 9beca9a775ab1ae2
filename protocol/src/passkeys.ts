import { z } from 'zod';
import { sessionInfoSchema } from './auth.js';

const base64url = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9_-]*$/, { error: 'must be base64url' });

/**
 * A browser's answer to a WebAuthn ceremony, as `PublicKeyCredential.toJSON()` gives it. Only the
 * outline is checked here; the signature and its contents are verified on the server.
 */
const credentialOutline = {
  id: base64url(1366),
  rawId: base64url(1366),
  type: z.literal('public-key'),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
};

export const registrationResponseSchema = z.object({
  ...credentialOutline,
  response: z.looseObject({
    clientDataJSON: base64url(4096),
    attestationObject: base64url(65536),
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
});

export const authenticationResponseSchema = z.object({
  ...credentialOutline,
  response: z.looseObject({
    clientDataJSON: base64url(4096),
    authenticatorData: base64url(4096),
    signature: base64url(2048),
    userHandle: base64url(128).optional(),
  }),
});

/** Options for the browser's WebAuthn call, and the id under which the server keeps its challenge. */
export const passkeyCeremonySchema = z.object({
  challengeId: z.uuid(),
  options: z.looseObject({ challenge: z.string() }),
});
export type PasskeyCeremony = z.infer<typeof passkeyCeremonySchema>;

export const passkeyRegistrationSchema = z.strictObject({
  challengeId: z.uuid(),
  /** The person's own label, such as "Work laptop". */
  name: z.string().trim().min(1).max(60),
  credential: registrationResponseSchema,
});

export const passkeyAssertionSchema = z.strictObject({
  challengeId: z.uuid(),
  credential: authenticationResponseSchema,
});

export const passkeySummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime().nullable(),
  /** Synced between the person's devices by their platform (multi-device), or bound to one. */
  synced: z.boolean(),
});
export type PasskeySummary = z.infer<typeof passkeySummarySchema>;

/** A passkey added; a first second factor also brings recovery codes, shown once. */
export const passkeyAddedSchema = z.object({
  passkey: passkeySummarySchema,
  recoveryCodes: z.array(z.string()).nullable(),
  session: sessionInfoSchema,
});
