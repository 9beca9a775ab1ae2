import { describe, expect, it } from 'vitest';
import { DEFAULT_DELIVERY_POLICY } from './delivery-policy.js';
import { describeSmtpError, SMTP_TIMEOUTS } from './smtp-transport.js';

describe('SMTP failures as stored and logged', () => {
  it('keeps the error code, the command and the reply code only', () => {
    const refused = Object.assign(
      new Error("Can't send mail - all recipients were rejected: 550 <ann@example.org>: unknown"),
      {
        code: 'EENVELOPE',
        command: 'RCPT TO',
        responseCode: 550,
        response: '550 5.1.1 <ann@example.org>: Recipient address rejected',
        rejected: ['ann@example.org'],
      },
    );
    expect(describeSmtpError(refused)).toBe('EENVELOPE: RCPT TO answered 550');
    const down = Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:587'), {
      code: 'ESOCKET',
      command: 'CONN',
    });
    expect(describeSmtpError(down)).toBe('ESOCKET');
    expect(describeSmtpError(Object.assign(new Error('x'), { responseCode: 421 }))).toBe(
      'ERROR: relay answered 421',
    );
  });

  it('drops fields that do not look like codes, and non-errors', () => {
    expect(
      describeSmtpError({ code: 'ann@example.org', command: 'RCPT TO <ann@example.org>' }),
    ).toBe('ERROR');
    expect(describeSmtpError('550 ann@example.org')).toBe('ERROR');
    expect(describeSmtpError(null)).toBe('ERROR');
  });

  it('gives up on a silent relay well before the claim on the message runs out', () => {
    // Else another node could take the message over while this one is still sending it.
    const longestSend = Object.values(SMTP_TIMEOUTS).reduce((a, b) => a + b, 0);
    expect(longestSend).toBeLessThan(DEFAULT_DELIVERY_POLICY.claimMs);
  });
});
