import { and, asc, desc, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { FieldProtection } from '../../platform/crypto/index.js';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Queryable } from '../../platform/db/index.js';
import { clinicalResource, fhirSearchToken, patient } from '../schema.js';
import type { DateFilter, Filter, SearchRequest } from './search-params.js';
import { isStoreId, tokenIndex, type StoredResource } from './store.js';

/** A match before decryption: enough to decide access, then to open it. */
export interface Candidate {
  type: StoredResource['type'];
  id: string;
  patientId: string;
  versionId: number;
  lastUpdated: Date;
  sealed: string;
}

interface Columns {
  id: AnyPgColumn;
  patientId: AnyPgColumn;
  encounterId: AnyPgColumn | undefined;
  updatedAt: AnyPgColumn;
  dateStart: AnyPgColumn | undefined;
  dateEnd: AnyPgColumn | undefined;
}

const NOTHING = sql`false`;

/**
 * The condition of a date search over a range [start, end) of a resource, after FHIR's rules:
 * eq — the value's range contains the resource's; gt/lt — the resource reaches beyond / before
 * the value's range; ge/le — either.
 */
function dateCondition(f: DateFilter, c: Columns): SQL {
  const [start, end] =
    f.on === 'lastUpdated'
      ? [sql`${c.updatedAt}`, sql`(${c.updatedAt} + interval '1 millisecond')`]
      : [
          sql`coalesce(${c.dateStart!}, '-infinity'::timestamptz)`,
          sql`coalesce(${c.dateEnd!}, 'infinity'::timestamptz)`,
        ];
  const from = f.range.start.toISOString();
  const to = f.range.end.toISOString();
  const eqCond = sql`(${start} >= ${from}::timestamptz and ${end} <= ${to}::timestamptz)`;
  const gt = sql`(${end} > ${to}::timestamptz)`;
  const lt = sql`(${start} < ${from}::timestamptz)`;
  const has =
    f.on === 'lastUpdated'
      ? sql`true`
      : sql`(${c.dateStart!} is not null or ${c.dateEnd!} is not null)`;
  const byPrefix = {
    eq: eqCond,
    gt,
    lt,
    ge: sql`(${gt} or ${eqCond})`,
    le: sql`(${lt} or ${eqCond})`,
  };
  return sql`(${has} and ${byPrefix[f.prefix]})`;
}

function condition(filter: Filter, c: Columns, fields: FieldProtection): SQL {
  switch (filter.kind) {
    case 'date':
      return or(...filter.any.map((f) => dateCondition(f, c))) ?? NOTHING;
    case 'id': {
      const ids = filter.ids.filter(isStoreId);
      return ids.length > 0 ? inArray(c.id, ids) : NOTHING;
    }
    case 'token':
      return inArray(
        c.id,
        sql`(select ${fhirSearchToken.resourceId} from ${fhirSearchToken} where ${fhirSearchToken.param} = ${filter.param} and ${inArray(
          fhirSearchToken.value,
          filter.values.map((v) => tokenIndex(fields, filter.param, v)),
        )})`,
      );
    case 'reference': {
      const ids = filter.ids.filter(isStoreId);
      const column = filter.column === 'patient' ? c.patientId : c.encounterId;
      return column && ids.length > 0 ? inArray(column, ids) : NOTHING;
    }
  }
}

/** The ids of the patients a search names explicitly (`patient=`, `subject=`, or Patient `_id`). */
export function namedPatients(search: SearchRequest): string[] {
  return search.filters.flatMap((f) => {
    if (f.kind === 'reference' && f.column === 'patient') return f.ids.filter(isStoreId);
    if (f.kind === 'id' && search.type === 'Patient') return f.ids.filter(isStoreId);
    return [];
  });
}

/**
 * Every current resource that matches the search's filters, in its order, still sealed. Access
 * is decided on the result by the caller, before anything is opened.
 */
export async function matchingCandidates(
  db: Queryable,
  fields: FieldProtection,
  search: SearchRequest,
): Promise<Candidate[]> {
  const isPatient = search.type === 'Patient';
  const c: Columns = isPatient
    ? {
        id: patient.id,
        patientId: patient.id,
        encounterId: undefined,
        updatedAt: patient.updatedAt,
        dateStart: undefined,
        dateEnd: undefined,
      }
    : {
        id: clinicalResource.id,
        patientId: clinicalResource.patientId,
        encounterId: clinicalResource.encounterId,
        updatedAt: clinicalResource.updatedAt,
        dateStart: clinicalResource.dateStart,
        dateEnd: clinicalResource.dateEnd,
      };
  const where = and(
    ...(isPatient ? [] : [eq(clinicalResource.resourceType, search.type)]),
    ...search.filters.map((f) => condition(f, c, fields)),
  );
  const sort = search.sort;
  const order: SQL[] = [];
  if (sort?.on === 'clinical' && c.dateStart) {
    order.push(
      sort.descending ? sql`${c.dateStart} desc nulls last` : sql`${c.dateStart} asc nulls last`,
    );
  } else if (sort) {
    order.push(sort.descending ? desc(c.updatedAt) : asc(c.updatedAt));
  } else order.push(asc(c.updatedAt));
  order.push(asc(c.id));
  const table = isPatient ? patient : clinicalResource;
  const rows = await db
    .select({
      id: c.id,
      patientId: c.patientId,
      versionId: isPatient ? patient.versionId : clinicalResource.versionId,
      lastUpdated: c.updatedAt,
      sealed: isPatient ? patient.resource : clinicalResource.resource,
    })
    .from(table)
    .where(where)
    .orderBy(...order);
  return rows.map((r) => ({ ...r, type: search.type }));
}
