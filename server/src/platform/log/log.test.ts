import { describe, expect, it } from 'vitest';
import { LogCapture } from '../../test-support/context.js';
import { createLogger, serializeError } from './index.js';

describe('logger redaction', () => {
  it('replaces patient data and secrets wherever they sit in a log object', () => {
    const out = new LogCapture();
    const log = createLogger('info', out);
    log.info(
      {
        password: 'correct horse battery staple',
        patient: { name: [{ family: 'Schneider', given: ['Maria'] }], birthDate: '1968-03-14' },
        request: { body: { note: 'chest pain since Tuesday' } },
        deep: { a: { b: { email: 'maria@mail.example' } } },
        req: { headers: { cookie: 'sid=abc123', authorization: 'Bearer xyz' } },
        harmless: 'kept',
      },
      'test line',
    );
    const text = out.text;
    for (const leaked of [
      'correct horse',
      'Schneider',
      'Maria',
      '1968-03-14',
      'chest pain',
      'maria@',
      'abc123',
      'xyz',
    ]) {
      expect(text).not.toContain(leaked);
    }
    expect(text).toContain('[redacted]');
    expect(text).toContain('kept');
  });

  it('logs requests by route pattern, never by raw address', () => {
    const out = new LogCapture();
    createLogger('info', out).info({
      req: {
        id: 'r1',
        method: 'GET',
        url: '/join/SECRET-TOKEN?q=Schneider',
        routeOptions: { url: '/join/:token' },
        ip: '127.0.0.1',
      },
    });
    expect(out.text).toContain('/join/:token');
    expect(out.text).not.toContain('SECRET-TOKEN');
    expect(out.text).not.toContain('Schneider');
  });
});

describe('serializeError', () => {
  it('keeps type, code, first line and stack frames, and drops row values and parameters', () => {
    const cause = Object.assign(new Error('duplicate key value violates unique constraint "x"'), {
      code: '23505',
      detail: 'Key (email)=(maria@mail.example) already exists.',
    });
    const error = new Error('Failed query: insert into "t" values ($1)\nparams: Maria Schneider', {
      cause,
    });
    const serialized = JSON.stringify(serializeError(error));
    expect(serialized).toContain('Failed query: insert into');
    expect(serialized).toContain('23505');
    expect(serialized).toContain('    at ');
    expect(serialized).not.toContain('Maria');
    expect(serialized).not.toContain('maria@mail.example');
  });
});
