import { describe, expect, it } from 'vitest';
import { publicRoute, routeViolations, type RouteSummary } from './route-rules.js';

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

  it('let plugin-served files through without JSON schemas', () => {
    const files = route({
      access: { kind: 'public-files', why: 'web app' },
      hasResponseSchema: false,
    });
    expect(routeViolations(files)).toEqual([]);
  });
});
