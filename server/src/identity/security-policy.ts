import { desc, eq } from 'drizzle-orm';
import type { SecurityPolicy, SecurityPolicyState, StaffRole } from '@safeconsult/protocol';
import type { AppContext } from '../context.js';
import type { Queryable, Store } from '../platform/db/index.js';
import { AppError } from '../platform/http/index.js';
import { securityPolicyVersion, staffUser } from './schema.js';
import { recordSecurityEvent } from './security-events.js';
import type { SessionPolicy } from './sessions/session-store.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './password/password-policy.js';

/** Writes the configured policy as version 1 on first start; a policy already there is kept. */
export async function ensureSecurityPolicy(db: Queryable, initial: SecurityPolicy): Promise<void> {
  await db
    .insert(securityPolicyVersion)
    .values({ version: 1, policy: initial })
    .onConflictDoNothing();
}

interface Cached {
  policy: SecurityPolicy;
  version: number;
  readAt: number;
}

/**
 * Every request consults the policy, so each node keeps it for a moment rather than reading it
 * each time; a change made on another node applies everywhere within this long.
 */
const CACHE_MS = 2_000;
const cache = new WeakMap<Store, Cached>();

const monotonicMs = () => Number(process.hrtime.bigint() / 1_000_000n);

async function readCurrent(db: Queryable) {
  const [row] = await db
    .select()
    .from(securityPolicyVersion)
    .orderBy(desc(securityPolicyVersion.version))
    .limit(1);
  if (!row) throw new Error('the security policy is missing: the store was not set up');
  return row;
}

/**
 * The policy in force. Inside a transaction, pass it as `db`: an embedded store has one
 * connection, which the open transaction holds.
 */
export async function currentSecurityPolicy(
  store: Store,
  db: Queryable = store.db,
): Promise<SecurityPolicy> {
  const hit = cache.get(store);
  if (hit && monotonicMs() - hit.readAt < CACHE_MS) return hit.policy;
  const row = await readCurrent(db);
  cache.set(store, { policy: row.policy, version: row.version, readAt: monotonicMs() });
  return row.policy;
}

export function sessionPolicyOf(policy: SecurityPolicy): SessionPolicy {
  return {
    idleMs: policy.session.idleMinutes * 60_000,
    absoluteMs: policy.session.maxHours * 3_600_000,
  };
}

export function passwordPolicyOf(policy: SecurityPolicy): PasswordPolicy {
  return { ...DEFAULT_PASSWORD_POLICY, ...policy.password };
}

export async function securityPolicyState(db: Queryable): Promise<SecurityPolicyState> {
  const [row] = await db
    .select({
      version: securityPolicyVersion.version,
      policy: securityPolicyVersion.policy,
      createdAt: securityPolicyVersion.createdAt,
      displayName: staffUser.displayName,
      role: staffUser.role,
    })
    .from(securityPolicyVersion)
    .leftJoin(staffUser, eq(staffUser.id, securityPolicyVersion.createdBy))
    .orderBy(desc(securityPolicyVersion.version))
    .limit(1);
  if (!row) throw new Error('the security policy is missing: the store was not set up');
  return {
    policy: row.policy,
    version: row.version,
    updatedAt: row.createdAt.toISOString(),
    updatedBy:
      row.displayName && row.role
        ? { displayName: row.displayName, role: row.role as StaffRole }
        : null,
  };
}

/** The top-level rules that differ between two policies, for the security record. */
function changedRules(before: SecurityPolicy, after: SecurityPolicy): string[] {
  const changed: string[] = [];
  for (const section of Object.keys(after) as (keyof SecurityPolicy)[]) {
    const a: Record<string, unknown> = before[section];
    const b: Record<string, unknown> = after[section];
    for (const rule of Object.keys(b)) if (a[rule] !== b[rule]) changed.push(`${section}.${rule}`);
  }
  return changed;
}

/**
 * Adopts a new policy version. The change names the version it was made from, so two officers
 * editing at once cannot silently overwrite each other.
 */
export async function changeSecurityPolicy(
  ctx: AppContext,
  change: { policy: SecurityPolicy; fromVersion: number; userId: string; address: string },
): Promise<SecurityPolicyState> {
  const now = ctx.now();
  await ctx.store.db.transaction(async (tx) => {
    const current = await readCurrent(tx);
    if (current.version !== change.fromVersion) {
      throw new AppError(
        'conflict',
        `The policy was changed meanwhile (now version ${current.version}); reload and try again.`,
      );
    }
    const inserted = await tx
      .insert(securityPolicyVersion)
      .values({
        version: current.version + 1,
        policy: change.policy,
        createdAt: now,
        createdBy: change.userId,
      })
      .onConflictDoNothing()
      .returning({ version: securityPolicyVersion.version });
    if (inserted.length === 0) {
      throw new AppError('conflict', 'The policy was changed meanwhile; reload and try again.');
    }
    await recordSecurityEvent(
      tx,
      {
        type: 'security_policy_changed',
        userId: change.userId,
        address: change.address,
        detail: {
          version: current.version + 1,
          rules: changedRules(current.policy, change.policy).join(', '),
        },
      },
      now,
    );
  });
  cache.delete(ctx.store);
  return securityPolicyState(ctx.store.db);
}
