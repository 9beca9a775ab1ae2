import { describe, expect, it } from 'vitest';
import { withSection } from './results-file.js';

describe('withSection', () => {
  const file = '# Benchmark results\n\n<!-- bench:a -->\n\nold a\n\n<!-- /bench:a -->\n';

  it('replaces only its own section and keeps what is around it', () => {
    const both = withSection(file, 'b', 'first b');
    const next = withSection(both, 'a', 'new a');
    expect(next).toBe(
      '# Benchmark results\n\n<!-- bench:a -->\n\nnew a\n\n<!-- /bench:a -->\n\n' +
        '<!-- bench:b -->\n\nfirst b\n\n<!-- /bench:b -->\n',
    );
    expect(withSection(next, 'b', 'second b')).not.toContain('first b');
  });
});
