import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  auditConsistencyProofSchema,
  auditInclusionProofSchema,
  auditTreeHeadSchema,
} from '@safeconsult/protocol';
import type { AppContext } from '../../context.js';
import type { Queryable } from '../../platform/db/index.js';
import { AppError, signedIn } from '../../platform/http/index.js';
import { toJson } from '../ledger/head-file.js';
import { latestTreeHead, treeHeadOfSize } from '../ledger/read.js';
import { publicKeyPem } from '../tree-head/signing-key.js';
import type { SignedTreeHead } from '../tree-head/tree-head.js';
import { AUDIT_TRAIL } from '../review/routes/audit-trail-resource.js';
import { consistencyProofFromStore, inclusionProofFromStore } from './store-proofs.js';

/** A sequence number or a tree size: a whole number from 1. */
const fromOne = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const hex = (hashes: readonly Buffer[]) => hashes.map((h) => h.toString('hex'));

/**
 * Proofs are given only against signed heads: a proof is worth what the root it leads to is, and
 * only a signed root binds the server to the tree it shows.
 */
async function signedHead(db: Queryable, size: number | undefined): Promise<SignedTreeHead> {
  const head = size === undefined ? await latestTreeHead(db) : await treeHeadOfSize(db, size);
  if (head) return head;
  throw new AppError(
    'tree_head_unknown',
    size === undefined
      ? 'No tree head has been signed yet.'
      : 'No tree head was signed for this size; GET /api/audit/tree-head names the latest.',
  );
}

/**
 * The ledger's signed tree heads and the RFC 9162 proofs over them, for whoever checks the ledger
 * from outside: that an entry is in it, and that a later tree extends an earlier one. Like the rest
 * of the audit trail they are the security officer's to read, decided as `readAudit`.
 */
export const auditProofRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (
  app,
  { ctx },
) => {
  const db = ctx.store.db;

  app.get(
    '/api/audit/tree-head',
    {
      config: { access: signedIn('readAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary: 'The latest signed tree head of the audit ledger, with the key that verifies it',
        response: { 200: auditTreeHeadSchema },
      },
    },
    async () => ({
      treeHead: toJson(await signedHead(db, undefined)),
      publicKey: { keyId: ctx.auditKey.keyId, pem: publicKeyPem(ctx.auditKey) },
    }),
  );

  app.get(
    '/api/audit/entries/:sequence/proof',
    {
      config: { access: signedIn('readAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary:
          'Inclusion proof of the entry with this sequence number in a signed tree (default: the latest)',
        params: z.strictObject({ sequence: fromOne }),
        querystring: z.strictObject({ treeSize: fromOne.optional() }),
        response: { 200: auditInclusionProofSchema },
      },
    },
    async (request) => {
      const { sequence } = request.params;
      const head = await signedHead(db, request.query.treeSize);
      if (sequence > head.treeSize) {
        throw new AppError(
          'entry_not_in_tree',
          `The tree of ${head.treeSize} entries ends before this entry.`,
        );
      }
      const proof = await inclusionProofFromStore(db, sequence, head.treeSize);
      return {
        sequence,
        leafIndex: sequence - 1,
        leafHash: proof.leafHash.toString('hex'),
        inclusionPath: hex(proof.inclusionPath),
        treeHead: toJson(head),
      };
    },
  );

  app.get(
    '/api/audit/consistency',
    {
      config: { access: signedIn('readAudit', AUDIT_TRAIL) },
      schema: {
        tags: ['audit'],
        summary: 'Consistency proof between the signed trees of two sizes',
        querystring: z.strictObject({ from: fromOne, to: fromOne }),
        response: { 200: auditConsistencyProofSchema },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from > to) {
        throw new AppError('consistency_range_invalid', '`from` is larger than `to`.');
      }
      const first = await signedHead(db, from);
      const second = await signedHead(db, to);
      return {
        from: toJson(first),
        to: toJson(second),
        consistencyPath: hex(await consistencyProofFromStore(db, from, to)),
      };
    },
  );
};
