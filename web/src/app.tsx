import { BrowserRouter, Route, Routes } from 'react-router';
import type { StaffRole } from '@safeconsult/protocol';
import { SessionProvider } from './auth/session-context.js';
import { ClinicProvider } from './clinic/clinic-context.js';
import { AppLayout } from './layout/app-layout.js';
import { SectionLayout, type Section } from './layout/section-layout.js';
import { AccessPolicyPage } from './pages/access/access-policy-page.js';
import { EmergencyReviewPage } from './pages/access/emergency-review-page.js';
import { ReachPage } from './pages/access/reach-page.js';
import { AccountPage } from './pages/account-page.js';
import { AlertsPage } from './pages/audit/alerts-page.js';
import { AuditTrailPage } from './pages/audit/audit-trail-page.js';
import { IncidentPage } from './pages/audit/incident-page.js';
import { IncidentsPage } from './pages/audit/incidents-page.js';
import { NewIncidentPage } from './pages/audit/new-incident-page.js';
import { AuthenticatorSetupPage } from './pages/authenticator-setup-page.js';
import { HomePage } from './pages/home-page.js';
import { SecondFactorPage } from './pages/second-factor-page.js';
import { JoinPage } from './pages/join-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { ConsultsPage } from './pages/consults/consults-page.js';
import { OutboxPage } from './pages/outbox-page.js';
import { SystemClientsPage } from './pages/system-clients-page.js';
import { EhrConnectionPage } from './pages/ehr-connection-page.js';
import { PatientPage } from './pages/patients/patient-page.js';
import { PatientsPage } from './pages/patients/patients-page.js';
import { ResetRequestPage } from './pages/reset-request-page.js';
import { ClinicianRoomPage } from './pages/room/clinician-room-page.js';
import { RoleGate, SectionPage } from './pages/section-page.js';
import { SecurityPolicyPage } from './pages/security-policy-page.js';
import { SetPasswordPage } from './pages/set-password-page.js';
import { SignInActivityPage } from './pages/sign-in-activity-page.js';
import { SignInPage } from './pages/sign-in-page.js';
import { StaffPage } from './pages/staff-page.js';

/** Those who review the audit trail, its alerts and incidents. */
const SECURITY_OFFICER: readonly StaffRole[] = ['security_officer'];

/** Those who work with patients' records: clinical staff, and the front desk for booking. */
const PATIENT_ROLES: readonly StaffRole[] = ['clinician', 'nurse', 'front_desk'];

/** Those who hold consults (the policy lets clinical staff on the patient's care team join). */
const CONSULT_ROLES: readonly StaffRole[] = ['clinician', 'nurse'];

const CONSOLE: Section[] = [
  { path: '/console', labelKey: 'console.today', textKey: 'console.todayText' },
  {
    path: '/console/patients',
    labelKey: 'console.patients',
    textKey: 'console.patientsText',
    roles: PATIENT_ROLES,
    page: <PatientsPage />,
  },
  {
    path: '/console/consults',
    labelKey: 'console.consults',
    textKey: 'console.consultsText',
    roles: PATIENT_ROLES,
    page: <ConsultsPage />,
  },
];

/**
 * The roles follow who does the work: administrators run accounts, settings and messages; the
 * security officer reviews the audit trail, sign-ins, emergency access and who can reach a patient,
 * which keeps the reviewer apart from the administrator whose actions are reviewed. Both read the
 * staff list, the policy and the services.
 */
