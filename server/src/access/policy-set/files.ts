import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PolicyFile } from '@safeconsult/protocol';

/** The policy folder shipped with the server: the schema and the default policy set. */
export const DEFAULT_POLICY_DIR = fileURLToPath(new URL('../../../../policies', import.meta.url));

export const SCHEMA_FILE = 'schema.cedarschema';

export async function readSchema(dir = DEFAULT_POLICY_DIR): Promise<string> {
  return readFile(path.join(dir, SCHEMA_FILE), 'utf8');
}

/** The `.cedar` files of a folder, in name order. */
export async function readPolicyFiles(dir = DEFAULT_POLICY_DIR): Promise<PolicyFile[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.cedar')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, text: await readFile(path.join(dir, name), 'utf8') })),
  );
}
