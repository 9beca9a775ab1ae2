import type { FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';

export const CSP_REPORT_PATH = '/api/security/csp-reports';

/**
 * The Content-Security-Policy for everything we serve: our own scripts and styles only, no framing,
 * no plugins, and violations reported to us so the security officer sees injection attempts.
 * `connect-src 'self'` covers same-origin WebSocket in current browsers.
 */
export function contentSecurityPolicy(https: boolean): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'media-src': ["'self'", 'blob:'],
    'connect-src': ["'self'"],
    'font-src': ["'self'"],
    'worker-src': ["'self'"],
    'manifest-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    'report-uri': [CSP_REPORT_PATH],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** The header value for a set of directives, in the form helmet writes it. */
export function cspHeaderValue(directives: Record<string, string[]>): string {
  return Object.entries(directives)
    .map(([name, values]) => [name, ...values].join(' '))
    .join(';');
}

/** Browsers may use the camera, microphone and screen for consults here, and nothing else. */
const PERMISSIONS_POLICY =
  'camera=(self), microphone=(self), display-capture=(self), fullscreen=(self), geolocation=(), payment=(), usb=()';

/** Long-lived caching only for content-hashed build output; everything else is never stored. */
const IMMUTABLE_PREFIX = '/assets/';

export async function registerSecurityHeaders(app: FastifyInstance, https: boolean) {
  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityPolicy(https) },
    strictTransportSecurity: https ? { maxAge: 63072000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginEmbedderPolicy: false,
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
    xContentTypeOptions: true,
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('Permissions-Policy', PERMISSIONS_POLICY);
    const path = request.url.split('?', 1)[0] ?? '';
    const immutable = path.startsWith(IMMUTABLE_PREFIX) && reply.statusCode === 200;
    reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-store');
    return payload;
  });
}
