import {
  ACT_CODE_SYSTEM,
  SENSITIVITY_LABEL_CODES,
  type SensitivityLabel,
} from '@safeconsult/protocol';

/** The sensitivity labels in a resource's `meta.security`, which the access policy decides apart. */
export const labelsOf = (resource: {
  meta?: { security?: { system?: string; code?: string }[] };
}): SensitivityLabel[] =>
  (resource.meta?.security ?? []).flatMap((c) =>
    c.system === ACT_CODE_SYSTEM &&
    (SENSITIVITY_LABEL_CODES as readonly string[]).includes(c.code ?? '')
      ? [c.code as SensitivityLabel]
      : [],
  );