const ADMIN: Section[] = [
  {
    path: '/admin',
    labelKey: 'admin.users',
    textKey: 'admin.usersText',
    roles: ['admin', 'security_officer'],
    page: <StaffPage />,
  },
  {
    path: '/admin/security',
    labelKey: 'admin.security',
    textKey: 'policy.text',
    roles: ['admin', 'security_officer'],
    page: <SecurityPolicyPage />,
  },
  {
    path: '/admin/policy',
    labelKey: 'admin.policy',
    textKey: 'admin.policyText',
    roles: ['admin', 'security_officer'],
    page: <AccessPolicyPage />,
  },
  {
    path: '/admin/reach',
    labelKey: 'admin.reach',
    textKey: 'admin.reachText',
    roles: ['security_officer'],
    page: <ReachPage />,
  },
  {
    path: '/admin/emergency-access',
    labelKey: 'admin.emergency',
    textKey: 'admin.emergencyText',
    roles: ['security_officer'],
    page: <EmergencyReviewPage />,
  },
  {
    path: '/admin/audit',
    labelKey: 'admin.audit',
    textKey: 'admin.auditText',
    roles: ['security_officer'],
    page: <AuditTrailPage />,
  },
  {
    path: '/admin/alerts',
    labelKey: 'alerts.title',
    textKey: 'alerts.text',
    roles: ['security_officer'],
    page: <AlertsPage />,
  },
  {
    path: '/admin/incidents',
    labelKey: 'incidents.title',
    textKey: 'incidents.text',
    roles: ['security_officer'],
    page: <IncidentsPage />,
  },
  {
    path: '/admin/sign-ins',
    labelKey: 'admin.signIns',
    textKey: 'admin.signInsText',
    roles: ['security_officer'],
    page: <SignInActivityPage />,
  },
  {
    path: '/admin/services',
    labelKey: 'admin.services',
    textKey: 'admin.servicesText',
    roles: ['admin', 'security_officer'],
  },
  {
    path: '/admin/settings',
    labelKey: 'admin.settings',
    textKey: 'admin.settingsText',
    roles: ['admin'],
  },
  {
    path: '/admin/outbox',
    labelKey: 'admin.outbox',
    textKey: 'admin.outboxText',
    roles: ['admin'],
    page: <OutboxPage />,
  },
  {
    path: '/admin/system-clients',
    labelKey: 'admin.systemClients',
    textKey: 'admin.systemClientsText',
    roles: ['admin'],
    page: <SystemClientsPage />,
  },
  {
    path: '/admin/ehr',
    labelKey: 'admin.ehr',
    textKey: 'admin.ehrText',
    roles: ['admin'],
    page: <EhrConnectionPage />,
  },
];

function sectionRoutes(sections: Section[], signInKey: string) {
  return sections.map((s, i) => {
    const about = { titleKey: s.labelKey, textKey: s.textKey, signInKey, roles: s.roles };
    return (
      <Route
        key={s.path}
        index={i === 0}
        path={i === 0 ? undefined : s.path}
        element={s.page ? <RoleGate {...about}>{s.page}</RoleGate> : <SectionPage {...about} />}
      />
    );
  });
}

export function App() {
  return (
    <ClinicProvider>
      <SessionProvider>
        <BrowserRouter>
          <Routes>
            <Route element={<AppLayout />}>
              <Route index element={<HomePage />} />
              <Route path="/sign-in" element={<SignInPage />} />
              <Route path="/sign-in/authenticator" element={<AuthenticatorSetupPage />} />
              <Route path="/sign-in/code" element={<SecondFactorPage />} />
              <Route path="/welcome" element={<SetPasswordPage purpose="invitation" />} />
              <Route path="/reset-password" element={<ResetRequestPage />} />
              <Route
                path="/reset-password/new"
                element={<SetPasswordPage purpose="password_reset" />}
              />
              <Route path="/join" element={<JoinPage />} />
              <Route
                path="/account"
                element={
                  <RoleGate
                    titleKey="account.title"
                    textKey="account.intro"
                    signInKey="console.signInToSee"
                  >
                    <AccountPage />
                  </RoleGate>
                }
              />
              <Route
                path="/console"
                element={<SectionLayout sections={CONSOLE} labelKey="console.sectionsLabel" />}
              >
                {sectionRoutes(CONSOLE, 'console.signInToSee')}
                <Route
                  path="/console/patients/:patientId"
                  element={
                    <RoleGate
                      titleKey="patient.title"
                      textKey="console.patientsText"
                      signInKey="console.signInToSee"
                      roles={PATIENT_ROLES}
                    >
                      <PatientPage />
                    </RoleGate>
                  }
                />
                <Route
                  path="/console/consults/:appointmentId"
                  element={
                    <RoleGate
                      titleKey="room.clinicianTitle"
                      textKey="console.consultsText"
                      signInKey="console.signInToSee"
                      roles={CONSULT_ROLES}
                    >
                      <ClinicianRoomPage />
                    </RoleGate>
                  }
                />
              </Route>
              <Route
                path="/admin"
                element={<SectionLayout sections={ADMIN} labelKey="admin.sectionsLabel" />}
              >
                {sectionRoutes(ADMIN, 'admin.signInToSee')}
                {(
                  [
                    ['/admin/incidents/new', 'incidents.open', <NewIncidentPage />],
                    ['/admin/incidents/:incidentId', 'incidents.title', <IncidentPage />],
                  ] as const
                ).map(([path, titleKey, page]) => (
                  <Route
                    key={path}
                    path={path}
                    element={
                      <RoleGate
                        titleKey={titleKey}
                        textKey="incidents.text"
                        signInKey="admin.signInToSee"
                        roles={SECURITY_OFFICER}
                      >
                        {page}
                      </RoleGate>
                    }
                  />
                ))}
              </Route>
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </SessionProvider>
    </ClinicProvider>
  );
}
