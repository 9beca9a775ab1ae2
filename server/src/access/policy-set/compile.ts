import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { PolicyFile, PolicyProblem } from '@safeconsult/protocol';

/** One policy of the set, with where it came from and what its author wrote above it. */
export interface CompiledPolicy {
  id: string;
  file: string;
  effect: 'permit' | 'forbid';
  explanation: string;
  text: string;
}

export type Compilation =
  { ok: true; policies: Map<string, CompiledPolicy> } | { ok: false; problems: PolicyProblem[] };

interface DetailedError {
  message: string;
  help: string | null;
  sourceLocations?: { start: number }[];
  related?: DetailedError[];
}

/** Line and column (1-based) of a character offset. */
function position(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

function problemsOf(file: string, text: string, errors: DetailedError[]): PolicyProblem[] {
  return errors.map((error) => {
    const offset =
      error.sourceLocations?.[0]?.start ?? error.related?.[0]?.sourceLocations?.[0]?.start ?? 0;
    const related = (error.related ?? []).map((r) => r.message).filter((m) => m !== error.message);
    const message = [error.message, ...related, error.help].filter(Boolean).join('; ');
    return { file, ...position(text, offset), message };
  });
}

/** The comment lines directly above a policy's first line: its plain-language explanation. */
function explanationAbove(fileText: string, policyText: string): string {
  const at = fileText.indexOf(policyText);
  if (at < 0) return '';
  const lines = fileText.slice(0, at).split('\n');
  lines.pop(); // the start of the policy's own line
  const comment: string[] = [];
  while (lines.length > 0 && lines[lines.length - 1]!.trim().startsWith('//')) {
    comment.unshift(
      lines
        .pop()!
        .trim()
        .replace(/^\/\/\s?/, ''),
    );
  }
  return comment.join(' ');
}

export function checkSchema(schemaText: string): PolicyProblem[] {
  const parsed = cedar.checkParseSchema(schemaText);
  return parsed.type === 'success'
    ? []
    : problemsOf('schema.cedarschema', schemaText, parsed.errors);
}

/**
 * Parses each file, validates it against the schema (strict mode) and collects its policies under
 * their `@id`. Problems name the file, line and column; none of them leaves a partial set.
 */
export function compilePolicySet(schemaText: string, files: readonly PolicyFile[]): Compilation {
  const schemaProblems = checkSchema(schemaText);
  if (schemaProblems.length > 0) return { ok: false, problems: schemaProblems };
  const problems: PolicyProblem[] = [];
  const policies = new Map<string, CompiledPolicy>();
  for (const { name, text } of files) {
    const validation = cedar.validate({ schema: schemaText, policies: { staticPolicies: text } });
    if (validation.type === 'failure') {
      problems.push(...problemsOf(name, text, validation.errors));
      continue;
    }
    problems.push(
      ...problemsOf(
        name,
        text,
        validation.validationErrors.map((e) => e.error),
      ),
    );
    const parts = cedar.policySetTextToParts(text);
    if (parts.type === 'failure') {
      problems.push(...problemsOf(name, text, parts.errors));
      continue;
    }
    if (parts.policy_templates.length > 0) {
      problems.push({ file: name, line: 1, column: 1, message: 'templates are not supported' });
    }
    for (const policyText of parts.policies) {
      const json = cedar.policyToJson(policyText);
      const at = position(text, Math.max(0, text.indexOf(policyText)));
      if (json.type === 'failure') {
        problems.push(...problemsOf(name, text, json.errors));
        continue;
      }
      const id = json.json.annotations?.id;
      if (!id) {
        problems.push({ file: name, ...at, message: 'every policy needs an @id("…") annotation' });
      } else if (policies.has(id)) {
        const first = policies.get(id)!.file;
        problems.push({ file: name, ...at, message: `@id("${id}") is already used in ${first}` });
      } else {
        policies.set(id, {
          id,
          file: name,
          effect: json.json.effect,
          explanation: explanationAbove(text, policyText),
          text: policyText,
        });
      }
    }
  }
  if (files.length === 0) {
    problems.push({ file: '', line: 1, column: 1, message: 'the policy set has no files' });
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, policies };
}
