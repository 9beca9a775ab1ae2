import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SignedTreeHead } from '../tree-head/tree-head.js';

/**
 * A copy of every signed head, one JSON line each, kept outside the store: whoever rewrites the
 * store's tables (heads included) still meets the heads this file kept. Written after the head's
 * transaction commits, so the file never holds a head the store does not.
 */
export async function appendHeadToFile(file: string, head: SignedTreeHead): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, 'a', 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(toJson(head))}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A line of a head file that is not a signed tree head: perhaps a forged one. */
export class HeadFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
  ) {
    super(`${file}, line ${line}: not a signed tree head.`);
    this.name = 'HeadFileError';
  }
}

/**
 * The heads in a head file; a missing file has none. A line cut short by a crash is skipped (the
 * store keeps that head); any other unreadable line is an error, as it may be a forged one.
 */
export async function readHeadFile(file: string): Promise<SignedTreeHead[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // Every complete line ends in a newline: the last piece is empty, or the line a crash cut short.
  const complete = text.split('\n').slice(0, -1);
  return complete.map((line, index) => {
    const head = fromJson(line);
    if (!head) throw new HeadFileError(file, index + 1);
    return head;
  });
}

interface HeadJson {
  treeSize: number;
  rootHash: string;
  timestamp: number;
  keyId: string;
  signature: string;
}

export function toJson(head: SignedTreeHead): HeadJson {
  return {
    treeSize: head.treeSize,
    rootHash: Buffer.from(head.rootHash).toString('hex'),
    timestamp: head.timestamp,
    keyId: head.keyId,
    signature: Buffer.from(head.signature).toString('base64'),
  };
}

function fromJson(line: string): SignedTreeHead | undefined {
  try {
    const value = JSON.parse(line) as Partial<HeadJson>;
    const { treeSize, rootHash, timestamp, keyId, signature } = value;
    if (
      typeof treeSize !== 'number' ||
      typeof rootHash !== 'string' ||
      typeof timestamp !== 'number' ||
      typeof keyId !== 'string' ||
      typeof signature !== 'string'
    ) {
      return undefined;
    }
    return {
      treeSize,
      rootHash: Buffer.from(rootHash, 'hex'),
      timestamp,
      keyId,
      signature: Buffer.from(signature, 'base64'),
    };
  } catch {
    return undefined;
  }
}
