export { ehrRoutes } from './routes.js';
export { EhrTokenCache } from './ehr-client.js';
export { deliverDueWritebacks, startWritebackWorker } from './writeback.js';
export { ehrEncryptedColumns } from './encrypted-columns.js';
