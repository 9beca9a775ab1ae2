import { mkdir, open, readFile, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { SignedTreeHead } from '../tree-head/tree-head.js';

/**
 * A copy of every signed head, one JSON line each, kept outside the store: whoever rewrites the
 * store's tables (heads included) still meets the heads this file kept. Written after the head's
 * transaction commits, so the file never holds a head the store does not.
 */
export async function appendHeadToFile(file: string, head: SignedTreeHead): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const handle = await open(file, 'a+', 0o600);
  try {
    await dropTornLine(handle, file);
    await handle.writeFile(`${JSON.stringify(toJson(head))}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Far longer than any head's line, so a line cut short starts within this many last bytes. */
const TAIL_BYTES = 4096;

/**
 * Cuts off a last line that a crash left without its newline. Its head is in the store (the file
 * is written after the commit) and was never complete here; appending after it would glue the next
 * head onto it and make both unreadable.
 */
async function dropTornLine(handle: FileHandle, file: string): Promise<void> {
  const { size } = await handle.stat();
  if (size === 0) return;
  const tail = Buffer.alloc(Math.min(size, TAIL_BYTES));
  await handle.read(tail, 0, tail.length, size - tail.length);
  if (tail[tail.length - 1] === NEWLINE) return;
  const lastNewline = tail.lastIndexOf(NEWLINE);
  if (lastNewline < 0 && size > TAIL_BYTES) {
    throw new Error(`${file} ends in a line of more than ${TAIL_BYTES} bytes: not a head file.`);
  }
  await handle.truncate(size - tail.length + lastNewline + 1);
}

const NEWLINE = 0x0a;

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
