export {
  addClinicalResource,
  createPatient,
  findPatientByMrn,
  listClinicalResources,
  MRN_SYSTEM,
  readPatient,
} from './service.js';
export type * from './fhir-types.js';
