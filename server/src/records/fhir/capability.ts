import type { CapabilityStatement } from 'fhir/r4.js';
import {
  COMMON_PARAMS,
  includesOf,
  RESOURCE_DEFS,
  RESULT_PARAMS,
  STORED_TYPES,
} from './definitions.js';
import { AUDIT_EVENT_DEF } from './audit-events.js';
import { BULK_DATA_CAPABILITY, EXPORT_OPERATIONS } from './bulk-export/operations.js';
import { VIEW_DEFS, VIEW_TYPES } from './views.js';

/**
 * What this server supports, built from the same definitions the router and the search read, so
 * it states exactly what is there.
 */
export function capabilityStatement(baseUrl: string, version: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-01-01',
    kind: 'instance',
    instantiates: [BULK_DATA_CAPABILITY],
    software: { name: 'SafeConsult', version },
    implementation: { description: 'SafeConsult FHIR R4 API', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json', 'json'],
    rest: [
      {
        mode: 'server',
        documentation:
          `Search handling is strict: unknown parameters are refused unless the request says ` +
          `Prefer: handling=lenient. Result parameters: ${RESULT_PARAMS.join(', ')}; pages ` +
          `follow the Bundle's next link. Name, family, birthdate and every token are matched ` +
          `exactly through keyed blind indexes: no prefixes, no partial names. Bulk export ` +
          `($export, Bulk Data Access IG v2.0.0) at system, Patient and Group level: ` +
          `Prefer: respond-async, NDJSON output, _since and _type.`,
        security: {
          cors: false,
          description:
            'A SafeConsult staff session (cookie from /api/auth/sign-in; writes echo its ' +
            'anti-forgery token in X-CSRF-Token). Every read and write is decided by the ' +
            "clinic's access policy per patient and recorded in the audit ledger.",
        },
        operation: [{ name: 'export', definition: EXPORT_OPERATIONS.system.definition }],
        resource: [
          ...STORED_TYPES.map((type) => {
            const def = RESOURCE_DEFS[type];
            return {
              type,
              ...(type === 'Patient'
                ? {
                    operation: [
                      { name: 'export', definition: EXPORT_OPERATIONS.Patient.definition },
                    ],
                  }
                : {}),
              profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
              interaction: def.interactions.map((code) => ({ code })),
              versioning: 'versioned' as const,
              readHistory: true,
              updateCreate: false,
              conditionalCreate: def.interactions.includes('create'),
              conditionalUpdate: false,
              conditionalDelete: 'not-supported' as const,
              searchInclude: includesOf(def),
              searchParam: [...COMMON_PARAMS, ...def.params].map((p) => ({
                name: p.name,
                type: p.kind,
                documentation: p.documentation,
              })),
            };
          }),
          ...VIEW_TYPES.map((type) => {
            const def = VIEW_DEFS[type];
            return {
              type,
              profile: `http://hl7.org/fhir/StructureDefinition/${type}`,
              documentation: 'A read-only view; no versions, history or paging.',
              interaction: def.interactions.map((code) => ({ code })),
              versioning: 'no-version' as const,
              searchParam: def.params.map(({ name, kind, documentation }) => ({
                name,
                type: kind,
                documentation,
              })),
            };
          }),
          {
            type: AUDIT_EVENT_DEF.type,
            profile: 'http://hl7.org/fhir/StructureDefinition/AuditEvent',
            documentation:
              'The audit ledger, read-only, for those the access policy lets read the audit ' +
              'trail (readAudit); each read is itself recorded. One AuditEvent per entry the ' +
              'ledger has integrated, its id the ledger position; no versions or history.',
            interaction: AUDIT_EVENT_DEF.interactions.map((code) => ({ code })),
            versioning: 'no-version' as const,
            searchParam: AUDIT_EVENT_DEF.params.map(({ name, kind, documentation }) => ({
              name,
              type: kind,
              documentation,
            })),
          },
          {
            type: 'Group',
            profile: 'http://hl7.org/fhir/StructureDefinition/Group',
            documentation:
              'A care team: its id is a clinician or nurse, its members the patients whose care ' +
              'team they are on. Only exported ($export), not read or searched.',
            operation: [{ name: 'export', definition: EXPORT_OPERATIONS.Group.definition }],
          },
        ],
      },
    ],
  };
}
