/** Staff roles. Patients and companions are not staff: they join by invitation, without an account. */
export const STAFF_ROLES = [
  'admin',
  'security_officer',
  'clinician',
  'nurse',
  'front_desk',
  'researcher',
] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
