import { createTransport } from 'nodemailer';
import { DeliveryFailure, type MessageTransport } from './transport.js';

/**
 * Library defaults wait up to minutes on a silent relay; a queue retries anyway, so give up sooner
 * and keep shutdown (which waits for the send in flight) short.
 */
export const SMTP_TIMEOUTS = {
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
};

export function createSmtpTransport(options: { url: string; from: string }): MessageTransport {
  const mailer = createTransport({ url: options.url, ...SMTP_TIMEOUTS });
  return {
    async send(message) {
      try {
        await mailer.sendMail({
          from: options.from,
          to: message.recipient,
          subject: message.subject,
          text: message.body,
          attachments: (message.attachments ?? []).map((a) => ({
            filename: a.filename,
            contentType: a.contentType,
            content: Buffer.from(a.content, 'base64'),
          })),
          // RFC 3834: an automatic message, so vacation responders do not answer it.
          headers: { 'Auto-Submitted': 'auto-generated' },
        });
      } catch (error) {
        throw new DeliveryFailure(describeSmtpError(error));
      }
    },
    close: () => mailer.close(),
  };
}

/**
 * The error code, the SMTP command and the relay's reply code, and nothing else: the message text
 * and the relay's reply can name the recipient ("550 <ann@example.org>: unknown user").
 */
export function describeSmtpError(error: unknown): string {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    command?: unknown;
    responseCode?: unknown;
  };
  const code = typeof e.code === 'string' && /^[A-Z_]+$/.test(e.code) ? e.code : 'ERROR';
  const command = typeof e.command === 'string' && /^[A-Z ]+$/.test(e.command) ? e.command : '';
  const reply = typeof e.responseCode === 'number' ? String(e.responseCode) : '';
  if (command && reply) return `${code}: ${command} answered ${reply}`;
  if (reply) return `${code}: relay answered ${reply}`;
  return code;
}
