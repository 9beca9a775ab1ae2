import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  accessPolicyStateSchema,
  activatePolicySchema,
  policyFileSchema,
  whatIfRequestSchema,
  whatIfResultSchema,
  type AccessPolicyState,
  type PolicyFile,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import { recordSecurityEvent, requireSession } from '../../identity/index.js';
import { AppError, sensitive, signedIn } from '../../platform/http/index.js';
import { compilePolicySet } from '../policy-set/compile.js';
import { PolicyEngine } from '../policy-set/engine.js';
import { readPolicyFiles } from '../policy-set/files.js';
import { activeVersionNumber, addVersion, listVersions, readVersion } from '../policy-store.js';
import { tryPolicy } from '../what-if.js';

const ACCESS_POLICY = { type: 'Settings', id: 'access-policy' } as const;

/** The access policy for the security officer: read it, try a change, adopt it, roll back. */
export const accessPolicyRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  const db = ctx.store.db;

  async function state(): Promise<AccessPolicyState> {
    const version = await activeVersionNumber(db);
    const row = await readVersion(db, version);
    return {
      version,
      files: row!.files,
      schema: ctx.access.schemaText,
      versions: await listVersions(db),
    };
  }

  /** Validates, stores as the next version and puts it in force on this node at once. */
  async function adopt(files: PolicyFile[], basedOn: number, note: string, userId: string) {
    const compiled = compilePolicySet(ctx.access.schemaText, files);
    if (!compiled.ok) {
      throw new AppError(
        'policy_invalid',
        'The policy set has problems; nothing was changed.',
        compiled.problems.map((p) => ({
          path: `${p.file}:${p.line}:${p.column}`,
          message: p.message,
        })),
      );
    }
    const now = ctx.now();
    const version = await db.transaction(async (tx) => {
      const added = await addVersion(tx, { files, basedOn, note, createdBy: userId });
      await recordSecurityEvent(
        tx,
        { type: 'access_policy_changed', userId, detail: { version: added } },
        now,
      );
      return added;
    });
    ctx.access.adopt(
      PolicyEngine.create(version, ctx.access.schemaText, compiled.policies, `v${version}`),
    );
    return state();
  }

  app.get(
    '/api/access/policy',
    {
      config: { access: signedIn('viewSettings', ACCESS_POLICY) },
      schema: {
        tags: ['access'],
        summary: 'The access policy in force, its schema and its versions',
        response: { 200: accessPolicyStateSchema },
      },
    },
    state,
  );

  app.get(
    '/api/access/policy/defaults',
    {
      config: { access: signedIn('viewSettings', ACCESS_POLICY) },
      schema: {
        tags: ['access'],
        summary: 'The policy set shipped with SafeConsult, to compare or start from',
        response: { 200: z.object({ files: z.array(policyFileSchema) }) },
      },
    },
    async () => ({ files: await readPolicyFiles() }),
  );

  app.post(
    '/api/access/policy/what-if',
    {
      config: { access: signedIn('changeSettings', ACCESS_POLICY) },
      schema: {
        tags: ['access'],
        summary:
          'Validate a proposed policy set and decide sample and recent requests under both sets',
        body: whatIfRequestSchema,
        response: { 200: whatIfResultSchema },
      },
    },
    async (request) => tryPolicy(ctx, request.body),
  );

  app.post(
    '/api/access/policy/versions',
    {
      config: { access: sensitive('changeSettings', ACCESS_POLICY) },
      schema: {
        tags: ['access'],
        summary: 'Adopt a changed policy set as the next version (re-authentication required)',
        body: activatePolicySchema,
        response: { 201: accessPolicyStateSchema },
      },
    },
    async (request, reply) => {
      const { files, basedOn, note } = request.body;
      const adopted = await adopt(files, basedOn, note, requireSession(request).userId);
      return reply.code(201).send(adopted);
    },
  );

  app.post(
    '/api/access/policy/versions/:version/restore',
    {
      config: { access: sensitive('changeSettings', ACCESS_POLICY) },
      schema: {
        tags: ['access'],
        summary: 'Roll back: adopt an earlier version again, as the next version',
        params: z.strictObject({ version: z.coerce.number().int().min(1) }),
        body: activatePolicySchema.pick({ basedOn: true, note: true }),
        response: { 201: accessPolicyStateSchema },
      },
    },
    async (request, reply) => {
      const old = await readVersion(db, request.params.version);
      if (!old) throw new AppError('not_found', `There is no version ${request.params.version}.`);
      const { basedOn, note } = request.body;
      const adopted = await adopt(old.files, basedOn, note, requireSession(request).userId);
      return reply.code(201).send(adopted);
    },
  );
};
