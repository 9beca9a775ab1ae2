import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { envSchema } from './platform/config/index.js';
import { ERROR_CATALOGUE } from './platform/http/index.js';

const read = (relative: string) => readFileSync(new URL(relative, import.meta.url), 'utf8');

/** The first cell of each row of the table that follows `heading`'s section. */
function tableKeys(markdown: string, heading: string): string[] {
  const section = markdown.split(heading)[1]?.split('\n## ')[0] ?? '';
  return [...section.matchAll(/^\|\s*`([^`]+)`\s*\|/gm)].map((m) => m[1] ?? '');
}

describe('documentation kept in step with the code', () => {
  it('the README documents every environment variable, and no other', () => {
    const documented = tableKeys(read('../../README.md'), '## Configuration');
    expect(documented.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('docs/errors.md documents every error code with its status, and no other', () => {
    const doc = read('../../docs/errors.md');
    const rows = [...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|/gm)].map((m) => [
      m[1],
      Number(m[2]),
    ]);
    expect(rows.sort()).toEqual(
      Object.entries(ERROR_CATALOGUE)
        .map(([code, entry]) => [code, entry.status])
        .sort(),
    );
  });
});
