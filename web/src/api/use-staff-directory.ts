import { colleagueSchema, type Colleague } from '@safeconsult/protocol';
import { listIn, useApi } from './use-api.js';

const COLLEAGUES = listIn('colleagues', colleagueSchema);

export interface StaffDirectory {
  /** Staff whose accounts are in use, by role and name. */
  staff: Colleague[];
  /** The list could not be loaded, so nobody can be picked from it. */
  unavailable: boolean;
}

/** The staff to pick people from: names and roles, which everyone on staff may see. */
export function useStaffDirectory(): StaffDirectory {
  const { data, problem } = useApi('/api/staff/directory', COLLEAGUES);
  return { staff: data ?? [], unavailable: problem !== undefined };
}
