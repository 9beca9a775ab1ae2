import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SignedTreeHead } from '../tree-head/tree-head.js';
import { appendHeadToFile, HeadFileError, readHeadFile, toJson } from './head-file.js';

const headOf = (treeSize: number): SignedTreeHead => ({
  treeSize,
  rootHash: Buffer.alloc(32, treeSize),
  timestamp: Date.UTC(2026, 10, 25, 9, treeSize % 60),
  keyId: 'k1',
  signature: Buffer.alloc(64, treeSize),
});

describe('the heads file', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'heads-'));
    file = path.join(dir, 'audit', 'heads.jsonl');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps every head appended, in order; a missing file has none', async () => {
    expect(await readHeadFile(file)).toEqual([]);
    for (const size of [10, 20, 30]) await appendHeadToFile(file, headOf(size));
    const heads = await readHeadFile(file);
    expect(heads.map((h) => toJson(h))).toEqual([10, 20, 30].map((n) => toJson(headOf(n))));
  });

  it('skips a last line cut short by a crash, and the next append does not glue onto it', async () => {
    await appendHeadToFile(file, headOf(10));
    const torn = JSON.stringify(toJson(headOf(20))).slice(0, 40);
    await appendFile(file, torn);
    expect((await readHeadFile(file)).map((h) => h.treeSize)).toEqual([10]);

    await appendHeadToFile(file, headOf(30));
    expect((await readHeadFile(file)).map((h) => h.treeSize)).toEqual([10, 30]);
    expect(await readFile(file, 'utf8')).not.toContain(torn);
  });

  it('refuses a complete line that is not a head, naming it', async () => {
    await appendHeadToFile(file, headOf(10));
    await appendFile(file, '{"treeSize":"lots"}\n');
    await expect(readHeadFile(file)).rejects.toThrow(HeadFileError);
    await expect(readHeadFile(file)).rejects.toThrow(/line 2/);
  });
});
