import { isIP } from 'node:net';
import type { Config } from '../../platform/config/index.js';

/** Where passkeys are bound: the host and origin browsers use to reach SafeConsult. */
export interface RelyingParty {
  id: string;
  origin: string;
}

/**
 * Browsers bind passkeys to a domain name, never to an IP address, so a server reached by its
 * address alone offers no passkeys (PUBLIC_URL must name the host).
 */
export function relyingParty(config: Config): RelyingParty | undefined {
  const url = new URL(config.publicUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return undefined;
  return { id: host, origin: url.origin };
}
