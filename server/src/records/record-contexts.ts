/**
 * The encryption contexts of the records' tables: each names its column and row, so a ciphertext
 * moved to another row or column does not open.
 */
export const patientContext = (id: string) => `patient.resource:${id}`;
export const clinicalResourceContext = (id: string) => `clinical_resource.resource:${id}`;
export const resourceVersionContext = (id: string, version: number) =>
  `fhir_resource_version.resource:${id}/${version}`;
