import { describe, expect, it } from 'vitest';
import { filePurpose } from './policy-source.js';

describe('filePurpose', () => {
  it('is the opening comment block, joined into one sentence', () => {
    const text = [
      "// Administrators run the clinic's accounts and settings. They do not read clinical content:",
      '//   whoever manages accounts cannot also quietly read records.',
      '',
      '// Another comment further down.',
      '@id("admin-settings")',
    ].join('\n');
    expect(filePurpose(text)).toBe(
      "Administrators run the clinic's accounts and settings. They do not read clinical content: whoever manages accounts cannot also quietly read records.",
    );
  });

  it('skips what comes before the first comment, and is empty without one', () => {
    expect(filePurpose('\n\n// Emergency access.\npermit (principal, action, resource);')).toBe(
      'Emergency access.',
    );
    expect(filePurpose('permit (principal, action, resource);')).toBe('');
    expect(filePurpose('// Only a comment')).toBe('Only a comment');
  });
});
