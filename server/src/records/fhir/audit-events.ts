import type { FastifyRequest } from 'fastify';
import type { AuditEvent } from 'fhir/r4.js';
import {
  appendAuditEntries,
  AUDIT_EVENT_SYSTEMS,
  auditEventAt,
  auditEventsReadEntry,
  searchAuditEvents,
  type ActionCode,
  type AuditEventFilter,
  type AuditEventSearch,
} from '../../audit/index.js';
import type { AppContext } from '../../context.js';
import { AppError, type FieldProblem } from '../../platform/http/index.js';
import { resumeSearch, sealCursor } from './cursor.js';
import { callerKeyOf } from './http.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, referencedId, type Interaction } from './definitions.js';
import { isStoreId } from './store.js';
import { dateBoundOf, refuseUnreadable, type QueryPairs } from './search-params.js';

/**
 * AuditEvent: the audit ledger, read-only, as the NDJSON export maps it (one AuditEvent per
 * integrated entry, its id the ledger position). Decided as `readAudit` on the audit trail (the
 * security officer's), and every read is itself a ledger entry.
 */
export const AUDIT_EVENT_DEF: {
  type: 'AuditEvent';
  interactions: Interaction[];
  params: { name: string; kind: 'token' | 'reference' | 'date'; documentation: string }[];
  sortKeys: string[];
} = {
  type: 'AuditEvent',
  interactions: ['read', 'search-type'],
  params: [
    { name: '_id', kind: 'token', documentation: 'The ledger position (the AuditEvent id).' },
    {
      name: 'date',
      kind: 'date',
      documentation: 'When the entry was recorded; prefixes eq, gt, ge, lt, le.',
    },
    { name: 'patient', kind: 'reference', documentation: 'The patient the entry is about.' },
    {
      name: 'agent',
      kind: 'reference',
      documentation: 'The member of staff who acted (Practitioner/<id>).',
    },
    { name: 'action', kind: 'token', documentation: 'C, R, U, D or E.' },
    {
      name: 'subtype',
      kind: 'token',
      documentation: `SafeConsult's action name (system ${AUDIT_EVENT_SYSTEMS.action}), e.g. readRecord or signed_in.`,
    },
    {
      name: 'outcome',
      kind: 'token',
      documentation: '0 (success) or 4 (refused or failed); 8 and 12 are never recorded.',
    },
  ],
  sortKeys: ['date'],
};

const SEQUENCE = /^[1-9]\d{0,14}$/;
const ACTION_NAME = /^[a-z][a-zA-Z_]{0,63}$/;
const ACTION_CODES: readonly string[] = ['C', 'R', 'U', 'D', 'E'];
const OUTCOME_CODES: readonly string[] = ['0', '4', '8', '12'];
// _count and _sort are read above; _include has nothing to follow on a ledger entry.
const PASSIVE_RESULT_PARAMS = new Set(['_total', '_format']);

/** Reads each value with `read`, or notes the parameter as unreadable. */
function valuesOf<T>(
  name: string,
  values: string[],
  read: (v: string) => T | undefined,
  problems: FieldProblem[],
  message: string,
): T[] | undefined {
  const readable = values.map(read);
  if (readable.some((v) => v === undefined)) {
    problems.push({ path: name, message });
    return undefined;
  }
  return readable as T[];
}

/** `Type/<id>` or `<id>`, for a reference parameter whose target is `type`. */
const idIn = (type: string) => (v: string) => {
  const id = referencedId({ reference: v }, type);
  return isStoreId(id) ? id.toLowerCase() : undefined;
};

/**
 * Reads an AuditEvent search: every parameter the ledger's columns can answer, strict about
 * unknown ones (or ignoring them under lenient handling), always strict about unreadable values.
 */
