import { createHmac } from 'node:crypto';
import type { IceServer } from '@safeconsult/protocol';
import type { IceConfig } from '../../platform/config/index.js';

/**
 * The ICE servers for one participant: STUN as configured, and TURN with credentials of their own
 * that expire (the TURN REST convention coturn implements with `use-auth-secret`): the user name
 * is `<expiry in Unix seconds>:<participant id>`, the password base64(HMAC-SHA1(secret, user
 * name)). The TURN server checks them with the shared secret alone, so nothing is stored.
 */
export function iceServersFor(ice: IceConfig, participantId: string, now: Date): IceServer[] {
  const servers: IceServer[] = [];
  if (ice.stunUrls.length > 0) servers.push({ urls: ice.stunUrls });
  if (ice.turn) {
    const expiry = Math.floor((now.getTime() + ice.turn.credentialMs) / 1000);
    const username = `${expiry}:${participantId}`;
    const credential = createHmac('sha1', ice.turn.secret).update(username).digest('base64');
    servers.push({ urls: ice.turn.urls, username, credential });
  }
  return servers;
}
