import { z } from 'zod';

/**
 * SMART Backend Services scopes a system client may hold: `system/<type or *>.<permissions>`, the
 * permissions in v2 form (`rs`, `cud`, `cruds`) or v1 form (`read`, `write`, `*`).
 */
const SMART_SYSTEM_SCOPE = /^system\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|c?r?u?d?s?)$/;
export const smartScopeSchema = z.string().refine((s) => parseSystemScope(s) !== undefined, {
  error: 'a SMART system scope such as system/Patient.rs or system/*.read',
});

/** A public key set as RFC 7517 writes it; the keys themselves are checked by the server. */
export const publicJwksSchema = z.strictObject({
  keys: z
    .array(z.looseObject({ kty: z.string() }))
    .min(1)
    .max(10),
});
export type PublicJwks = z.infer<typeof publicJwksSchema>;

/** Registering a system client: another system that calls the FHIR API on its own behalf. */
export const newSystemClientSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  /** The client's public keys; it signs its token requests with the private half. */
  jwks: publicJwksSchema,
  scopes: z.array(smartScopeSchema).min(1).max(50),
});
export type NewSystemClient = z.infer<typeof newSystemClientSchema>;

export const systemClientChangeSchema = z.strictObject({
  disabled: z.boolean().optional(),
  jwks: publicJwksSchema.optional(),
  scopes: z.array(smartScopeSchema).min(1).max(50).optional(),
});

export const systemClientSchema = z.object({
  clientId: z.uuid(),
  name: z.string(),
  jwks: publicJwksSchema,
  scopes: z.array(z.string()),
  disabled: z.boolean(),
  createdAt: z.iso.datetime(),
  createdBy: z.uuid(),
});
export type SystemClient = z.infer<typeof systemClientSchema>;

/** The client assertion type of RFC 7523, which SMART Backend Services token requests carry. */
export const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** SMART v2 permissions: create, read, update, delete, search. */
export type ScopePermission = 'c' | 'r' | 'u' | 'd' | 's';
const ALL_PERMISSIONS: readonly ScopePermission[] = ['c', 'r', 'u', 'd', 's'];

interface ParsedScope {
  /** A FHIR resource type, or `*` for every type. */
  type: string;
  permissions: ReadonlySet<ScopePermission>;
}

/** A system scope's type and permissions (v1 `read`/`write` read as v2 `rs`/`cud`); else nothing. */
function parseSystemScope(scope: string): ParsedScope | undefined {
  const match = SMART_SYSTEM_SCOPE.exec(scope);
  if (!match || match[2] === '') return undefined;
  const [, type, written] = match as unknown as [string, string, string];
  const letters =
    written === 'read'
      ? ['r', 's']
      : written === 'write'
        ? ['c', 'u', 'd']
        : written === '*'
          ? ALL_PERMISSIONS
          : [...written];
  return { type, permissions: new Set(letters as ScopePermission[]) };
}

const covers = (held: ParsedScope, wanted: ParsedScope) =>
  (held.type === '*' || held.type === wanted.type) &&
  [...wanted.permissions].every((p) => held.permissions.has(p));

/** Whether any of the scopes allows `permission` on resources of `type`. */
export function scopesAllow(
  scopes: readonly string[],
  type: string,
  permission: ScopePermission,
): boolean {
  const wanted: ParsedScope = { type, permissions: new Set([permission]) };
  return scopes.some((s) => {
    const held = parseSystemScope(s);
    return held !== undefined && covers(held, wanted);
  });
}

/**
 * The requested scopes the allowed ones cover, in the order requested: what a token is granted.
 * A requested scope that is not a system scope, or that asks for more than allowed, is left out.
 */
export function grantedScopes(requested: readonly string[], allowed: readonly string[]): string[] {
  const held = allowed.flatMap((s) => parseSystemScope(s) ?? []);
  return [...new Set(requested)].filter((scope) => {
    const wanted = parseSystemScope(scope);
    return wanted !== undefined && held.some((h) => covers(h, wanted));
  });
}
