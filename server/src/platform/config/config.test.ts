import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, servesHttps } from './index.js';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('loadConfig', () => {
  it('starts on embedded defaults with nothing set', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.store).toEqual({ kind: 'pglite', dataDir: '/srv/app/data/pglite' });
    expect(config.masterKey).toEqual({ kind: 'file', path: '/srv/app/data/master.key' });
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.tls).toBeUndefined();
    expect(servesHttps(config)).toBe(false);
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/sc' });
    expect(config.store).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/sc' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).store.kind).toBe('pglite');
  });

  it('names every bad variable at once, with the value it got', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      PUBLIC_URL: 'ftp://x',
      CLINIC_TIME_ZONE: 'Mars/Olympus',
      TRUST_PROXY: 'maybe',
    });
    expect(problems).toHaveLength(5);
    expect(problems.find((p) => p.startsWith('PORT:'))).toContain('"eighty"');
    expect(problems.find((p) => p.startsWith('LOG_LEVEL:'))).toContain('"loud"');
    expect(problems.find((p) => p.startsWith('PUBLIC_URL:'))).toMatch(/http/);
    expect(problems.find((p) => p.startsWith('CLINIC_TIME_ZONE:'))).toMatch(/IANA/);
    expect(problems.find((p) => p.startsWith('TRUST_PROXY:'))).toMatch(/true, false/);
  });

  it('refuses out-of-range numbers', () => {
    expect(problemsOf({ PORT: '70000' })[0]).toMatch(/^PORT: must be at most 65535/);
    expect(problemsOf({ BODY_LIMIT_BYTES: '10' })[0]).toMatch(
      /^BODY_LIMIT_BYTES: must be at least/,
    );
  });

  it('tells consults how long their record is kept: ten years unless set, in whole years', () => {
    expect(loadConfig({}).recordRetentionYears).toBe(10);
    expect(loadConfig({ RECORD_RETENTION_YEARS: '30' }).recordRetentionYears).toBe(30);
    expect(problemsOf({ RECORD_RETENTION_YEARS: '0' })[0]).toMatch(
      /^RECORD_RETENTION_YEARS: must be at least 1/,
    );
    expect(problemsOf({ RECORD_RETENTION_YEARS: 'ten' })[0]).toMatch(/whole number/);
  });

  it('reads the working time the out-of-hours alert judges by', () => {
    expect(loadConfig({}).audit.alerts).toEqual({
      everyMs: 60_000,
      workingTime: { startMinute: 420, endMinute: 1140, days: [1, 2, 3, 4, 5] },
    });
    const shifts = loadConfig({
      AUDIT_WORKING_HOURS: '06:30-24:00',
      AUDIT_WORKING_DAYS: 'sat, Mon,mon,sun',
    }).audit.alerts.workingTime;
    expect(shifts).toEqual({ startMinute: 390, endMinute: 1440, days: [1, 6, 7] });
    const problems = problemsOf({
      AUDIT_WORKING_HOURS: '19:00-07:00',
      AUDIT_WORKING_DAYS: 'weekdays',
    });
    expect(problems).toHaveLength(2);
    expect(problems.find((p) => p.startsWith('AUDIT_WORKING_HOURS:'))).toMatch(/later than/);
    expect(problems.find((p) => p.startsWith('AUDIT_WORKING_DAYS:'))).toMatch(/mon, tue/);
    expect(problemsOf({ AUDIT_WORKING_HOURS: '7-19' })[0]).toMatch(/07:00-19:00/);
  });

  it('never echoes a secret value', () => {
    const secretKey = 'not-a-real-key-but-secret';
    const secretUrl = 'mysql://admin:hunter2@db/x';
    const problems = problemsOf({ MASTER_KEY: secretKey, DATABASE_URL: secretUrl });
    expect(problems).toHaveLength(2);
    const text = problems.join('\n');
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain('hunter2');
    expect(text).toMatch(/MASTER_KEY: must be 32 bytes/);
  });

  it('refuses contradictory settings', () => {
    expect(
      problemsOf({ MASTER_KEY: Buffer.alloc(32).toString('base64'), MASTER_KEY_FILE: '/k' }),
    ).toEqual(['MASTER_KEY and MASTER_KEY_FILE: set one of them, not both']);
    expect(problemsOf({ TLS_CERT_FILE: '/c.pem' })[0]).toMatch(/TLS_CERT_FILE and TLS_KEY_FILE/);
  });

  it('serves HTTPS when given a certificate, or when the public address is https', () => {
    const tls = loadConfig({ TLS_CERT_FILE: 'c.pem', TLS_KEY_FILE: 'k.pem', PORT: '8443' }, '/srv');
    expect(tls.tls).toEqual({ certFile: path.resolve('/srv/c.pem'), keyFile: '/srv/k.pem' });
    expect(tls.publicUrl).toBe('https://localhost:8443');
    expect(servesHttps(tls)).toBe(true);
    expect(servesHttps(loadConfig({ PUBLIC_URL: 'https://care.example/' }))).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://care.example/' }).publicUrl).toBe(
      'https://care.example',
    );
  });

  it('keeps the outbox stored unless SMTP is chosen, and then needs a relay and a sender', () => {
    expect(loadConfig({}).outbox).toEqual({ transport: 'stored' });
    const smtp = {
      OUTBOX_TRANSPORT: 'smtp',
      SMTP_URL: 'smtps://relay:pw@mail.clinic.example:465',
      MAIL_FROM: 'Riverside <no-reply@clinic.example>',
    };
    expect(loadConfig(smtp).outbox).toEqual({
      transport: 'smtp',
      smtpUrl: 'smtps://relay:pw@mail.clinic.example:465',
      from: 'Riverside <no-reply@clinic.example>',
    });
    expect(problemsOf({ OUTBOX_TRANSPORT: 'smtp' })).toEqual([
      'SMTP_URL: required when OUTBOX_TRANSPORT is smtp',
      'MAIL_FROM: required when OUTBOX_TRANSPORT is smtp',
    ]);
    // Set without choosing SMTP, they would suggest mail is sent when it is not.
    expect(problemsOf({ SMTP_URL: smtp.SMTP_URL })[0]).toMatch(/^SMTP_URL: only used when/);
    expect(problemsOf({ ...smtp, MAIL_FROM: 'nobody' })[0]).toMatch(
      /^MAIL_FROM: must be an e-mail/,
    );
  });

  it('sends text messages only with both gateway settings, over TLS or to this machine', () => {
    expect(loadConfig({}).smsGateway).toBeNull();
    const token = 'gateway-token-0123456789';
    expect(
      loadConfig({ SMS_GATEWAY_URL: 'https://sms.example/send', SMS_GATEWAY_TOKEN: token })
        .smsGateway,
    ).toEqual({ url: 'https://sms.example/send', token });
    expect(problemsOf({ SMS_GATEWAY_URL: 'https://sms.example/send' })).toEqual([
      'SMS_GATEWAY_URL and SMS_GATEWAY_TOKEN: set both to send text messages, or neither',
    ]);
    expect(
      problemsOf({ SMS_GATEWAY_URL: 'http://sms.example/send', SMS_GATEWAY_TOKEN: token }),
    ).toEqual([expect.stringMatching(/^SMS_GATEWAY_URL: must be an https:\/\/ URL/)]);
    expect(
      loadConfig({ SMS_GATEWAY_URL: 'http://127.0.0.1:9000/send', SMS_GATEWAY_TOKEN: token })
        .smsGateway?.url,
    ).toBe('http://127.0.0.1:9000/send');
    const short = problemsOf({
      SMS_GATEWAY_URL: 'https://sms.example',
      SMS_GATEWAY_TOKEN: 'short',
    });
    expect(short).toEqual([expect.stringMatching(/^SMS_GATEWAY_TOKEN: must be at least 16/)]);
    expect(short.join('\n')).not.toContain('short"');
  });

  it('never echoes the SMTP URL, which may hold the relay password', () => {
    const problems = problemsOf({
      OUTBOX_TRANSPORT: 'smtp',
      SMTP_URL: 'http://u:hunter2@x',
      MAIL_FROM: 'a@b.example',
    });
    expect(problems).toEqual([
      expect.stringMatching(/^SMTP_URL: must be an smtp:\/\/ or smtps:\/\//),
    ]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('looks passwords up online only when asked to', () => {
    expect(loadConfig({}).breachedPasswords).toBeNull();
    expect(loadConfig({ HIBP_CHECK: 'true' }).breachedPasswords).toEqual({
      apiUrl: 'https://api.pwnedpasswords.com',
    });
    expect(
      loadConfig({ HIBP_CHECK: 'yes', HIBP_API_URL: 'http://hibp.internal:8080/' })
        .breachedPasswords,
    ).toEqual({ apiUrl: 'http://hibp.internal:8080' });
    expect(problemsOf({ HIBP_API_URL: 'http://hibp.internal' })).toEqual([
      'HIBP_API_URL: only used when HIBP_CHECK is true; set HIBP_CHECK=true, or remove HIBP_API_URL',
    ]);
  });

  it('links nodes over NATS only when NATS_URL is set', () => {
    expect(loadConfig({}).bus).toEqual({ kind: 'in-process' });
    expect(loadConfig({ NATS_URL: 'nats://127.0.0.1:4222' }).bus).toEqual({
      kind: 'nats',
      url: 'nats://127.0.0.1:4222',
    });
    expect(problemsOf({ NATS_URL: 'http://nats:4222' })[0]).toMatch(/^NATS_URL: must be a nats:/);
  });

  it('offers STUN and TURN only as configured, TURN with its secret', () => {
    expect(loadConfig({}).ice).toEqual({ stunUrls: [], turn: null });
    const config = loadConfig({
      ICE_SERVERS: 'stun:stun.clinic.example:3478',
      TURN_URLS: 'turn:turn.clinic.example:3478?transport=udp, turns:turn.clinic.example:5349',
      TURN_SECRET: 'a-shared-secret-of-length',
    });
    expect(config.ice).toEqual({
      stunUrls: ['stun:stun.clinic.example:3478'],
      turn: {
        urls: ['turn:turn.clinic.example:3478?transport=udp', 'turns:turn.clinic.example:5349'],
        secret: 'a-shared-secret-of-length',
        credentialMs: 240 * 60_000,
      },
    });
    expect(problemsOf({ TURN_URLS: 'turn:turn.clinic.example:3478' })).toEqual([
      'TURN_URLS and TURN_SECRET: set both to offer a TURN relay, or neither',
    ]);
    const bad = problemsOf({ ICE_SERVERS: 'https://stun.example', TURN_SECRET: 'short' });
    expect(bad[0]).toMatch(/^ICE_SERVERS: each address must look like stun:/);
    expect(bad.join('\n')).not.toContain('short"');
  });
});
