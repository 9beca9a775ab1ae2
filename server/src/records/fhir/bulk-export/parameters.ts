import type { Parameters } from 'fhir/r4.js';
import { AppError, type FieldProblem } from '../../../platform/http/index.js';
import { dateRange } from '../dates.js';
import { isStoredType, STORED_TYPES, type StoredType } from '../definitions.js';
import type { QueryPairs } from '../search-params.js';

/** The output formats the Bulk Data IG names for NDJSON; the only one served. */
const NDJSON_FORMATS = new Set(['application/fhir+ndjson', 'application/ndjson', 'ndjson']);

/** A FHIR instant: a time with seconds and a zone, as `_since` must be. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export interface ExportRequest {
  since: Date | undefined;
  /** In the order exported; every stored type when `_type` is not given. */
  types: StoredType[];
}

/**
 * Reads a kick-off's parameters. Parameters this server does not implement (`_typeFilter`,
 * `_elements`, `patient`, `includeAssociatedData`, …) are refused rather than ignored: an export
 * silently wider than asked for would carry data the client did not mean to take.
 */
export function parseExportRequest(pairs: QueryPairs): ExportRequest {
  const problems: FieldProblem[] = [];
  let since: Date | undefined;
  const types: StoredType[] = [];
  for (const [name, value] of pairs) {
    switch (name) {
      case '_outputFormat':
        if (!NDJSON_FORMATS.has(value)) {
          problems.push({ path: name, message: 'must be application/fhir+ndjson' });
        }
        break;
      case '_since': {
        const range = INSTANT.test(value) ? dateRange(value) : undefined;
        if (!range) problems.push({ path: name, message: 'must be an instant with a time zone' });
        else since = range.start;
        break;
      }
      case '_type':
        for (const type of value.split(',').map((t) => t.trim())) {
          if (!isStoredType(type)) {
            problems.push({ path: name, message: `names a type this server does not export` });
          } else if (!types.includes(type)) types.push(type);
        }
        break;
      default:
        throw new AppError('search_parameter_unknown', 'This export parameter is not supported.', [
          { path: name, message: 'is not supported by this server' },
        ]);
    }
  }
  if (problems.length > 0) {
    throw new AppError('validation_failed', 'The export parameters are not valid.', problems);
  }
  return { since, types: types.length > 0 ? types : [...STORED_TYPES] };
}

/** A POST kick-off's Parameters resource as name/value pairs, like a query. */
export function pairsOfParameters(body: Parameters): QueryPairs {
  if (body.resourceType !== 'Parameters') {
    throw new AppError('validation_failed', 'A POST kick-off sends a Parameters resource.', [
      { path: 'resourceType', message: 'must be Parameters' },
    ]);
  }
  return (body.parameter ?? []).map((p): [string, string] => {
    const value = p.valueString ?? p.valueInstant ?? p.valueCode ?? p.valueDateTime;
    if (typeof p.name !== 'string' || value === undefined) {
      throw new AppError('validation_failed', 'Each parameter needs a name and a simple value.', [
        { path: 'parameter', message: 'needs a name and a string, code or instant value' },
      ]);
    }
    return [p.name, value];
  });
}
