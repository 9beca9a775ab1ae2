import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../test-support/context.js';
import { storeTargets } from '../../test-support/stores.js';
import { FieldProtection, KeyRing, masterKeyFrom, MasterKeyError } from './index.js';

describe.each(storeTargets())('data keys and field protection on %s', (target) => {
  let tc: TestContext;
  beforeAll(async () => {
    tc = await createTestContext(target);
  });
  afterAll(() => tc.close());

  it('reopens the same data keys with the same master key', async () => {
    const { ctx } = tc;
    const sealed = ctx.fields.encrypt('Maria Schneider', 'patient.resource:a');
    const reopened = new FieldProtection(await KeyRing.open(ctx.store.db, ctx.masterKey));
    expect(reopened.decrypt(sealed, 'patient.resource:a')).toBe('Maria Schneider');
    expect(reopened.blindIndex('patient.mrn', 'rfp-1')).toBe(
      ctx.fields.blindIndex('patient.mrn', 'rfp-1'),
    );
  });

  it('refuses another master key with a message that says what to restore', async () => {
    const wrong = masterKeyFrom(randomBytes(32));
    const attempt = KeyRing.open(tc.ctx.store.db, wrong);
    await expect(attempt).rejects.toBeInstanceOf(MasterKeyError);
    await expect(attempt).rejects.toThrow(/Restore the original master key/);
  });

  it('binds a sealed value to its row and column', () => {
    const sealed = tc.ctx.fields.encrypt('1968-03-14', 'patient.resource:a');
    expect(sealed).toMatch(/^v1\.\d+\.[\w-]+$/);
    expect(() => tc.ctx.fields.decrypt(sealed, 'patient.resource:b')).toThrow(
      /could not be opened/,
    );
  });

  it('keeps reading old values after a key rotation and seals new ones with the new key', async () => {
    const { ctx } = tc;
    const before = ctx.fields.encrypt('before rotation', 'ctx');
    const version = await ctx.keys.rotate(ctx.store.db, ctx.masterKey, 'phi-fields');
    const after = ctx.fields.encrypt('after rotation', 'ctx');
    expect(after.split('.')[1]).toBe(String(version));
    expect(before.split('.')[1]).toBe(String(version - 1));
    const reopened = new FieldProtection(await KeyRing.open(ctx.store.db, ctx.masterKey));
    expect(reopened.decrypt(before, 'ctx')).toBe('before rotation');
    expect(reopened.decrypt(after, 'ctx')).toBe('after rotation');
  });

  it('gives equal values in different fields different blind indexes', () => {
    const { fields } = tc.ctx;
    expect(fields.blindIndex('patient.family', 'smith')).not.toBe(
      fields.blindIndex('patient.given', 'smith'),
    );
    expect(fields.blindIndex('patient.family', 'smith')).toBe(
      fields.blindIndex('patient.family', 'smith'),
    );
  });
});
