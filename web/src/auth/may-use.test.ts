import { describe, expect, it } from 'vitest';
import type { SessionInfo, StaffRole } from '@safeconsult/protocol';
import { mayUse } from './may-use.js';

const session = (role: StaffRole, stage: SessionInfo['stage'] = 'full'): SessionInfo => ({
  user: { id: '00000000-0000-4000-8000-000000000000', displayName: 'A', email: 'a@b.c', role },
  stage,
  csrfToken: 'token',
  expiresAt: '2026-11-25T08:00:00.000Z',
  idleTimeoutSeconds: 900,
  secondFactor: null,
});

describe('mayUse', () => {
  it('lets a fully signed-in user use what their role is listed for, or what lists no roles', () => {
    expect(mayUse(session('security_officer'), ['admin', 'security_officer'])).toBe(true);
    expect(mayUse(session('clinician'))).toBe(true);
    expect(mayUse(session('clinician'), ['admin'])).toBe(false);
  });

  it('refuses nobody signed in, and a session that still owes its second factor', () => {
    expect(mayUse(null)).toBe(false);
    expect(mayUse(undefined)).toBe(false);
    expect(mayUse(session('admin', 'mfa_pending'), ['admin'])).toBe(false);
    expect(mayUse(session('admin', 'mfa_enrolment'))).toBe(false);
  });
});
