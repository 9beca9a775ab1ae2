import * as cedar from '@cedar-policy/cedar-wasm/nodejs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildApp } from '../../server/src/app.js';
import type { AppContext } from '../../server/src/context.js';
import { DEMO_PATIENTS, DEMO_STAFF, DEMO_STAFF_PASSWORD } from '../../server/src/demo/index.js';
import { listClinicalResources, readPatient } from '../../server/src/records/index.js';
import { publicRoute } from '../../server/src/platform/http/index.js';
import { decideWith, type AccessQuestion } from '../../server/src/access/access-control.js';
import { entitiesFor, principalUid, resourceUid } from '../../server/src/access/entities.js';
import { readPolicyFiles, readSchema } from '../../server/src/access/policy-set/files.js';
import { measure, measureSideBySide, type Comparison } from './measure.js';

const LENA = DEMO_PATIENTS[2]!.patient.id!;
const BECKER = DEMO_STAFF.find((s) => s.email.startsWith('jonas.'))!;

/**
 * The same read as the record route, on public routes that check the session themselves: one
 * without any decision, one that asks the decision point but records nothing, and one that asks it
 * for the request, so its entry is written as on the real route: begun once decided, committed
 * before the response leaves. The last two differ by the ledger alone.
 */
async function withTwins(ctx: AppContext): Promise<FastifyInstance> {
  return buildApp(ctx, {
    webRoot: null,
    extraRoutes: async (app) => {
      type Decided = 'no' | 'decided' | 'recorded';
      const twin = (decide: Decided) => async (request: FastifyRequest, reply: FastifyReply) => {
        const session = await app.loadStaffSession(request, reply);
        if (!session) return reply.code(401).send({});
        const { patientId } = request.params as { patientId: string };
        if (decide !== 'no') {
          const question: AccessQuestion = {
            principal: { kind: 'staff', userId: session.userId, role: session.role },
            action: 'readRecord',
            resource: { type: 'RecordSection', patientId, section: 'problems' },
          };
          const now = new Date();
          const [decision] =
            decide === 'recorded'
              ? await ctx.access.decideForRequest(request, [question], now)
              : [await ctx.access.decide(question, now)];
          if (!decision?.allowed) return reply.code(404).send({});
        }
        const patient = await readPatient(ctx.store.db, ctx.fields, patientId);
        if (!patient) return reply.code(404).send({});
        const items = await listClinicalResources(ctx.store.db, ctx.fields, patientId, 'Condition');
        return { patientId, section: 'problems', items, allowedBy: [] };
      };
      const config = { access: publicRoute('benchmark baseline') };
      for (const decide of ['no', 'decided', 'recorded'] as const) {
        app.get(
          `/bench/${decide}/:patientId/problems`,
          { config, schema: { response: {} } },
          twin(decide),
        );
      }
    },
  });
}

export interface AccessComparisons {
  comparisons: Comparison[];
  /** The same read decided and recorded against decided only: what the ledger adds. */
  recording: Comparison;
}

export async function accessComparisons(
  label: string,
  ctx: AppContext,
): Promise<AccessComparisons> {
  const app = await withTwins(ctx);
  await app.ready();
  const signIn = await app.inject({
    method: 'POST',
    url: '/api/auth/sign-in',
    payload: { email: BECKER.email, password: DEMO_STAFF_PASSWORD },
  });
  const cookie = String(signIn.headers['set-cookie']).split(';', 1)[0]!;
  let n = 0;
  const read = (url: string) => async () => {
    // Spread over addresses: the per-address HTTP budget is a flood guard, not what is measured.
    const remoteAddress = `10.1.${Math.floor(n / 250) % 250}.${n++ % 250}`;
    const res = await app.inject({ url, headers: { cookie }, remoteAddress });
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
  };
  const [bare, decided, recorded, route] = await measureSideBySide([
    ['the same read, session checked, no decision', read(`/bench/no/${LENA}/problems`)],
    ['the same read, decided, not recorded', read(`/bench/decided/${LENA}/problems`)],
    ['the same read, decided and recorded', read(`/bench/recorded/${LENA}/problems`)],
    [
      'GET /api/patients/:id/sections/problems (decided and recorded)',
      read(`/api/patients/${LENA}/sections/problems`),
    ],
  ]);
  await app.close();
  const recording = {
    title: `The ledger's record on a record read, ${label}`,
    subject: recorded,
    baseline: decided,
  };
  return {
    comparisons: [
      { title: `Authorization on a record read, ${label}`, subject: decided, baseline: bare },
      recording,
      { title: `The record route, ${label}`, subject: route, baseline: recorded },
    ],
    recording,
  };
}

/** A decision from pre-parsed policies and loaded facts, beside Cedar's parse-every-time call. */
export async function decisionComparison(ctx: AppContext): Promise<Comparison> {
  const question: AccessQuestion = {
    principal: { kind: 'staff', userId: BECKER.id, role: 'clinician' },
    action: 'readRecord',
    resource: { type: 'RecordSection', patientId: LENA, section: 'problems' },
  };
  const engine = await ctx.access.engine();
  const facts = await ctx.access.facts([question.resource], new Date());
  const decided = await measure(
    'decide (pre-parsed policy set, facts loaded)',
    () => decideWith(engine, question, facts),
    2000,
  );
  const schema = await readSchema();
  const text = (await readPolicyFiles()).map((f) => f.text).join('\n');
  const entities = entitiesFor(question.principal, question.resource, facts);
  const reparsed = await measure(
    'isAuthorized parsing policies and schema each call',
    () =>
      cedar.isAuthorized({
        principal: principalUid(question.principal),
        action: { type: 'SafeConsult::Action', id: question.action },
        resource: resourceUid(question.resource),
        context: {},
        schema,
        validateRequest: true,
        policies: { staticPolicies: text },
        entities,
      }),
    200,
  );
  return {
    title: 'Access decision, pre-parsed vs parsed per call',
    subject: decided,
    baseline: reparsed,
  };
}
