export {
  addClinicalResource,
  createPatient,
  findPatientByMrn,
  listClinicalResources,
  MRN_SYSTEM,
  patientBirthDateMatches,
  readPatient,
} from './service.js';
export { patient as patientTable } from './schema.js';
export type * from './fhir-types.js';
