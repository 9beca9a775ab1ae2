import { z } from 'zod';
import { LOCALES, PATIENT_IDENTITY_CHECKS, STAFF_ROLES } from '@safeconsult/protocol';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], {
    error: 'must be one of true, false, 1, 0, yes, no',
  })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const positiveInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: 'must be a whole number' })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, { error: `must be at least ${min}` })
        .max(max, { error: `must be at most ${max}` }),
    );

const roleList = z
  .string()
  // `none` rather than an empty value, which would mean "unset" and so the default.
  .transform((v) => (v.trim() === 'none' ? [] : v.split(',').map((r) => r.trim())))
  .pipe(z.array(z.enum(STAFF_ROLES, { error: `roles are ${STAFF_ROLES.join(', ')}` })));

const httpUrl = z
  .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
  .transform((u) => u.replace(/\/+$/, ''));

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// Messages carry join links: they leave over TLS, or plain HTTP to a gateway on this machine only.
const smsGatewayUrl = z
  .url({ protocol: /^https?$/, error: 'must be an https:// URL' })
  .refine((u) => u.startsWith('https://') || LOOPBACK_HOSTS.has(new URL(u).hostname), {
    error: 'must be an https:// URL (http:// only to localhost)',
  });

const postgresUrl = z.url({
  protocol: /^postgres(ql)?$/,
  error: 'must be a postgres:// or postgresql:// URL',
});

const natsUrl = z.url({
  protocol: /^(nats|tls)$/,
  error: 'must be a nats:// or tls:// URL, e.g. nats://127.0.0.1:4222',
});

/** Comma-separated STUN or TURN addresses as WebRTC writes them: `stun:host:3478`, `turns:host:5349`. */
const iceUrlList = (schemes: RegExp, example: string) =>
  z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((u) => u.trim())
        .filter(Boolean),
    )
    .pipe(
      z
        .array(
          z.string().regex(schemes, {
            error: `each address must look like ${example}`,
          }),
        )
        .min(1, { error: 'name at least one address' }),
    );

const smtpUrl = z.url({
  protocol: /^smtps?$/,
  error: 'must be an smtp:// or smtps:// URL, e.g. smtps://user:password@mail.example:465',
});

// An address, or a display name with the address in angle brackets.
const mailbox = z
  .string()
  .max(320)
  .regex(/^(?:[^<>]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/, {
    error: 'must be an e-mail address, optionally with a name: Clinic <no-reply@clinic.example>',
  });

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** `07:00-19:00`, as minutes after local midnight; the end may be `24:00`. */
const workingHours = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, {
    error: 'must be a span of the day such as 07:00-19:00',
  })
  .transform((v) => {
    const [start, end] = v.split('-').map((t) => {
      const [h, m] = t.split(':').map(Number);
      return (h ?? 0) * 60 + (m ?? 0);
    });
    return { startMinute: start ?? 0, endMinute: end ?? 0 };
  })
  .refine((h) => h.startMinute < h.endMinute, { error: 'the end must be later than the start' });

/** `mon,tue,wed,thu,fri`, as ISO weekday numbers (Monday 1 … Sunday 7). */
const workingDays = z
  .string()
  .transform((v) => v.split(',').map((d) => d.trim().toLowerCase()))
  .pipe(z.array(z.enum(WEEKDAYS, { error: `days are ${WEEKDAYS.join(', ')}` })))
  .transform((days) => [...new Set(days.map((d) => WEEKDAYS.indexOf(d) + 1))].sort());

const base64Key = z.string().refine((v) => Buffer.from(v, 'base64').length === 32, {
  error: 'must be 32 bytes encoded as base64 (e.g. `openssl rand -base64 32`)',
});

/**
 * Every environment variable SafeConsult reads, with its default. The README's configuration table
 * is checked against `ENV_DOCS` by a test, so the two cannot drift apart.
 */
