import { describe, expect, it } from 'vitest';
import { SECURITY_EVENT_TYPES, type SecurityEvent } from '@safeconsult/protocol';
import de from '../i18n/locales/de.json';
import en from '../i18n/locales/en.json';
import { describeEvent } from './describe-event.js';

type Tree = { [key: string]: string | Tree };
const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);

const words = (type: SecurityEvent['type'], detail: SecurityEvent['detail'] = null) =>
  describeEvent({ type, detail });

describe('describeEvent', () => {
  it('has words in English and German for every event type the server records', () => {
    for (const type of SECURITY_EVENT_TYPES) {
      const { key } = words(type);
      expect(typeof lookup(en, key), `${type}: ${key}`).toBe('string');
      expect(typeof lookup(de, key), `${type}: ${key}`).toBe('string');
    }
  });

  it('tells failures apart by their reason', () => {
    expect(words('sign_in_failed', { reason: 'wrong_password' }).key).toBe(
      'signIns.what.wrongPassword',
    );
    expect(words('sign_in_failed', { reason: 'wrong_second_factor' }).key).toBe(
      'signIns.what.wrongSecondFactor',
    );
    expect(words('sign_in_failed', { reason: 'no_usable_account' }).key).toBe(
      'signIns.what.unknownAccount',
    );
    expect(words('sign_in_failed', { reason: 'something new' }).key).toBe(
      'signIns.what.signInFailed',
    );
  });

  it('uses the details: second step owed, throttled address, several sessions, recovery code', () => {
    expect(words('signed_in', { stage: 'mfa_pending' }).key).toBe('signIns.what.passwordAccepted');
    expect(words('signed_in', { stage: 'full' }).key).toBe('signIns.what.signedIn');
    expect(words('sign_in_throttled', { scope: 'address' }).key).toBe(
      'signIns.what.throttledAddress',
    );
    expect(words('session_revoked', { count: 3 })).toEqual({
      key: 'signIns.what.otherSessionsEnded',
      values: { count: 3 },
    });
    expect(words('session_revoked').key).toBe('signIns.what.sessionEnded');
    expect(words('mfa_verified', { factor: 'recovery-code' }).key).toBe(
      'signIns.what.mfaVerifiedRecovery',
    );
  });

  it('tells incident changes apart and names the incident', () => {
    expect(words('incident_updated', { incidentId: 4, change: 'action' })).toEqual({
      key: 'incidents.event.actionRecorded',
      values: { id: '4' },
    });
    expect(words('incident_updated', { incidentId: 4, change: 'alert' }).key).toBe(
      'incidents.event.alertAdded',
    );
    expect(words('incident_updated', { incidentId: 4, change: 'details' }).key).toBe(
      'incidents.event.updated',
    );
    expect(words('incident_closed', { incidentId: 4 }).values).toEqual({ id: '4' });
  });
});
