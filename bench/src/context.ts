import { randomBytes } from 'node:crypto';
import { createContext, type AppContext } from '../../server/src/context.js';
import { loadConfig } from '../../server/src/platform/config/index.js';
import { createLogger, type Logger } from '../../server/src/platform/log/index.js';

/** A server context for a bench on the given store, with a fresh master key and no log. */
export async function contextOn(
  env: Record<string, string>,
  log: Logger = createLogger('silent'),
): Promise<AppContext> {
  const config = loadConfig({
    MASTER_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    // The benchmark signs in with a password alone; the second factor is not what is measured.
    MFA_REQUIRED_ROLES: 'none',
    ...env,
  });
  return createContext(config, log);
}
