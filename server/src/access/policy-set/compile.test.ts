import { beforeAll, describe, expect, it } from 'vitest';
import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import { ACCESS_ACTIONS } from '@safeconsult/protocol';
import { compilePolicySet } from './compile.js';
import { readPolicyFiles, readSchema } from './files.js';

let schema: string;
beforeAll(async () => {
  schema = await readSchema();
});

const file = (name: string, text: string) => ({ name, text });

describe('compiling a policy set', () => {
  it('accepts the shipped set, keeping each policy with its file and plain-language comment', async () => {
    const compiled = compilePolicySet(schema, await readPolicyFiles());
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const careTeam = compiled.policies.get('care-team')!;
    expect(careTeam).toMatchObject({ file: 'clinical-care.cedar', effect: 'permit' });
    expect(careTeam.explanation).toBe(
      "On the patient's care team: the whole record, to read and to write.",
    );
    expect(compiled.policies.get('consent-excluded-staff')!.effect).toBe('forbid');
  });

  it('knows exactly the actions the API names', () => {
    const json = cedar.schemaToJson(schema);
    if (json.type !== 'success') throw new Error('the schema did not convert');
    expect(Object.keys(json.json.SafeConsult!.actions).sort()).toEqual([...ACCESS_ACTIONS].sort());
  });

  it('names the file, line and column of a syntax error', () => {
    const compiled = compilePolicySet(schema, [
      file(
        'a.cedar',
        '// fine\n@id("x")\npermit (principal, action, resource)\n  when { principal ==  };\n',
      ),
    ]);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problems[0]).toMatchObject({ file: 'a.cedar', line: 4 });
  });

  it('names an attribute the schema does not have, with the line it is on', () => {
    const compiled = compilePolicySet(schema, [
      file(
        'b.cedar',
        '@id("y")\npermit (\n  principal,\n  action == SafeConsult::Action::"readRecord",\n  resource is SafeConsult::RecordSection\n)\nwhen { resource.nope };\n',
      ),
    ]);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problems).toHaveLength(1);
    expect(compiled.problems[0]).toMatchObject({ file: 'b.cedar', line: 7 });
    expect(compiled.problems[0]?.message).toContain('nope');
  });

  it('requires a unique @id on every policy', () => {
    const policy = 'permit (principal, action == SafeConsult::Action::"viewSettings", resource);';
    const compiled = compilePolicySet(schema, [
      file('c.cedar', `${policy}\n`),
      file('d.cedar', `@id("same")\n${policy}\n`),
      file('e.cedar', `\n\n@id("same")\n${policy}\n`),
    ]);
    expect(compiled.ok).toBe(false);
    if (compiled.ok) return;
    expect(compiled.problems.map((p) => [p.file, p.line, p.message])).toEqual([
      ['c.cedar', 1, 'every policy needs an @id("…") annotation'],
      ['e.cedar', 3, '@id("same") is already used in d.cedar'],
    ]);
  });
});
