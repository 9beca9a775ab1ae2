import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import de from './locales/de.json';
import en from './locales/en.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(name, value);
    else for (const [k, v] of flatten(value, name)) out.set(k, v);
  }
  return out;
}

const SRC = fileURLToPath(new URL('..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Keys named in the source: t('…') calls and the *Key props and fields that feed them. */
function keysUsedInSource(): Set<string> {
  const used = new Set<string>();
  const pattern = /(?:\bt\(|Key[=:]\s*\{?)\s*['"]([a-zA-Z]+\.[a-zA-Z0-9.]+)['"]/g;
  const listed = /['"]((?:join|console|admin|home)\.[a-zA-Z0-9]+)['"]/g;
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(pattern)) used.add(m[1] ?? '');
    for (const m of text.matchAll(listed)) used.add(m[1] ?? '');
  }
  return used;
}

describe('translations', () => {
  const english = flatten(en);
  const german = flatten(de);

  it('English and German have exactly the same keys', () => {
    const missingInGerman = [...english.keys()].filter((k) => !german.has(k));
    const missingInEnglish = [...german.keys()].filter((k) => !english.has(k));
    expect({ missingInGerman, missingInEnglish }).toEqual({
      missingInGerman: [],
      missingInEnglish: [],
    });
  });

  it('no text is empty, and German is not English left untranslated', () => {
    for (const [key, text] of [...english, ...german]) expect(text.trim(), key).not.toBe('');
    // Words that are the same in both languages.
    const sameInBoth = new Set([
      'app.name',
      'staff.name',
      'staff.status',
      'patients.name',
      'record.status',
      'accessPolicy.version',
    ]);
    const same = [...english].filter(([k, v]) => german.get(k) === v && !sameInBoth.has(k));
    expect(same).toEqual([]);
  });

  it('every key the source uses exists', () => {
    const used = keysUsedInSource();
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((k) => !english.has(k))).toEqual([]);
  });
});
