export {
  openStore,
  queryRows,
  type Database,
  type Queryable,
  type Store,
  type Transaction,
} from './store.js';
export { DataDirInUseError } from './data-dir-lock.js';
export { applyMigrations, migrationState, type MigrationState } from './migrations.js';
