import { and, desc, eq } from 'drizzle-orm';
import type { SampleRequest, WhatIfResult } from '@safeconsult/protocol';
import type { PolicyFile, ResourceRef } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import { listColleagues } from '../identity/index.js';
import { AppError } from '../platform/http/index.js';
import { decideWith, type AccessQuestion } from './access-control.js';
import { compilePolicySet } from './policy-set/compile.js';
import { PolicyEngine } from './policy-set/engine.js';
import { asPrincipal, decisionView, type StaffMember } from './reach.js';
import { auditEntryTable as auditEntry } from '../audit/index.js';

/** Proposed sets are tried in one slot of Cedar's memory, overwritten by the next trial. */
const TRIAL_SLOT = 'what-if';

interface Trial {
  member: StaffMember;
  action: AccessQuestion['action'];
  resource: ResourceRef;
}

/**
 * Tries a proposed policy set before it is adopted: validates it, then decides the officer's
 * sample requests and the most recent real decisions (by staff) under both the set in force and
 * the proposal, with the facts as they stand now.
 */
export async function tryPolicy(
  ctx: AppContext,
  input: { files: PolicyFile[]; samples: SampleRequest[]; replayRecent: number },
): Promise<WhatIfResult> {
  const compiled = compilePolicySet(ctx.access.schemaText, input.files);
  if (!compiled.ok) {
    return {
      valid: false,
      problems: compiled.problems,
      samples: [],
      replayed: 0,
      changedRecent: [],
    };
  }
  const proposed = PolicyEngine.create(0, ctx.access.schemaText, compiled.policies, TRIAL_SLOT);
  const current = await ctx.access.engine();
  const staff = new Map((await listColleagues(ctx.store.db)).map((m) => [m.userId, m]));

  const samples: Trial[] = input.samples.map((s) => {
    const member = staff.get(s.userId);
    if (!member) throw new AppError('unprocessable', `No active member of staff ${s.userId}.`);
    return { member, action: s.action, resource: s.resource };
  });
  const recentRows =
    input.replayRecent === 0
      ? []
      : await ctx.store.db
          .select()
          .from(auditEntry)
          .where(and(eq(auditEntry.category, 'access'), eq(auditEntry.actorType, 'staff')))
          .orderBy(desc(auditEntry.id))
          .limit(input.replayRecent);
  const recent: Trial[] = recentRows.flatMap((row) => {
    const member = row.actorId ? staff.get(row.actorId) : undefined;
    return member && row.resource
      ? [{ member, action: row.action as Trial['action'], resource: row.resource }]
      : [];
  });

  const facts = await ctx.access.facts(
    [...samples, ...recent].map((t) => t.resource),
    ctx.now(),
  );
  const outcome = (t: Trial) => {
    const question = { principal: asPrincipal(t.member), action: t.action, resource: t.resource };
    const before = decideWith(current, question, facts);
    const after = decideWith(proposed, question, facts);
    return {
      request: {
        userId: t.member.userId,
        displayName: t.member.displayName,
        role: t.member.role,
        action: t.action,
        resource: t.resource,
      },
      current: decisionView(before),
      proposed: decisionView(after),
      changed: before.allowed !== after.allowed,
    };
  };
  return {
    valid: true,
    problems: [],
    samples: samples.map(outcome),
    replayed: recent.length,
    changedRecent: recent.map(outcome).filter((o) => o.changed),
  };
}
