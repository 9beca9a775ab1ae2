/** The Bulk Data Access IG (v2.0.0), whose capability statement this server instantiates. */
const BULK_DATA_IG = 'http://hl7.org/fhir/uv/bulkdata';
export const BULK_DATA_CAPABILITY = `${BULK_DATA_IG}/CapabilityStatement/bulk-data`;

/**
 * The `$export` operations served, by level, with their IG definitions: the routes register these
 * addresses and the CapabilityStatement lists them, from this one table.
 */
export const EXPORT_OPERATIONS = {
  system: { path: '/$export', definition: `${BULK_DATA_IG}/OperationDefinition/export` },
  Patient: {
    path: '/Patient/$export',
    definition: `${BULK_DATA_IG}/OperationDefinition/patient-export`,
  },
  Group: {
    path: '/Group/:id/$export',
    definition: `${BULK_DATA_IG}/OperationDefinition/group-export`,
  },
} as const;
