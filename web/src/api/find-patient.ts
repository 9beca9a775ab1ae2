import { patientLookupResultSchema } from '@safeconsult/protocol';
import { api, type ApiResult } from './http.js';

export type PatientLookupResult = ReturnType<typeof patientLookupResultSchema.parse>;

/**
 * Finds a patient by medical record number. The number travels in the body, never the address,
 * because addresses end up in logs and histories.
 */
export async function findPatient(
  mrn: string,
  csrfToken: string | undefined,
): Promise<ApiResult<PatientLookupResult>> {
  const result = await api<unknown>('/api/patients/lookup', {
    method: 'POST',
    body: { mrn },
    csrfToken,
  });
  return result.ok ? { ok: true, data: patientLookupResultSchema.parse(result.data) } : result;
}
