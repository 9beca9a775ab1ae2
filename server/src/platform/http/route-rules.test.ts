import { describe, expect, it } from 'vitest';
import {
  publicRoute,
  realtime,
  routeViolations,
  signedIn,
  staffOrParticipant,
  type RouteSummary,
} from './route-rules.js';

const staff = { type: 'Directory', id: 'staff' } as const;

const route = (overrides: Partial<RouteSummary>): RouteSummary => ({
  method: 'GET',
  url: '/api/x',
  access: publicRoute('test'),
  hasBodySchema: false,
  hasResponseSchema: true,
  ...overrides,
});

describe('route declaration rules', () => {
  it('accept a declared route with a response schema', () => {
    expect(routeViolations(route({}))).toEqual([]);
  });

  it('refuse a route without an access declaration', () => {
    expect(routeViolations(route({ access: undefined }))).toEqual([
      'GET /api/x declares no access rule (config.access)',
    ]);
  });

  it('refuse a route without a response schema, and a body route without a body schema', () => {
    expect(routeViolations(route({ method: 'POST', hasResponseSchema: false }))).toEqual([
      'POST /api/x declares no response schema',
      'POST /api/x accepts a body but declares no body schema',
    ]);
  });

  it('refuse a signed-in or participant route that names no action for the access policy', () => {
    const bare = { kind: 'signed-in' } as unknown as RouteSummary['access'];
    expect(routeViolations(route({ access: bare }))).toEqual([
      'GET /api/x names no action and resource for the access policy',
    ]);
    expect(routeViolations(route({ access: signedIn('viewStaff', staff) }))).toEqual([]);
  });

  it('hold a route open to staff or participants to the same rules', () => {
    const consult = { type: 'Appointment', id: 'a' } as const;
    const bare = { kind: 'staff-or-participant' } as unknown as RouteSummary['access'];
    expect(routeViolations(route({ access: bare }))).toEqual([
      'GET /api/x names no action and resource for the access policy',
    ]);
    const chat = staffOrParticipant('joinConsult', consult);
    expect(routeViolations(route({ method: 'POST', access: chat }))).toEqual([
      'POST /api/x accepts a body but declares no body schema',
    ]);
    expect(routeViolations(route({ access: chat }))).toEqual([]);
  });

  it('let plugin-served files through without JSON schemas', () => {
    const files = route({
      access: { kind: 'public-files', why: 'web app' },
      hasResponseSchema: false,
    });
    expect(routeViolations(files)).toEqual([]);
  });

  it('let a WebSocket through without HTTP schemas, but not without its message actions', () => {
    const consult = { type: 'Appointment', id: 'a' } as const;
    const socket = (messages: Record<string, 'signalInConsult'>) =>
      route({ access: realtime('joinConsult', consult, messages), hasResponseSchema: false });
    expect(routeViolations(socket({ offer: 'signalInConsult' }))).toEqual([]);
    expect(routeViolations(socket({}))).toEqual([
      'GET /api/x declares no message types and their actions',
    ]);
  });
});
