import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAuditCommand } from './verify-command.js';

describe('safeconsult audit verify, before it reads a store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sc-verify-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function run(args: string[], env: Record<string, string> = { DATA_DIR: dir }) {
    const output = { stdout: '', stderr: '' };
    const code = await runAuditCommand(args, env, {
      stdout: (text) => (output.stdout += text),
      stderr: (text) => (output.stderr += text),
    });
    return { code, ...output };
  }

  it('prints its usage on --help, and exits 2 with it on a wrong subcommand or option', async () => {
    expect(await run(['verify', '--help'])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^Usage: safeconsult audit verify/) as string,
    });
    for (const args of [[], ['check'], ['verify', '--public-key'], ['verify', '--frobnicate']]) {
      expect(await run(args)).toMatchObject({
        code: 2,
        stdout: '',
        stderr: expect.stringContaining('Usage: safeconsult audit verify') as string,
      });
    }
  });

  it('exits 2 on bad configuration, and never creates a store or a key', async () => {
    expect(await run(['verify'], { DATA_DIR: dir, DATABASE_URL: 'mysql://x' })).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('DATABASE_URL: must be a postgres://') as string,
    });
    expect(await run(['verify'])).toMatchObject({
      code: 2,
      stderr: `There is no embedded store at ${path.join(dir, 'pglite')}: set DATA_DIR to its folder.\n`,
    });
    const url = 'postgres://nobody@127.0.0.1:1/none';
    const keyFile = path.join(dir, 'audit-signing-key.pem');
    expect(await run(['verify'], { DATA_DIR: dir, DATABASE_URL: url })).toMatchObject({
      code: 2,
      stderr: `The tree-head signing key file ${keyFile} does not exist. Pass the public key with --public-key FILE.\n`,
    });
    const missing = path.join(dir, 'public.pem');
    const withKey = ['verify', '--public-key', missing];
    expect(await run(withKey, { DATA_DIR: dir, DATABASE_URL: url })).toMatchObject({
      code: 2,
      stderr: `The public key file ${missing} does not exist.\n`,
    });
    expect(await readdir(dir)).toEqual([]);
  });

  it('exits 1 on a heads file with a line that is not a head, and 2 on one that is missing', async () => {
    const dataDir = path.join(dir, 'data');
    await mkdir(path.join(dataDir, 'pglite'), { recursive: true });
    const publicKey = path.join(dir, 'public.pem');
    const { publicKey: key } = generateKeyPairSync('ed25519');
    await writeFile(publicKey, key.export({ type: 'spki', format: 'pem' }));
    const headsFile = path.join(dir, 'heads.jsonl');
    await writeFile(headsFile, '{"treeSize":1}\n');
    const args = ['verify', '--public-key', publicKey, '--heads-file'];
    expect(await run([...args, headsFile], { DATA_DIR: dataDir })).toMatchObject({
      code: 1,
      stdout: `Audit ledger NOT verified: ${headsFile}, line 1: not a signed tree head.\n  failed check: heads-file (after reading 0 entries)\n`,
    });
    const missing = path.join(dir, 'no-heads.jsonl');
    expect(await run([...args, missing], { DATA_DIR: dataDir })).toMatchObject({
      code: 2,
      stderr: `The heads file ${missing} does not exist.\n`,
    });
  });
});
