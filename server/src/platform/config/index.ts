import path from 'node:path';
import { envSchema, SECRET_ENV, type Env, type EnvName } from './env-schema.js';
import { STAFF_ROLES, type Locale, type SecurityPolicy } from '@safeconsult/protocol';

export { envSchema } from './env-schema.js';

export type StoreConfig = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

/**
 * How the outbox delivers: `stored` keeps messages for the admin console only; `smtp` hands them to
 * a mail relay.
 */
export type OutboxConfig =
  { transport: 'stored' } | { transport: 'smtp'; smtpUrl: string; from: string };

/** An HTTPS SMS gateway: texts are POSTed to `url` as JSON `{to, text}` with the bearer `token`. */
export interface SmsGatewayConfig {
  url: string;
  token: string;
}

/**
 * The audit ledger's signed tree heads: the Ed25519 signing key (apart from the store), a file that
 * keeps a copy of every head this node signs, and how often a head is signed.
 */
export interface AuditConfig {
  signingKey: { kind: 'env'; pem: string } | { kind: 'file'; path: string };
  headsFile: string;
  headEveryEntries: number;
  headEveryMs: number;
  /** How often the alert rules look at the ledger, and the working time out-of-hours reads are judged by. */
  alerts: { everyMs: number; workingTime: WorkingTime };
}

/**
 * What browsers are told for WebRTC: STUN addresses, and TURN relays with the shared secret from
 * which each participant gets short-lived credentials (the TURN REST convention coturn implements).
 */
export interface IceConfig {
  stunUrls: string[];
  turn: { urls: string[]; secret: string; credentialMs: number } | null;
}

/** The clinic's working time, in its own time zone: minutes after midnight and ISO weekdays. */
export interface WorkingTime {
  startMinute: number;
  endMinute: number;
  /** Monday 1 … Sunday 7. */
  days: number[];
}

export type MasterKeySource = { kind: 'env'; keyBase64: string } | { kind: 'file'; path: string };

