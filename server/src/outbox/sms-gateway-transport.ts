import type { SmsGatewayConfig } from '../platform/config/index.js';
import { DeliveryFailure, type MessageTransport } from './transport.js';

/** A gateway that does not answer in this time is tried again later; well under the claim. */
const SMS_GATEWAY_TIMEOUT_MS = 15_000;

/**
 * A generic HTTPS SMS gateway: each text is POSTed as JSON `{to, text}` with a bearer token, and any
 * 2xx answer means the gateway has taken it. Only the status code is kept about a refusal, since
 * gateways echo numbers and text in their answers.
 */
export function createSmsGatewayTransport(config: SmsGatewayConfig): MessageTransport {
  return {
    async send(message) {
      let response: Response;
      try {
        response = await fetch(config.url, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${config.token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ to: message.recipient, text: message.body }),
          redirect: 'error',
          signal: AbortSignal.timeout(SMS_GATEWAY_TIMEOUT_MS),
        });
      } catch (error) {
        const timedOut = error instanceof Error && error.name === 'TimeoutError';
        throw new DeliveryFailure(timedOut ? 'SMS gateway timed out' : 'SMS gateway unreachable');
      }
      // Drained so the connection can be reused; its content is not kept.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) throw new DeliveryFailure(`SMS gateway answered ${response.status}`);
    },
    close: () => undefined,
  };
}
