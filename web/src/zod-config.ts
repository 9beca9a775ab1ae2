import { z } from 'zod';

/*
 * zod decides at schema construction whether to compile parsers with `new Function`, probing
 * for it first. The page's Content-Security-Policy forbids eval, so the probe would be reported
 * as a violation on every load. This module must run before any schema is built: main.tsx
 * imports it first, and ES modules run in the order they are imported.
 */
z.config({ jitless: true });
