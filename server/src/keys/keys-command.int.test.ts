import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext } from '../test-support/context.js';
import { runCommandProcess } from '../test-support/server-process.js';
import { seedProtectedData } from '../test-support/protected-data.js';
import { createTestStore, storeTargets, type TestStoreEnv } from '../test-support/stores.js';
import { runKeysCommand } from './index.js';

async function run(args: string[], env: Record<string, string>) {
  const output = { stdout: '', stderr: '' };
  const code = await runKeysCommand(args, env, {
    stdout: (text) => (output.stdout += text),
    stderr: (text) => (output.stderr += text),
  });
  return { code, ...output };
}

describe('safeconsult keys, before it opens a store', () => {
  it('prints its usage on --help, and exits 2 with it on a wrong subcommand or option', async () => {
    const env = { DATA_DIR: '/nonexistent/safeconsult' };
    expect(await run(['rotate', '--help'], env)).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Usage: safeconsult keys status/) as string,
    });
    for (const args of [
      [],
      ['spin'],
      ['rotate', '--frobnicate'],
      ['rotate', '--activate-after', 'x'],
    ]) {
      expect(await run(args, env)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('Usage: safeconsult keys') as string,
      });
    }
  });

  it('creates neither a store nor a master key where there is none', async () => {
    const dir = path.join('/tmp', `sc-keys-${randomBytes(4).toString('hex')}`);
    expect(await run(['status'], { DATA_DIR: dir })).toMatchObject({
      code: 2,
      stderr: `The master key file ${path.join(dir, 'master.key')} does not exist: set MASTER_KEY_FILE or MASTER_KEY.\n`,
    });
    const env = { DATA_DIR: dir, MASTER_KEY: randomBytes(32).toString('base64') };
    expect(await run(['status'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('There is no embedded store') as string,
    });
    await expect(stat(dir)).rejects.toThrow();
  });
});

describe.each(storeTargets())('safeconsult keys on %s', (target) => {
  let store: TestStoreEnv;
  let env: Record<string, string>;
  beforeAll(async () => {
    store = await createTestStore(target);
    env = { ...store.env, MASTER_KEY: randomBytes(32).toString('base64') };
    const tc = await createTestContext(target, env, store);
    await seedProtectedData(tc.ctx);
    if (target === 'pglite') {
      // The running server holds the embedded store: the command says what to do instead.
      const refused = await runCommandProcess(env, ['keys', 'rotate']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('stop the server, run "safeconsult keys rotate --add-only"');
    }
    await tc.close();
  });
  afterAll(() => store.cleanup());

  it('rotates, reports, retires, and re-wraps under a new master key', async () => {
    const status = await run(['status'], env);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/phi-fields v1: active, \d+ values/);
    expect(status.stdout).toContain('Every stored value is sealed under the active version v1.');

    const added = await run(['rotate', '--add-only', '--activate-after', '0'], env);
    expect(added).toMatchObject({ code: 0, stderr: '' });
    expect(added.stdout).toContain('Added phi-fields key version 2');
    const pending = await run(['status'], env);
    expect(pending.stdout).toContain('phi-fields v1: opens only');
    expect(pending.stdout).toMatch(/patient\.resource: 3 under v1/);

    const rotated = await run(['rotate', '--activate-after', '0'], env);
    expect(rotated).toMatchObject({ code: 0, stderr: '' });
    expect(rotated.stdout).toContain('Added phi-fields key version 3');
    expect(rotated.stdout).toMatch(/Done: \d+ values re-sealed, 0 changed meanwhile/);
    expect(rotated.stdout).toContain('Every stored value is sealed under the active version');

    expect((await run(['retire'], env)).stdout).toBe('Retired phi-fields key versions 1, 2.\n');
    const after = await run(['status'], env);
    expect(after.stdout).not.toContain('phi-fields v1');
    expect(after.stdout).toMatch(/phi-fields v3: active, \d+ values/);

    const keyFile = path.join(store.dataDir, 'new-master.key');
    const rewrapped = await run(['rotate-master', '--new-key-file', keyFile], env);
    expect(rewrapped).toMatchObject({ code: 0, stderr: '' });
    expect(rewrapped.stdout).toMatch(/^Re-wrapped 2 data keys under master key [0-9a-f]{16}/);
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    expect(await run(['status'], env)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('Restore the original master key') as string,
    });
    const { MASTER_KEY: _replaced, ...withoutKey } = env;
    const withNewKey = { ...withoutKey, MASTER_KEY_FILE: keyFile };
    // The entry point runs the same command.
    const cli = await runCommandProcess(withNewKey, ['keys', 'status']);
    expect(cli).toMatchObject({ code: 0, stderr: '' });
    expect(cli.stdout).toContain(
      `wrapped by master key ${/[0-9a-f]{16}/.exec(rewrapped.stdout)?.[0]}`,
    );
    expect(await run(['rotate-master'], withNewKey)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('rotate-master needs --new-key-file FILE') as string,
    });
  });
});
