import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { AccessAction } from '@safeconsult/protocol';
import type { CompiledPolicy } from './compile.js';

export const NAMESPACE = 'SafeConsult';

export interface EntityUid {
  type: string;
  id: string;
}
export interface Entity {
  uid: EntityUid;
  attrs: Record<string, cedar.CedarValueJson>;
  parents: EntityUid[];
}

export const uid = (type: string, id: string): EntityUid => ({ type: `${NAMESPACE}::${type}`, id });

export interface CedarQuestion {
  principal: EntityUid;
  action: AccessAction;
  resource: EntityUid;
  entities: Entity[];
}

export interface CedarAnswer {
  decision: 'allow' | 'deny';
  /** The policies that made the decision: the permits of an allow, the forbids of a deny. */
  determining: CompiledPolicy[];
  /** Policies that could not be evaluated for this request; they count as not applying. */
  errors: string[];
}

let schemaPreparsed: string | undefined;

/**
 * A validated policy set, parsed once into Cedar's own memory so that a decision costs an
 * evaluation, not a parse. Each engine owns one slot there, named after its version.
 */
export class PolicyEngine {
  private constructor(
    readonly version: number,
    readonly policies: ReadonlyMap<string, CompiledPolicy>,
    private readonly slot: string,
  ) {}

  /** `slot` is reused by a later engine of the same name (what-if trials overwrite one slot). */
  static create(
    version: number,
    schemaText: string,
    policies: ReadonlyMap<string, CompiledPolicy>,
    slot = `v${version}`,
  ): PolicyEngine {
    if (schemaPreparsed !== schemaText) {
      expectSuccess(cedar.preparseSchema(NAMESPACE, schemaText), 'schema');
      schemaPreparsed = schemaText;
    }
    const staticPolicies = Object.fromEntries([...policies].map(([id, p]) => [id, p.text]));
    expectSuccess(cedar.preparsePolicySet(slot, { staticPolicies }), 'policy set');
    return new PolicyEngine(version, policies, slot);
  }

  decide(question: CedarQuestion): CedarAnswer {
    const answer = cedar.statefulIsAuthorized({
      principal: question.principal,
      action: uid('Action', question.action),
      resource: question.resource,
      context: {},
      entities: question.entities,
      preparsedPolicySetId: this.slot,
      preparsedSchemaName: NAMESPACE,
      validateRequest: true,
    });
    if (answer.type === 'failure') {
      // A request the schema does not allow (a wrong resource type for the action): refused.
      return { decision: 'deny', determining: [], errors: answer.errors.map((e) => e.message) };
    }
    const { decision, diagnostics } = answer.response;
    return {
      decision,
      determining: diagnostics.reason.flatMap((id) => this.policies.get(id) ?? []),
      errors: diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`),
    };
  }
}

function expectSuccess(answer: cedar.CheckParseAnswer, what: string) {
  if (answer.type === 'failure') {
    throw new Error(`the ${what} did not parse: ${answer.errors.map((e) => e.message).join('; ')}`);
  }
}
