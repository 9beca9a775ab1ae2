import { describe, expect, it } from 'vitest';
import {
  ACCESS_ACTIONS,
  ACCESS_REASONS,
  AUDIT_LOG_IDS,
  DIRECTORY_IDS,
  RECORD_SECTIONS,
  SENSITIVITY_LABEL_CODES,
  SETTINGS_IDS,
} from '@safeconsult/protocol';
import { PATIENT_ACTION_KEYS } from '../pages/access-history/access-history-list.js';
import { RESOURCE_TYPES } from '../pages/access/sample-builder.js';
import { RELATIONSHIP_KEYS } from '../pages/patients/patients-page.js';
import { GENERAL_PROBLEMS } from '../pages/problem-message.js';
import de from './locales/de.json';
import en from './locales/en.json';

type Tree = { [key: string]: string | Tree };
const lookup = (tree: Tree, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);

/**
 * Keys the pages build from the protocol's vocabulary (`sections.${section}`), which the check of
 * literal keys in locales.test.ts cannot see: a new action, section or label needs words too.
 */
const BUILT_KEYS = [
  ...ACCESS_ACTIONS.map((a) => `accessActions.${a}`),
  ...ACCESS_REASONS.flatMap((r) => [
    `accessHistory.patientReasons.${r}`,
    `accessHistory.staffReasons.${r}`,
  ]),
  ...RECORD_SECTIONS.map((s) => `sections.${s}`),
  ...SENSITIVITY_LABEL_CODES.map((l) => `sensitivity.${l}`),
  ...SETTINGS_IDS.map((s) => `resources.settings.${s}`),
  ...DIRECTORY_IDS.map((d) => `resources.directory.${d}`),
  ...AUDIT_LOG_IDS.map((a) => `resources.auditLog.${a}`),
  ...RESOURCE_TYPES.map((r) => `whatIf.resourceTypes.${r}`),
  ...[...GENERAL_PROBLEMS].map((code) => `problems.${code}`),
  ...Object.values(RELATIONSHIP_KEYS),
  ...Object.values(PATIENT_ACTION_KEYS),
];

describe('words for the access vocabulary', () => {
  it('exist in English and German for every action, section, label, resource and relationship', () => {
    for (const key of BUILT_KEYS) {
      expect(typeof lookup(en, key), key).toBe('string');
      expect(typeof lookup(de, key), key).toBe('string');
    }
  });
});
