import type { FastifyRequest } from 'fastify';
import type { AccessAction, PolicyFile, ResourceRef } from '@safeconsult/protocol';
import type { Config } from '../platform/config/index.js';
import type { Queryable, Store } from '../platform/db/index.js';
import {
  entitiesFor,
  patientOf,
  principalUid,
  resourceUid,
  type Facts,
  type Principal,
} from './entities.js';
import { noteDecisions, principalOf } from './authorization.js';
import { loadFacts } from './facts.js';
import { compilePolicySet, type CompiledPolicy } from './policy-set/compile.js';
import { PolicyEngine } from './policy-set/engine.js';
import { readPolicyFiles, readSchema } from './policy-set/files.js';
import { activeVersionNumber, ensureAccessPolicy, readVersion } from './policy-store.js';

export interface Decision {
  allowed: boolean;
  /** The policies that decided: the permits of an allow, the forbids of a deny (none: default). */
  policies: CompiledPolicy[];
  policyVersion: number;
  /** The patient the request touches, if any: such decisions belong in the audit trail. */
  patientId: string | undefined;
  /** The facts it was decided on; further decisions in the same request about the same patient reuse them. */
  facts: Facts;
}

export interface AccessQuestion {
  principal: Principal;
  action: AccessAction;
  resource: ResourceRef;
}

/** Another node's new policy version reaches this node within this long. */
const RECHECK_MS = 2_000;
const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);

export class PolicyInvalidError extends Error {
  constructor(
    where: string,
    problems: { file: string; line: number; column: number; message: string }[],
  ) {
    super(
      `The access policy (${where}) is invalid:\n${problems
        .map((p) => `  ${p.file}:${p.line}:${p.column}: ${p.message}`)
        .join('\n')}`,
    );
    this.name = 'PolicyInvalidError';
  }
}

/** Compiles a policy set or throws, naming each problem's file, line and column. */
export function engineFor(
  version: number,
  schemaText: string,
  files: readonly PolicyFile[],
  where: string,
  slot?: string,
): PolicyEngine {
  const compiled = compilePolicySet(schemaText, files);
  if (!compiled.ok) throw new PolicyInvalidError(where, compiled.problems);
  return PolicyEngine.create(version, schemaText, compiled.policies, slot);
}

/**
 * The single decision point. It holds the policy set in force (checking every two seconds whether
 * another node adopted a newer one), loads the facts a request needs from the store and asks Cedar.
 */
export class AccessControl {
  private checkedAt = monotonicMs();

  private constructor(
    private readonly store: Store,
    readonly schemaText: string,
    private current: PolicyEngine,
    readonly careWindow: Config['careWindow'],
  ) {}

  /**
   * Writes the shipped set as version 1 on first start, then loads the version in force. An invalid
   * policy (in the shipped files or the store) stops the server with what and where.
   */
  static async open(store: Store, config: Pick<Config, 'careWindow'>): Promise<AccessControl> {
    const schemaText = await readSchema();
    const shipped = await readPolicyFiles();
    engineFor(0, schemaText, shipped, 'policies/', 'shipped');
    await ensureAccessPolicy(store.db, shipped);
    const version = await activeVersionNumber(store.db);
    const row = await readVersion(store.db, version);
    const engine = engineFor(version, schemaText, row!.files, `version ${version} in the store`);
    return new AccessControl(store, schemaText, engine, config.careWindow);
  }

  /** The engine in force; pass the transaction as `db` when inside one (PGlite has one connection). */
  async engine(db: Queryable = this.store.db): Promise<PolicyEngine> {
    if (monotonicMs() - this.checkedAt < RECHECK_MS) return this.current;
    // Inside a transaction the look must go through it (PGlite has one connection).
    if (db !== this.store.db) return this.refresh(db);
    // Outside, one look at a time: callers arriving meanwhile share it rather than queue more.
    this.refreshing ??= this.refresh(db).finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private refreshing: Promise<PolicyEngine> | undefined;

  private async refresh(db: Queryable): Promise<PolicyEngine> {
    const version = await activeVersionNumber(db);
    if (version !== this.current.version) {
      const row = await readVersion(db, version);
      this.current = engineFor(version, this.schemaText, row!.files, `version ${version}`);
    }
    this.checkedAt = monotonicMs();
    return this.current;
  }

  /**
   * The version in force on this node as last seen, without asking the store: for callers that
   * must not wait on it (a room socket's cached decisions), and that a decision made on this node
   * keeps current.
   */
  get version(): number {
    return this.current.version;
  }

  /** The caller of a request in the policy's terms. */
  principalOf(request: FastifyRequest): Principal {
    return principalOf(request);
  }

  /** Makes a newly activated version take effect on this node at once. */
  adopt(engine: PolicyEngine): void {
    this.current = engine;
    this.checkedAt = monotonicMs();
  }

  async facts(
    refs: readonly ResourceRef[],
    now: Date,
    db: Queryable = this.store.db,
  ): Promise<Facts> {
    return loadFacts(db, refs, now, this.careWindow);
  }

  async decide(question: AccessQuestion, now: Date, db?: Queryable): Promise<Decision> {
    const [engine, facts] = await Promise.all([
      this.engine(db),
      this.facts([question.resource], now, db),
    ]);
    return decideWith(engine, question, facts);
  }

  /**
   * Decides a batch within a request (a list page, labelled parts of a section) and keeps what the
   * audit trail needs with the request's other decisions, as the single decision point does.
   */
  async decideForRequest(
    request: FastifyRequest,
    questions: readonly AccessQuestion[],
    now: Date,
    facts?: Facts,
  ): Promise<Decision[]> {
    const decisions = await this.decideMany(questions, now, undefined, facts);
    noteDecisions(request, questions, decisions, now, this.store.db);
    return decisions;
  }

  /** Many questions with one load of facts: for lists, so a page of patients is not N queries. */
  async decideMany(questions: readonly AccessQuestion[], now: Date, db?: Queryable, known?: Facts) {
    const engine = await this.engine(db);
    const facts =
      known ??
      (await this.facts(
        questions.map((q) => q.resource),
        now,
        db,
      ));
    return questions.map((q) => decideWith(engine, q, facts));
  }
}

export function decideWith(engine: PolicyEngine, question: AccessQuestion, facts: Facts): Decision {
  const answer = engine.decide({
    principal: principalUid(question.principal),
    action: question.action,
    resource: resourceUid(question.resource),
    entities: entitiesFor(question.principal, question.resource, facts),
  });
  return {
    allowed: answer.decision === 'allow',
    policies: answer.determining,
    policyVersion: engine.version,
    patientId: patientOf(question.resource, facts),
    facts,
  };
}
