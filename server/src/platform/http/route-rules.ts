import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { AccessAction, ResourceRef } from '@safeconsult/protocol';

/**
 * What a request touches, for the access policy: a resource, one taken from the validated request,
 * the caller's own account, or (for a patient or companion) their own consult.
 */
export type ResourceSpec =
  ResourceRef | 'own-account' | 'own-consult' | ((request: FastifyRequest) => ResourceRef);

/** The action and resource a route asks the access policy about. */
export interface AccessCheck {
  action: AccessAction;
  resource: ResourceSpec;
  /** Refused as 404, not 403: where even the existence of the resource must not leak. */
  hideRefusal?: true;
  /**
   * The handler reads the audit ledger about the resource: the request's own entries are then
   * written after it rather than beside it, so that what it reads never races them.
   */
  readsLedger?: true;
}

/**
 * What a route declares about who may call it. Every route must carry one; a route without it
 * stops the server at start. Every route that is not public names the action and resource the
 * access policy decides.
 */
export type RouteAccess =
  | { kind: 'public'; why: string }
  /**
   * A live staff session. Unless `secondFactorStep` is set, the session must have completed its
   * second factor where one is owed.
   */
  | {
      kind: 'signed-in';
      check: AccessCheck;
      secondFactorStep?: true;
      /** A sensitive action: the user must have proved their password (and factor) recently. */
      recentAuthentication?: true;
    }
  /**
   * Either a staff session as on `signed-in` routes, or, when the request carries
   * `Authorization: Bearer`, a system client's access token (SMART Backend Services): the FHIR API.
   */
  | { kind: 'staff-or-client'; check: AccessCheck }
  /** A patient's or companion's session from an invitation link: one appointment, no account. */
  | { kind: 'participant'; check: AccessCheck }
  /**
   * Either: a staff session past its second factor, else a patient's or companion's session (for
   * what both do in a consult, such as its chat). Each is checked as on its own kind of route.
   */
  | { kind: 'staff-or-participant'; check: AccessCheck }
  /**
   * A WebSocket: the upgrade needs our Origin and a staff or participant session, and is decided
   * as `check`; afterwards every message type is decided under the action `messages` names for it.
   */
  | {
      kind: 'realtime';
      check: AccessCheck;
      messages: Readonly<Record<string, AccessAction>>;
    }
  /** Files served by a plugin (the web app, the API docs): public, and outside the JSON schema rule. */
  | { kind: 'public-files'; why: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
}

type CheckOptions = Pick<AccessCheck, 'hideRefusal' | 'readsLedger'>;

export const publicRoute = (why: string): RouteAccess => ({ kind: 'public', why });
export const signedIn = (
  action: AccessAction,
  resource: ResourceSpec,
  options: CheckOptions = {},
): RouteAccess => ({ kind: 'signed-in', check: { action, resource, ...options } });
/** A sensitive action: changing security settings, exports, emergency access. */
export const sensitive = (
  action: AccessAction,
  resource: ResourceSpec,
  options: CheckOptions = {},
): RouteAccess => ({
  kind: 'signed-in',
  recentAuthentication: true,
  check: { action, resource, ...options },
});
export const staffOrClient = (
  action: AccessAction,
  resource: ResourceSpec,
  options: CheckOptions = {},
): RouteAccess => ({ kind: 'staff-or-client', check: { action, resource, ...options } });
export const participant = (
  action: AccessAction,
  resource: ResourceSpec,
  options: CheckOptions = {},
): RouteAccess => ({ kind: 'participant', check: { action, resource, ...options } });
export const staffOrParticipant = (
  action: AccessAction,
  resource: ResourceSpec,
  options: CheckOptions = {},
): RouteAccess => ({ kind: 'staff-or-participant', check: { action, resource, ...options } });
export const realtime = (
  action: AccessAction,
  resource: ResourceSpec,
  messages: Readonly<Record<string, AccessAction>>,
): RouteAccess => ({ kind: 'realtime', check: { action, resource }, messages });
/** Open to a session that has passed the password and is completing or enrolling its second factor. */
export const duringSecondFactor = (): RouteAccess => ({
  kind: 'signed-in',
  secondFactorStep: true,
  check: { action: 'manageOwnAccount', resource: 'own-account' },
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
  const { access } = route;
  if (access.kind !== 'public' && !access.check?.action) {
    problems.push(`${where} names no action and resource for the access policy`);
  }
  if (access.kind === 'realtime') {
    // Messages are checked against their own schemas; the upgrade itself has no body or response.
    if (Object.keys(access.messages).length === 0) {
      problems.push(`${where} declares no message types and their actions`);
    }
    return problems;
  }
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
