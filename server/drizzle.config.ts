import { defineConfig } from 'drizzle-kit';

/** Each module owns its tables in its own schema.ts; drizzle-kit turns them into SQL migrations. */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/**/schema.ts',
  out: './drizzle',
});