export const envSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: positiveInt(0, 65535).default(3000),
  PUBLIC_URL: httpUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: postgresUrl.optional(),
  MASTER_KEY: base64Key.optional(),
  MASTER_KEY_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: booleanFlag.default(false),
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  BODY_LIMIT_BYTES: positiveInt(1024, 100 * 1024 * 1024).default(1024 * 1024),
  RATE_LIMIT_PER_MINUTE: positiveInt(1, 1_000_000).default(600),
  SHUTDOWN_GRACE_MS: positiveInt(0, 600_000).default(10_000),
  API_DOCS: booleanFlag.default(true),
  SESSION_IDLE_MINUTES: positiveInt(1, 24 * 60).default(15),
  SESSION_MAX_HOURS: positiveInt(1, 24 * 7).default(12),
  MFA_REQUIRED_ROLES: roleList.default(['admin', 'security_officer', 'clinician', 'nurse']),
  PHISHING_RESISTANT_ROLES: roleList.default([]),
  PATIENT_IDENTITY_CHECK: z.enum(PATIENT_IDENTITY_CHECKS).default('date_of_birth'),
  CARE_WINDOW_HOURS_BEFORE: positiveInt(0, 24 * 14).default(2),
  CARE_WINDOW_HOURS_AFTER: positiveInt(0, 24 * 14).default(24),
  EMERGENCY_ACCESS_MINUTES: positiveInt(5, 24 * 60).default(60),
  BULK_EXPORT_RETENTION_HOURS: positiveInt(1, 24 * 30).default(24),
  AUDIT_SIGNING_KEY: z.string().min(1).optional(),
  AUDIT_SIGNING_KEY_FILE: z.string().min(1).optional(),
  AUDIT_HEADS_FILE: z.string().min(1).optional(),
  AUDIT_HEAD_EVERY_ENTRIES: positiveInt(1, 1_000_000).default(1000),
  AUDIT_HEAD_EVERY_SECONDS: positiveInt(1, 24 * 3600).default(60),
  AUDIT_ALERT_EVERY_SECONDS: positiveInt(1, 3600).default(60),
  AUDIT_WORKING_HOURS: workingHours.default({ startMinute: 7 * 60, endMinute: 19 * 60 }),
  AUDIT_WORKING_DAYS: workingDays.default([1, 2, 3, 4, 5]),
  NATS_URL: natsUrl.optional(),
  ICE_SERVERS: iceUrlList(/^stuns?:[^\s,]+$/, 'stun:stun.clinic.example:3478').optional(),
  TURN_URLS: iceUrlList(
    /^turns?:[^\s,]+$/,
    'turn:turn.clinic.example:3478?transport=udp or turns:turn.clinic.example:5349',
  ).optional(),
  TURN_SECRET: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  TURN_CREDENTIAL_MINUTES: positiveInt(5, 24 * 60).default(240),
  RECORD_RETENTION_YEARS: positiveInt(1, 100).default(10),
  OUTBOX_TRANSPORT: z
    .enum(['stored', 'smtp'], { error: 'must be stored or smtp' })
    .default('stored'),
  SMTP_URL: smtpUrl.optional(),
  MAIL_FROM: mailbox.optional(),
  SMS_GATEWAY_URL: smsGatewayUrl.optional(),
  SMS_GATEWAY_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
  HIBP_CHECK: booleanFlag.default(false),
  HIBP_API_URL: httpUrl.default('https://api.pwnedpasswords.com'),
  CLINIC_NAME: z.string().min(1).max(200).default('SafeConsult'),
  CLINIC_LOCALE: z.enum(LOCALES).default('en'),
  CLINIC_TIME_ZONE: z
    .string()
    .refine(isTimeZone, { error: 'must be an IANA time zone such as Europe/Berlin' })
    .default('Europe/Berlin'),
});

export type Env = z.infer<typeof envSchema>;
export type EnvName = keyof typeof envSchema.shape;

/** Values that must never be echoed back, not even in a start-up error. */
export const SECRET_ENV: ReadonlySet<EnvName> = new Set([
  'MASTER_KEY',
  'DATABASE_URL',
  'SMTP_URL',
  'SMS_GATEWAY_TOKEN',
  'AUDIT_SIGNING_KEY',
  'TURN_SECRET',
]);

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}