/** Validated configuration: built once at start and handed to everything through the context. */
export interface Config {
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  store: StoreConfig;
  masterKey: MasterKeySource;
  logLevel: Env['LOG_LEVEL'];
  trustProxy: boolean;
  tls: { certFile: string; keyFile: string } | undefined;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  shutdownGraceMs: number;
  apiDocs: boolean;
  /**
   * The sign-in policy written on first start. Afterwards the security officer changes it in the
   * product, where it is kept with its history.
   */
  initialSecurityPolicy: SecurityPolicy;
  clinicDefaults: { name: string; locale: Locale; timeZone: string };
  outbox: OutboxConfig;
  /** Where text messages go; null: they stay in the outbox for the admin console. */
  smsGateway: SmsGatewayConfig | null;
  /** Where new passwords are looked up among breached ones (k-anonymity range API); null: not. */
  breachedPasswords: { apiUrl: string } | null;
  /**
   * The care relationship a booked consult gives its clinician: from this long before its start
   * to this long after its end.
   */
  careWindow: { beforeMs: number; afterMs: number };
  /** How long emergency (break-glass) access lasts once asserted. */
  emergencyAccessMs: number;
  /** How long a FHIR bulk export job and its files are kept after the kick-off. */
  bulkExportRetentionMs: number;
  audit: AuditConfig;
  /** The bus between nodes: in-process for one node, NATS for several. */
  bus: { kind: 'in-process' } | { kind: 'nats'; url: string };
  ice: IceConfig;
  /** How long the clinic keeps a consult's record (chat, files, notes), as the room tells people. */
  recordRetentionYears: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and validates the environment; every bad value is reported at once, secrets never echoed. */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd` usage.
  const present = Object.fromEntries(
    Object.entries(env).filter(([key, v]) => key in envSchema.shape && v !== undefined && v !== ''),
  );
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]) as EnvName;
        const value = present[name];
        const shown = SECRET_ENV.has(name) || value === undefined ? '' : ` (got "${value}")`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.MASTER_KEY && e.MASTER_KEY_FILE) {
    problems.push('MASTER_KEY and MASTER_KEY_FILE: set one of them, not both');
  }
  if (e.AUDIT_SIGNING_KEY && e.AUDIT_SIGNING_KEY_FILE) {
    problems.push('AUDIT_SIGNING_KEY and AUDIT_SIGNING_KEY_FILE: set one of them, not both');
  }
  if (Boolean(e.TLS_CERT_FILE) !== Boolean(e.TLS_KEY_FILE)) {
    problems.push('TLS_CERT_FILE and TLS_KEY_FILE: set both to serve HTTPS, or neither');
  }
  problems.push(...outboxProblems(e));
  if (Boolean(e.SMS_GATEWAY_URL) !== Boolean(e.SMS_GATEWAY_TOKEN)) {
    problems.push(
      'SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN: set both to send text messages, or neither',
    );
  }
  if (Boolean(e.TURN_URLS) !== Boolean(e.TURN_SECRET)) {
    problems.push('TURN_URLS and TURN_SECRET: set both to offer a TURN relay, or neither');
  }
  if (present.HIBP_API_URL !== undefined && !e.HIBP_CHECK) {
    problems.push(
      'HIBP_API_URL: only used when HIBP_CHECK is true; set HIBP_CHECK=true, or remove HIBP_API_URL',
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const dataDir = path.resolve(cwd, e.DATA_DIR);
  const tls =
    e.TLS_CERT_FILE && e.TLS_KEY_FILE
      ? { certFile: path.resolve(cwd, e.TLS_CERT_FILE), keyFile: path.resolve(cwd, e.TLS_KEY_FILE) }
      : undefined;
  const scheme = tls ? 'https' : 'http';
  return {
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL ?? `${scheme}://localhost:${e.PORT}`,
    dataDir,
    store: e.DATABASE_URL
      ? { kind: 'postgres', url: e.DATABASE_URL }
      : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    masterKey: e.MASTER_KEY
      ? { kind: 'env', keyBase64: e.MASTER_KEY }
      : {
          kind: 'file',
          path: path.resolve(cwd, e.MASTER_KEY_FILE ?? path.join(dataDir, 'master.key')),
        },
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    tls,
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    shutdownGraceMs: e.SHUTDOWN_GRACE_MS,
    apiDocs: e.API_DOCS,
    initialSecurityPolicy: {
      password: { minLengthSingleFactor: 15, minLengthWithMfa: 8 },
      mfa: Object.fromEntries(
        STAFF_ROLES.map((role) => [
          role,
          e.PHISHING_RESISTANT_ROLES.includes(role)
            ? 'phishing_resistant'
            : e.MFA_REQUIRED_ROLES.includes(role)
              ? 'required'
              : 'optional',
        ]),
      ) as SecurityPolicy['mfa'],
      session: { idleMinutes: e.SESSION_IDLE_MINUTES, maxHours: e.SESSION_MAX_HOURS },
      patients: { identityCheck: e.PATIENT_IDENTITY_CHECK },
    },
    clinicDefaults: { name: e.CLINIC_NAME, locale: e.CLINIC_LOCALE, timeZone: e.CLINIC_TIME_ZONE },
    outbox:
      e.OUTBOX_TRANSPORT === 'smtp' && e.SMTP_URL && e.MAIL_FROM
        ? { transport: 'smtp', smtpUrl: e.SMTP_URL, from: e.MAIL_FROM }
        : { transport: 'stored' },
    smsGateway:
      e.SMS_GATEWAY_URL && e.SMS_GATEWAY_TOKEN
        ? { url: e.SMS_GATEWAY_URL, token: e.SMS_GATEWAY_TOKEN }
        : null,
    breachedPasswords: e.HIBP_CHECK ? { apiUrl: e.HIBP_API_URL } : null,
    careWindow: {
      beforeMs: e.CARE_WINDOW_HOURS_BEFORE * 3_600_000,
      afterMs: e.CARE_WINDOW_HOURS_AFTER * 3_600_000,
    },
    emergencyAccessMs: e.EMERGENCY_ACCESS_MINUTES * 60_000,
    bulkExportRetentionMs: e.BULK_EXPORT_RETENTION_HOURS * 3_600_000,
    bus: e.NATS_URL ? { kind: 'nats', url: e.NATS_URL } : { kind: 'in-process' },
    ice: {
      stunUrls: e.ICE_SERVERS ?? [],
      turn:
        e.TURN_URLS && e.TURN_SECRET
          ? {
              urls: e.TURN_URLS,
              secret: e.TURN_SECRET,
              credentialMs: e.TURN_CREDENTIAL_MINUTES * 60_000,
            }
          : null,
    },
    recordRetentionYears: e.RECORD_RETENTION_YEARS,
    audit: {
      signingKey: e.AUDIT_SIGNING_KEY
        ? { kind: 'env', pem: e.AUDIT_SIGNING_KEY }
        : {
            kind: 'file',
            path: path.resolve(
              cwd,
              e.AUDIT_SIGNING_KEY_FILE ?? path.join(dataDir, 'audit-signing-key.pem'),
            ),
          },
      headsFile: path.resolve(
        cwd,
        e.AUDIT_HEADS_FILE ?? path.join(dataDir, 'audit-tree-heads.jsonl'),
      ),
      headEveryEntries: e.AUDIT_HEAD_EVERY_ENTRIES,
      headEveryMs: e.AUDIT_HEAD_EVERY_SECONDS * 1000,
      alerts: {
        everyMs: e.AUDIT_ALERT_EVERY_SECONDS * 1000,
        workingTime: { ...e.AUDIT_WORKING_HOURS, days: e.AUDIT_WORKING_DAYS },
      },
    },
  };
}

function outboxProblems(e: Env): string[] {
  if (e.OUTBOX_TRANSPORT === 'smtp') {
    return (['SMTP_URL', 'MAIL_FROM'] as const)
      .filter((name) => !e[name])
      .map((name) => `${name}: required when OUTBOX_TRANSPORT is smtp`);
  }
  // Refused rather than ignored: an operator who set them believes invitations are being e-mailed.
  return (['SMTP_URL', 'MAIL_FROM'] as const)
    .filter((name) => e[name])
    .map(
      (name) =>
        `${name}: only used when OUTBOX_TRANSPORT is smtp; set OUTBOX_TRANSPORT=smtp, or remove ${name}`,
    );
}

/** True when browsers reach the server over TLS, directly or through a terminating proxy. */
export function servesHttps(config: Config): boolean {
  return config.publicUrl.startsWith('https://');
}
