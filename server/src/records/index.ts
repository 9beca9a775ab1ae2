export {
  addClinicalResource,
  createPatient,
  findPatientByMrn,
  listClinicalResources,
  MRN_SYSTEM,
  patientBirthDateMatches,
  patientDisplayName,
  patientExists,
  readClinicalResource,
  readPatient,
  listPatients,
  updateClinicalResource,
} from './service.js';
export { patient as patientTable } from './schema.js';
export type * from './fhir-types.js';
export { recordRoutes } from './routes.js';
export {
  BulkExportWorker,
  fhirApi,
  indexEarlierRecords,
  recordSectionOf,
  sectionsOfScopes,
  supportedSystemScopes,
  validateResource,
  type BulkExportDeps,
} from './fhir/index.js';
export { recordEncryptedColumns } from './encrypted-columns.js';
