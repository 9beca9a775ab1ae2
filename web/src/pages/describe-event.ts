import type { SecurityEvent } from '@safeconsult/protocol';

/** An event in plain words: the translation key of its sentence, and the values it names. */
export interface EventWords {
  key: string;
  values?: Record<string, string | number>;
}

const FAILURE_REASONS: Record<string, string> = {
  wrong_password: 'signIns.what.wrongPassword',
  wrong_second_factor: 'signIns.what.wrongSecondFactor',
  no_usable_account: 'signIns.what.unknownAccount',
  passkey_invalid: 'signIns.what.passkeyInvalid',
  locked: 'signIns.what.triedLocked',
};

/** What an `incident_updated` entry changed: an action recorded, an alert added, or details. */
const INCIDENT_CHANGES: Record<string, string> = {
  action: 'incidents.event.actionRecorded',
  alert: 'incidents.event.alertAdded',
};

const incident = (detail: SecurityEvent['detail']) => ({ id: String(detail?.incidentId ?? '?') });

/** What happened, as the security officer reads it; the event's details refine the words. */
export function describeEvent({
  type,
  detail,
}: Pick<SecurityEvent, 'type' | 'detail'>): EventWords {
  switch (type) {
    case 'signed_in':
      if (detail?.method === 'passkey') return { key: 'signIns.what.signedInPasskey' };
      // A password alone is not a sign-in where a second step is still owed.
      return {
        key:
          detail?.stage === undefined || detail.stage === 'full'
            ? 'signIns.what.signedIn'
            : 'signIns.what.passwordAccepted',
      };
    case 'sign_in_failed':
      return { key: FAILURE_REASONS[String(detail?.reason)] ?? 'signIns.what.signInFailed' };
    case 'sign_in_throttled':
      return {
        key:
          detail?.scope === 'address'
            ? 'signIns.what.throttledAddress'
            : 'signIns.what.throttledAccount',
      };
    case 'account_locked':
      return { key: 'signIns.what.accountLocked' };
    case 'account_unlocked':
      return { key: 'signIns.what.accountUnlocked' };
    case 'signed_out':
      return { key: 'signIns.what.signedOut' };
    case 'session_revoked':
      return typeof detail?.count === 'number'
        ? { key: 'signIns.what.otherSessionsEnded', values: { count: detail.count } }
        : { key: 'signIns.what.sessionEnded' };
    case 'sessions_revoked_by_admin':
      return { key: 'signIns.what.sessionsRevokedByAdmin' };
    case 'password_rehashed':
      return { key: 'signIns.what.passwordRehashed' };
    case 'mfa_enrolled':
      return {
        key:
          detail?.factor === 'passkey' ? 'signIns.what.passkeyAdded' : 'signIns.what.mfaEnrolled',
      };
    case 'mfa_removed':
      return { key: 'signIns.what.passkeyRemoved' };
    case 'mfa_verified':
      return {
        key:
          detail?.factor === 'recovery-code'
            ? 'signIns.what.mfaVerifiedRecovery'
            : detail?.factor === 'passkey'
              ? 'signIns.what.mfaVerifiedPasskey'
              : 'signIns.what.mfaVerified',
      };
    case 'staff_invited':
      return { key: 'signIns.what.staffInvited' };
    case 'invitation_accepted':
      return { key: 'signIns.what.invitationAccepted' };
    case 'password_reset_requested':
      return { key: 'signIns.what.passwordResetRequested' };
    case 'password_reset':
      return { key: 'signIns.what.passwordReset' };
    case 'reauthenticated':
      return { key: 'signIns.what.reauthenticated' };
    case 'security_policy_changed':
      return {
        key: 'signIns.what.policyChanged',
        values: { version: String(detail?.version ?? '?') },
      };
    case 'participant_joined':
      return { key: 'signIns.what.participantJoined' };
    case 'participant_check_failed':
      return { key: 'signIns.what.participantCheckFailed' };
    case 'participant_link_locked':
      return { key: 'signIns.what.participantLinkLocked' };
    case 'access_policy_changed':
      return {
        key: 'signIns.what.accessPolicyChanged',
        values: { version: String(detail?.version ?? '?') },
      };
    case 'emergency_access_granted':
      return { key: 'signIns.what.emergencyAccessGranted' };
    case 'emergency_access_reviewed':
      return { key: 'signIns.what.emergencyAccessReviewed' };
    case 'audit_alert_raised':
      return { key: 'alerts.event.raised', values: { id: String(detail?.alertId ?? '?') } };
    case 'audit_alert_dismissed':
      return { key: 'alerts.event.dismissed', values: { id: String(detail?.alertId ?? '?') } };
    case 'incident_opened':
      return { key: 'incidents.event.opened', values: incident(detail) };
    case 'incident_updated':
      return {
        key: INCIDENT_CHANGES[String(detail?.change)] ?? 'incidents.event.updated',
        values: incident(detail),
      };
    case 'incident_closed':
      return { key: 'incidents.event.closed', values: incident(detail) };
    case 'system_client_registered':
      return { key: 'signIns.what.systemClientRegistered' };
    case 'system_client_changed':
      return { key: 'signIns.what.systemClientChanged' };
    case 'client_token_issued':
      return { key: 'signIns.what.clientTokenIssued' };
    case 'client_token_refused':
      return { key: 'signIns.what.clientTokenRefused' };
    case 'ehr_connection_changed':
      return { key: 'signIns.what.ehrConnectionChanged' };
  }
}
