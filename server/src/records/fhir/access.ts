import type { FastifyRequest } from 'fastify';
import type { AccessAction, ResourceRef } from '@safeconsult/protocol';
import type { Decision, Principal } from '../../access/index.js';
import type { AppContext } from '../../context.js';
import { labelsOf } from '../labels.js';
import { RESOURCE_DEFS } from './definitions.js';
import type { StoredResource } from './store.js';

type Item = Pick<StoredResource, 'type' | 'patientId' | 'resource'>;

/**
 * The policy's questions about one resource: its record section of its patient, and the same
 * section with the resource's sensitivity labels when it carries any (a consent directive may
 * withhold those).
 */
function questionsFor(principal: Principal, action: AccessAction, item: Item) {
  const section = RESOURCE_DEFS[item.type].section;
  const base: ResourceRef = { type: 'RecordSection', patientId: item.patientId, section };
  const labels = labelsOf(item.resource).sort();
  const refs: ResourceRef[] = labels.length > 0 ? [base, { ...base, labels }] : [base];
  return refs.map((resource) => ({ principal, action, resource }));
}

const keyOf = (q: { action: string; resource: ResourceRef }) =>
  `${q.action} ${JSON.stringify(q.resource)}`;

/** Distinct questions of many items, and for each item the keys of its questions. */
function questionsOfAll(principal: Principal, action: AccessAction, items: readonly Item[]) {
  const questions = new Map<string, ReturnType<typeof questionsFor>[number]>();
  const keys = items.map((item) =>
    questionsFor(principal, action, item).map((q) => {
      const key = keyOf(q);
      questions.set(key, q);
      return key;
    }),
  );
  return { questions: [...questions.entries()], keys };
}

/**
 * Decides one resource read or write and records the decisions in the audit ledger with the
 * request (a write commits them in its transaction). False when any part is refused.
 */
export async function decideAndRecord(
  ctx: AppContext,
  request: FastifyRequest,
  action: AccessAction,
  items: readonly Item[],
): Promise<boolean> {
  const { questions } = questionsOfAll(ctx.access.principalOf(request), action, items);
  if (questions.length === 0) return true;
  const decisions = await ctx.access.decideForRequest(
    request,
    questions.map(([, q]) => q),
    ctx.now(),
  );
  return decisions.every((d) => d.allowed);
}

/** A question about a record section, as `decideMany` takes it. */
export type SectionQuestion = ReturnType<typeof questionsFor>[number];

/**
 * The items a principal may have under `action`, decided with one load of facts and not
 * recorded, and the allowing decisions of the items kept (for whoever records them).
 */
export async function allowedItems<T extends Item>(
  ctx: AppContext,
  principal: Principal,
  action: AccessAction,
  items: readonly T[],
): Promise<{ items: T[]; decisions: [SectionQuestion, Decision][] }> {
  const { questions, keys } = questionsOfAll(principal, action, items);
  if (questions.length === 0) return { items: [...items], decisions: [] };
  const decided = await ctx.access.decideMany(
    questions.map(([, q]) => q),
    ctx.now(),
  );
  const allowed = new Set(questions.filter((_, i) => decided[i]!.allowed).map(([k]) => k));
  const used = new Set<string>();
  const kept = items.filter((_, i) => {
    const ok = keys[i]!.every((k) => allowed.has(k));
    if (ok) keys[i]!.forEach((k) => used.add(k));
    return ok;
  });
  return {
    items: kept,
    decisions: questions.flatMap(([key, q], i): [SectionQuestion, Decision][] =>
      used.has(key) ? [[q, decided[i]!]] : [],
    ),
  };
}

/**
 * The items of a search the caller may read, decided with one load of facts and not recorded:
 * a search filters by what the policy allows rather than asking about every patient in the store
 * (which would file a refusal for each). What is returned is recorded with `decideAndRecord`.
 */
export async function readableItems<T extends Item>(
  ctx: AppContext,
  request: FastifyRequest,
  items: readonly T[],
): Promise<T[]> {
  const { items: kept } = await allowedItems(
    ctx,
    ctx.access.principalOf(request),
    'readRecord',
    items,
  );
  return kept;
}
