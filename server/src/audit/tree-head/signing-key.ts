import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { mkdir, open, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Where the tree-head signing key comes from: kept apart from the database, so that whoever can
 * rewrite the ledger's tables cannot also sign a head for the rewritten ledger.
 */
export type TreeHeadKeySource = { kind: 'env'; pem: string } | { kind: 'file'; path: string };

/** What a verifier is given: the public key alone, named by its key id. */
export interface TreeHeadVerifyingKey {
  publicKey: KeyObject;
  /** The first 16 bytes of SHA-256 of the raw 32-byte public key, in hex. */
  keyId: string;
}

export interface TreeHeadSigningKey extends TreeHeadVerifyingKey {
  privateKey: KeyObject;
}

export class TreeHeadKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreeHeadKeyError';
  }
}

export function keyIdOf(publicKey: KeyObject): string {
  const { x } =
    publicKey.asymmetricKeyType === 'ed25519' ? publicKey.export({ format: 'jwk' }) : {};
  if (x === undefined) {
    throw new TreeHeadKeyError('A tree-head key is an Ed25519 key.');
  }
  return createHash('sha256').update(Buffer.from(x, 'base64url')).digest('hex').slice(0, 32);
}

export function publicKeyPem(key: TreeHeadVerifyingKey): string {
  return key.publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

export function verifyingKeyFromPem(pem: string): TreeHeadVerifyingKey {
  // A private key would also yield a public one; refusing it keeps signing keys off verifiers.
  const publicKey = pem.includes('-----BEGIN PUBLIC KEY-----') ? parse(createPublicKey, pem) : null;
  if (publicKey?.asymmetricKeyType !== 'ed25519') {
    throw new TreeHeadKeyError(
      'The tree-head verifying key is not a PEM-encoded Ed25519 public key.',
    );
  }
  return { publicKey, keyId: keyIdOf(publicKey) };
}

/**
 * Reads the signing key from the environment or its file. The file is created on first start with
 * mode 0600 (unless `create` is false, as for a verifier, which must not mint a key of its own); an
 * existing file readable by others is refused, as ssh refuses a loose private key. An environment
 * value may carry its line breaks as "\n", as .env files often must.
 */
export async function loadTreeHeadSigningKey(
  source: TreeHeadKeySource,
  { create = true }: { create?: boolean } = {},
): Promise<TreeHeadSigningKey & { created: boolean }> {
  if (source.kind === 'env') {
    const key = signingKeyFromPem(source.pem.replaceAll('\\n', '\n'));
    if (!key) {
      throw new TreeHeadKeyError(
        'The tree-head signing key from the environment is not a PEM-encoded Ed25519 private key.',
      );
    }
    return { ...key, created: false };
  }
  const file = source.path;
  const created = create && (await createIfMissing(file));
  const info = await stat(file).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new TreeHeadKeyError(`The tree-head signing key file ${file} does not exist.`);
  });
  if ((info.mode & 0o077) !== 0) {
    const mode = (info.mode & 0o777).toString(8);
    throw new TreeHeadKeyError(
      `The tree-head signing key file ${file} is readable by other users (mode ${mode}). Run: chmod 600 ${file}`,
    );
  }
  const key = signingKeyFromPem(await readFile(file, 'utf8'));
  if (!key) {
    throw new TreeHeadKeyError(
      `The tree-head signing key file ${file} does not hold a PEM-encoded Ed25519 private key.`,
    );
  }
  return { ...key, created };
}

function signingKeyFromPem(pem: string): TreeHeadSigningKey | undefined {
  const privateKey = parse(createPrivateKey, pem);
  if (privateKey?.asymmetricKeyType !== 'ed25519') return undefined;
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: keyIdOf(publicKey) };
}

/** Parse errors are dropped: the caller's message says what was expected, without key material. */
function parse(load: (pem: string) => KeyObject, pem: string): KeyObject | null {
  try {
    return load(pem);
  } catch {
    return null;
  }
}

async function createIfMissing(file: string): Promise<boolean> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  let handle;
  try {
    // 'wx' fails if the file exists, so two starting processes never overwrite each other's key.
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    const { privateKey } = generateKeyPairSync('ed25519');
    await handle.writeFile(privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}
