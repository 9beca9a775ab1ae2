import type { FastifyInstance, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { StaffRole } from '@safeconsult/protocol';

/**
 * What a route declares about who may call it. Every route must carry one; a route without it
 * stops the server at start. The access-policy module adds the policy-decided kind.
 */
export type RouteAccess =
  | { kind: 'public'; why: string }
  /**
   * A live staff session; with `roles`, only those roles. Unless `secondFactorStep` is set, the
   * session must have completed its second factor where one is owed.
   */
  | {
      kind: 'signed-in';
      roles?: readonly StaffRole[];
      secondFactorStep?: true;
      /** A sensitive action: the user must have proved their password (and factor) recently. */
      recentAuthentication?: true;
    }
  /** A patient's or companion's session from an invitation link: one appointment, no account. */
  | { kind: 'participant' }
  /** Files served by a plugin (the web app, the API docs): public, and outside the JSON schema rule. */
  | { kind: 'public-files'; why: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

export const publicRoute = (why: string): RouteAccess => ({ kind: 'public', why });
export const signedIn = (...roles: StaffRole[]): RouteAccess =>
  roles.length > 0 ? { kind: 'signed-in', roles } : { kind: 'signed-in' };
/** A sensitive action for these roles: changing security settings, exports, emergency access. */
export const sensitive = (...roles: StaffRole[]): RouteAccess => ({
  kind: 'signed-in',
  recentAuthentication: true,
  ...(roles.length > 0 ? { roles } : {}),
});
export const participant = (): RouteAccess => ({ kind: 'participant' });
/** Open to a session that has passed the password and is completing or enrolling its second factor. */
export const duringSecondFactor = (): RouteAccess => ({
  kind: 'signed-in',
  secondFactorStep: true,
});

export interface RouteSummary {
  method: string;
  url: string;
  access: RouteAccess | undefined;
  hasBodySchema: boolean;
  hasResponseSchema: boolean;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function summarise(route: RouteOptions): RouteSummary[] {
  const methods = Array.isArray(route.method) ? route.method : [route.method];
  const config = route.config;
  return methods.map((method) => ({
    method,
    url: route.url,
    access: config?.access,
    hasBodySchema: route.schema?.body !== undefined,
    hasResponseSchema: route.schema?.response !== undefined,
  }));
}

/** Why a route breaks the rules, or nothing when it keeps them. */
export function routeViolations(route: RouteSummary): string[] {
  const where = `${route.method} ${route.url}`;
  if (route.method === 'HEAD') return []; // Fastify derives HEAD from GET; GET carries the rules.
  if (!route.access) return [`${where} declares no access rule (config.access)`];
  if (route.access.kind === 'public-files') return [];
  const problems: string[] = [];
  if (!route.hasResponseSchema) problems.push(`${where} declares no response schema`);
  if (BODY_METHODS.has(route.method) && !route.hasBodySchema) {
    problems.push(`${where} accepts a body but declares no body schema`);
  }
  return problems;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every registered route with its declarations, for the start-up check and for tests. */
    routeSummaries(): RouteSummary[];
  }
}

/** Collects every route and refuses to start while any breaks the rules above. */
export const routeRules = fp(async (app: FastifyInstance) => {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.decorate('routeSummaries', () => routes.flatMap(summarise));
  app.addHook('onReady', async () => {
    const problems = app.routeSummaries().flatMap(routeViolations);
    if (problems.length > 0) {
      throw new Error(`Routes break the declaration rules:\n  ${problems.join('\n  ')}`);
    }
  });
});

/**
 * Registers a third-party plugin whose routes cannot carry our config, declaring one access rule
 * for all of them.
 */
export function registerWithAccess(
  app: FastifyInstance,
  access: RouteAccess,
  registerPlugin: (scope: FastifyInstance) => PromiseLike<unknown>,
) {
  return app.register(async (scope) => {
    scope.addHook('onRoute', (route) => {
      route.config = { ...(route.config as object), access };
    });
    await registerPlugin(scope);
  });
}

/** The body schema of a write that takes no input: no body at all, or `{}`. */
export const NO_BODY = z.strictObject({}).nullish();