export function parseAuditEventSearch(
  pairs: QueryPairs,
  lenient: boolean,
): { search: Omit<AuditEventSearch, 'offset' | 'throughSequence'>; ignored: string[] } {
  const filters: AuditEventFilter[] = [];
  const problems: FieldProblem[] = [];
  const unsupported: FieldProblem[] = [];
  const ignored: string[] = [];
  let count = DEFAULT_PAGE_SIZE;
  let descending = false;
  for (const [name, raw] of pairs) {
    const values = raw.split(',').map((v) => v.trim());
    const push = <T>(
      read: (v: string) => T | undefined,
      message: string,
      make: (values: T[]) => AuditEventFilter,
    ) => {
      const readable = valuesOf(name, values, read, problems, message);
      if (readable) filters.push(make(readable));
    };
    switch (name) {
      case '_count':
        if (!/^\d+$/.test(raw) || Number(raw) < 1)
          problems.push({ path: name, message: 'must be a positive whole number' });
        else count = Math.min(Number(raw), MAX_PAGE_SIZE);
        break;
      case '_sort':
        if (raw !== 'date' && raw !== '-date')
          problems.push({ path: name, message: 'must be date or -date' });
        else descending = raw === '-date';
        break;
      case '_id':
        push(
          (v) => (SEQUENCE.test(v) ? Number(v) : undefined),
          'must be ledger positions (whole numbers from 1)',
          (sequences) => ({ on: 'id', sequences }),
        );
        break;
      case 'date':
        push(
          dateBoundOf,
          'must be a FHIR date or dateTime after an optional prefix eq, gt, ge, lt or le',
          (any) => ({ on: 'date', any }),
        );
        break;
      case 'patient':
        push(idIn('Patient'), 'must be Patient/<id> or <id>', (ids) => ({ on: 'patient', ids }));
        break;
      case 'agent':
        push(idIn('Practitioner'), 'must be Practitioner/<id> or <id>', (ids) => ({
          on: 'agent',
          ids,
        }));
        break;
      case 'action':
        push(
          (v) => (ACTION_CODES.includes(v) ? (v as ActionCode) : undefined),
          'must be C, R, U, D or E',
          (codes) => ({ on: 'action', codes }),
        );
        break;
      case 'subtype':
        push(
          (v) => {
            const [system, code] = v.includes('|') ? v.split('|', 2) : [undefined, v];
            const ours = system === undefined || system === AUDIT_EVENT_SYSTEMS.action;
            return ours && code && ACTION_NAME.test(code) ? code : undefined;
          },
          `must be an action name such as readRecord, alone or under ${AUDIT_EVENT_SYSTEMS.action}`,
          (actions) => ({ on: 'subtype', actions }),
        );
        break;
      case 'outcome':
        push(
          (v) => (OUTCOME_CODES.includes(v) ? v : undefined),
          'must be 0, 4, 8 or 12',
          (codes) => ({ on: 'outcome', codes }),
        );
        break;
      default:
        if (PASSIVE_RESULT_PARAMS.has(name)) {
          // _total: the total is always given. _format: only JSON is served.
          if (
            name === '_format' &&
            !['json', 'application/json', 'application/fhir+json'].includes(raw)
          )
            problems.push({ path: name, message: 'only JSON is served' });
        } else if (lenient) ignored.push(name);
        else
          unsupported.push({
            path: name,
            message: 'is not a search parameter of AuditEvent on this server (see /fhir/metadata)',
          });
    }
  }
  refuseUnreadable(unsupported, problems);
  return { search: { filters, count, descending }, ignored };
}

/** The security officer's question: may this caller read the audit trail? (Refusals are filed.) */
async function assertMayReadLedger(ctx: AppContext, request: FastifyRequest) {
  const principal = ctx.access.principalOf(request);
  const [decision] = await ctx.access.decideForRequest(
    request,
    [{ principal, action: 'readAudit', resource: { type: 'AuditLog', id: 'audit-trail' } }],
    ctx.now(),
  );
  if (!decision!.allowed) throw new AppError('forbidden', 'The access policy does not allow this.');
}

/** Files the read in the ledger; awaited, so it is there before the answer leaves. */
async function recordRead(
  ctx: AppContext,
  request: FastifyRequest,
  read: { interaction: 'read' | 'search-type'; count: number; throughSequence?: number },
) {
  const { userId, role } = request.staffSession!;
  await appendAuditEntries(ctx.store.db, [
    auditEventsReadEntry({
      at: ctx.now(),
      actor: { id: userId, role },
      requestId: request.id,
      address: request.ip,
      ...read,
    }),
  ]);
}

export async function readAuditEvent(
  ctx: AppContext,
  request: FastifyRequest,
  id: string,
): Promise<AuditEvent> {
  await assertMayReadLedger(ctx, request);
  const event = SEQUENCE.test(id)
    ? await auditEventAt(ctx.store.db, Number(id), ctx.config.publicUrl)
    : undefined;
  if (!event) throw new AppError('not_found', 'No resource you may read exists at this address.');
  await recordRead(ctx, request, { interaction: 'read', count: 1 });
  return event;
}

/**
 * One page of an AuditEvent search (or of the page link `_cursor` names), for those who may read
 * the ledger; `next` is the sealed page link to the following page, if there is one.
 */
export async function findAuditEvents(
  ctx: AppContext,
  request: FastifyRequest,
  given: QueryPairs,
  lenient: boolean,
) {
  await assertMayReadLedger(ctx, request);
  const userId = callerKeyOf(request);
  const type = AUDIT_EVENT_DEF.type;
  const resumed = resumeSearch(ctx.fields, userId, type, given, ctx.now());
  const { search, ignored } = parseAuditEventSearch(resumed.pairs, lenient);
  const found = await searchAuditEvents(
    ctx.store.db,
    { ...search, offset: resumed.offset, throughSequence: resumed.through },
    ctx.config.publicUrl,
  );
  await recordRead(ctx, request, {
    interaction: 'search-type',
    count: found.events.length,
    throughSequence: found.throughSequence,
  });
  const end = resumed.offset + search.count;
  const next =
    end < found.total
      ? sealCursor(
          ctx.fields,
          userId,
          { type, pairs: resumed.pairs, offset: end, through: found.throughSequence },
          ctx.now(),
        )
      : undefined;
  return { events: found.events, total: found.total, ignored, next, token: resumed.token };
}
