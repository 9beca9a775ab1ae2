import type { CodeableConcept, Coding, Identifier, Resource } from 'fhir/r4.js';
import { dateRange } from './dates.js';
import type { SearchParamDef } from './definitions.js';

/** Builders of the search parameter definitions and the index values they extract. */

export const tokensOf = (codings: readonly (Coding | undefined)[]): string[] =>
  codings.flatMap((c) => (c?.code ? [c.code, ...(c.system ? [`${c.system}|${c.code}`] : [])] : []));
export const conceptTokens = (concepts: readonly (CodeableConcept | undefined)[]): string[] =>
  tokensOf(concepts.flatMap((c) => c?.coding ?? []));
export const identifierTokens = (ids: readonly (Identifier | undefined)[] | undefined): string[] =>
  tokensOf(
    (ids ?? []).map((i) => (i?.value ? { system: i.system, code: i.value.trim() } : undefined)),
  );
export const plainTokens = (values: readonly (string | undefined)[]): string[] =>
  values.flatMap((v) => (v ? [v] : []));

export { normalise as normaliseName } from './patient-indexes.js';

export const pointInTime = (value: string | undefined) => {
  const range = value ? dateRange(value) : undefined;
  return { start: range?.start ?? null, end: range?.end ?? null };
};

export const token = (
  name: string,
  documentation: string,
  values: (resource: Resource) => string[],
): SearchParamDef => ({ kind: 'token', name, documentation, values });
export const patientRef = (name: 'patient' | 'subject'): SearchParamDef => ({
  kind: 'reference',
  name,
  column: 'patient',
  target: 'Patient',
  documentation: `The patient the resource is about (Patient/<id> or <id>).`,
});
export const encounterRef: SearchParamDef = {
  kind: 'reference',
  name: 'encounter',
  column: 'encounter',
  target: 'Encounter',
  documentation: 'The encounter the resource belongs to (Encounter/<id> or <id>).',
};
export const dateParam = (name: string, what: string): SearchParamDef => ({
  kind: 'date',
  name,
  documentation: `${what}; prefixes eq, gt, ge, lt, le; partial dates search their whole range.`,
});
export const identifier = (of: (r: Resource) => (Identifier | undefined)[] | undefined) =>
  token('identifier', 'An identifier: system|value or value (exact).', (r) =>
    identifierTokens(of(r)),
  );
export const codeParam = (name: string, of: (r: Resource) => (CodeableConcept | undefined)[]) =>
  token(name, 'A code: system|code or code (exact).', (r) => conceptTokens(of(r)));
