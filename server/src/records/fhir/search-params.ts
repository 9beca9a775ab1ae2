import { AppError, type FieldProblem } from '../../platform/http/index.js';
import { dateRange, type DateRange } from './dates.js';
import {
  DEFAULT_PAGE_SIZE,
  includesOf,
  MAX_PAGE_SIZE,
  normaliseName,
  paramOf,
  referencedId,
  RESOURCE_DEFS,
  RESULT_PARAMS,
  sortKeysOf,
  type ReferenceColumn,
  type StoredType,
} from './definitions.js';

export const DATE_PREFIXES = ['eq', 'gt', 'ge', 'lt', 'le'] as const;
export type DatePrefix = (typeof DATE_PREFIXES)[number];

/** One parameter's condition; several values of one parameter are alternatives (OR). */
export type Filter =
  | { kind: 'id'; ids: string[] }
  | { kind: 'token'; param: string; values: string[] }
  | { kind: 'reference'; column: ReferenceColumn; ids: string[] }
  /** Alternatives of a date parameter. */
  | { kind: 'date'; any: DateFilter[] };
export interface DateFilter {
  on: 'clinical' | 'lastUpdated';
  prefix: DatePrefix;
  range: DateRange;
}

export interface SearchRequest {
  type: StoredType;
  /** All must hold (AND). */
  filters: Filter[];
  count: number;
  sort: { on: 'clinical' | 'lastUpdated'; descending: boolean } | undefined;
  includes: string[];
  /** Parameters ignored under lenient handling, for the Bundle's warning. */
  ignored: string[];
}

/** The query as name/value pairs, repeated names kept in order. */
export type QueryPairs = [string, string][];

const DATE_VALUE = /^(eq|gt|ge|lt|le|ne|sa|eb|ap)?(.+)$/;

/** A date search value: its prefix (eq when none) and the range its date covers. */
export function dateBoundOf(
  value: string,
): { prefix: DatePrefix; start: Date; end: Date } | undefined {
  const [, prefix = 'eq', text] = DATE_VALUE.exec(value) ?? [];
  const range = text ? dateRange(text) : undefined;
  if (!range || !(DATE_PREFIXES as readonly string[]).includes(prefix)) return undefined;
  return { prefix: prefix as DatePrefix, ...range };
}

/**
 * Reads a search's parameters against the type's definitions. Unknown parameters and modifiers
 * are refused (strict handling), or ignored and reported when the client asked for lenient
 * handling; values that cannot mean anything (a date that is not a date) are always refused.
 */
export function parseSearch(type: StoredType, pairs: QueryPairs, lenient: boolean): SearchRequest {
  const def = RESOURCE_DEFS[type];
  const problems: FieldProblem[] = [];
  const unsupported: FieldProblem[] = [];
  const search: SearchRequest = {
    type,
    filters: [],
    count: DEFAULT_PAGE_SIZE,
    sort: undefined,
    includes: [],
    ignored: [],
  };
  const unknown = (name: string, why: string) => {
    if (lenient) search.ignored.push(name);
    else unsupported.push({ path: name, message: why });
  };
  for (const [name, raw] of pairs) {
    const values = raw.split(',').map((v) => v.trim());
    if ((RESULT_PARAMS as readonly string[]).includes(name)) {
      readResultParam(name, raw, search, problems, unknown);
      continue;
    }
    const param = paramOf(def, name);
    if (!param) {
      unknown(name, `is not a search parameter of ${type} on this server (see /fhir/metadata)`);
      continue;
    }
    if (values.some((v) => v === '')) {
      problems.push({ path: name, message: 'has an empty value' });
      continue;
    }
    switch (param.kind) {
      case 'token':
        if (name === '_id') search.filters.push({ kind: 'id', ids: values });
        else search.filters.push({ kind: 'token', param: `${type}.${name}`, values });
        break;
      case 'string':
        search.filters.push({
          kind: 'token',
          param: `${type}.${name}`,
          values: values.map(normaliseName),
        });
        break;
      case 'reference': {
        const ids = values.map((v) => referencedId({ reference: v }, param.target));
        if (ids.some((id) => !id)) {
          problems.push({ path: name, message: `must be ${param.target}/<id> or <id>` });
        } else
          search.filters.push({ kind: 'reference', column: param.column, ids: ids as string[] });
        break;
      }
      case 'date': {
        const on: DateFilter['on'] = name === '_lastUpdated' ? 'lastUpdated' : 'clinical';
        const alternatives = values.map((v) => {
          const bound = dateBoundOf(v);
          if (!bound) return undefined;
          const filter: DateFilter = {
            on,
            prefix: bound.prefix,
            range: { start: bound.start, end: bound.end },
          };
          return filter;
        });
        if (alternatives.some((a) => !a)) {
          problems.push({
            path: name,
            message:
              'must be a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime) after an optional prefix eq, gt, ge, lt or le',
          });
        } else search.filters.push({ kind: 'date', any: alternatives as DateFilter[] });
        break;
      }
    }
  }
  refuseUnreadable(unsupported, problems);
  return search;
}

function readResultParam(
  name: string,
  raw: string,
  search: SearchRequest,
  problems: FieldProblem[],
  unknown: (name: string, why: string) => void,
) {
  const def = RESOURCE_DEFS[search.type];
  switch (name) {
    case '_count': {
      const n = Number(raw);
      if (!/^\d+$/.test(raw) || n < 1)
        problems.push({ path: name, message: 'must be a positive whole number' });
      else search.count = Math.min(n, MAX_PAGE_SIZE);
      return;
    }
    case '_sort': {
      const descending = raw.startsWith('-');
      const key = descending ? raw.slice(1) : raw;
      if (!sortKeysOf(def).includes(key)) {
        problems.push({
          path: name,
          message: `must be one of ${sortKeysOf(def).join(', ')} (with - for descending)`,
        });
      } else search.sort = { on: key === '_lastUpdated' ? 'lastUpdated' : 'clinical', descending };
      return;
    }
    case '_include':
      for (const include of raw.split(',')) {
        if (includesOf(def).includes(include)) search.includes.push(include);
        else
          unknown(
            `_include=${include}`,
            `is not an _include this server supports for ${search.type}`,
          );
      }
      return;
    case '_total':
      // The total is always given: it counts only what the caller may see.
      return;
    case '_format':
      if (!['json', 'application/json', 'application/fhir+json'].includes(raw)) {
        problems.push({ path: name, message: 'only JSON is served' });
      }
      return;
  }
}

/** Refuses a search that names unknown parameters or has values this server cannot read. */
export function refuseUnreadable(unsupported: FieldProblem[], problems: FieldProblem[]): void {
  if (unsupported.length > 0) {
    throw new AppError(
      'search_parameter_unknown',
      'The search names parameters this server does not support.',
      unsupported,
    );
  }
  if (problems.length > 0) {
    throw new AppError(
      'validation_failed',
      'A search parameter has a value this server cannot read.',
      problems,
    );
  }
}
