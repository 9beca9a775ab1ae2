import { describe, expect, it } from 'vitest';
import { AppError } from './error-catalogue.js';
import { toAppError } from './problem.js';

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const error = new AppError('not_found', 'gone');
    expect(toAppError(error)).toBe(error);
  });

  it("maps Fastify's body errors to catalogued codes", () => {
    const cases: [string, number, string][] = [
      ['FST_ERR_CTP_INVALID_JSON_BODY', 400, 'malformed_body'],
      ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, 'malformed_body'],
      ['FST_ERR_CTP_BODY_TOO_LARGE', 413, 'body_too_large'],
      ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, 'unsupported_media_type'],
    ];
    for (const [code, status, expected] of cases) {
      const mapped = toAppError(Object.assign(new Error('x'), { code, statusCode: status }));
      expect([mapped.code, mapped.status]).toEqual([expected, status]);
    }
  });

  it('turns an unknown client error into bad_request without echoing its message', () => {
    const mapped = toAppError(Object.assign(new Error('input was Maria'), { statusCode: 400 }));
    expect(mapped.code).toBe('bad_request');
    expect(mapped.detail).not.toContain('Maria');
  });

  it('turns anything else into internal_error without echoing its message', () => {
    const mapped = toAppError(new Error('connection to db failed for Maria'));
    expect(mapped.status).toBe(500);
    expect(mapped.detail).not.toContain('Maria');
  });
});
