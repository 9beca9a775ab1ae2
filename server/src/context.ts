import type { Config } from './platform/config/index.js';
import {
  FieldProtection,
  KeyRing,
  loadMasterKey,
  type MasterKey,
} from './platform/crypto/index.js';
import { openBus, type Bus } from './platform/bus/index.js';
import { applyMigrations, openStore, type Store } from './platform/db/index.js';
import type { Logger } from './platform/log/index.js';
import { ensureClinic } from './clinic/index.js';
import { indexEarlierRecords } from './records/index.js';
import { ensureSecurityPolicy } from './identity/index.js';
import { DeliverySignal } from './outbox/index.js';
import { EhrTokenCache } from './ehr/index.js';
import { AccessControl } from './access/index.js';
import { loadTreeHeadSigningKey, type TreeHeadSigningKey } from './audit/index.js';

/**
 * Everything a module needs, built once from validated configuration and handed down explicitly:
 * no module keeps its own connection, key or logger.
 */
export interface AppContext {
  config: Config;
  log: Logger;
  store: Store;
  masterKey: MasterKey;
  keys: KeyRing;
  fields: FieldProtection;
  now: () => Date;
  /** Wakes this node's outbox delivery after a message is committed. */
  outboxSignal: DeliverySignal;
  /** The external EHR's access token, shared by requests and the write-back worker. */
  ehrTokens: EhrTokenCache;
  /** The access policy in force and the one decision point. */
  access: AccessControl;
  /** Signs the audit ledger's tree heads; held apart from the store. */
  auditKey: TreeHeadSigningKey;
  /** Carries consult rooms' signaling and state changes between this node and the others. */
  bus: Bus;
}

/** Opens the store, brings its schema up to date, unlocks the data keys and sets up the clinic. */
export async function createContext(config: Config, log: Logger): Promise<AppContext> {
  const masterKey = await loadMasterKey(config.masterKey);
  if (masterKey.created) {
    log.warn(
      { file: config.masterKey.kind === 'file' ? config.masterKey.path : undefined },
      'created a new master key: back it up apart from the data, or the data cannot be read after a loss',
    );
  }
  const auditKey = await loadTreeHeadSigningKey(config.audit.signingKey);
  if (auditKey.created) {
    log.warn(
      { keyId: auditKey.keyId },
      'created a new audit signing key: keep its public key where the audit trail is checked',
    );
  }
  const store = await openStore(config.store, log);
  try {
    const applied = await applyMigrations(store);
    log.info({ applied }, applied > 0 ? 'store migrated' : 'store schema is current');
    const keys = await KeyRing.open(store.db, masterKey);
    await ensureClinic(store.db, config.clinicDefaults);
    await ensureSecurityPolicy(store.db, config.initialSecurityPolicy);
    const access = await AccessControl.open(store, config);
    const fields = new FieldProtection(keys);
    // Records written before the FHIR API get their kept first version and search index once.
    await indexEarlierRecords(store.db, fields);
    const bus = await openBus(config.bus, log);
    return {
      config,
      log,
      store,
      masterKey,
      keys,
      fields,
      now: () => new Date(),
      outboxSignal: new DeliverySignal(),
      ehrTokens: new EhrTokenCache(),
      access,
      auditKey,
      bus,
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

export async function closeContext(ctx: AppContext): Promise<void> {
  await ctx.bus.close();
  await ctx.store.close();
}
