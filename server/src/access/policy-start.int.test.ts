import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../test-support/context.js';
import { storeTargets } from '../test-support/stores.js';
import { AccessControl } from './access-control.js';
import { readPolicyFiles } from './policy-set/files.js';
import { accessPolicyVersion } from './schema.js';

describe.each(storeTargets())('loading the access policy at start on %s', (target) => {
  let tc: TestContext;
  beforeAll(async () => {
    tc = await createTestContext(target);
  });
  afterAll(() => tc.close());

  it('writes the shipped set as version 1 and decides with it', async () => {
    const [row] = await tc.ctx.store.db.select().from(accessPolicyVersion);
    expect(row).toMatchObject({ version: 1, files: await readPolicyFiles() });
    expect((await tc.ctx.access.engine()).version).toBe(1);
  });

  it('refuses to start on an invalid version, naming the file, line and problem', async () => {
    const files = await readPolicyFiles();
    const broken = files.map((f) =>
      f.name === 'research.cedar'
        ? {
            ...f,
            text: `${f.text}\n@id("oops")\npermit (principal, action, resource)\nwhen { resource.deidentified };\n`,
          }
        : f,
    );
    const line = broken.find((f) => f.name === 'research.cedar')!.text.split('\n').length - 1;
    await tc.ctx.store.db
      .insert(accessPolicyVersion)
      .values({ version: 2, files: broken, note: 'bad' });
    await expect(AccessControl.open(tc.ctx.store, tc.ctx.config)).rejects.toThrow(
      new RegExp(`version 2 in the store[\\s\\S]*research\\.cedar:${line}:\\d+: .*deidentified`),
    );
  });
});
