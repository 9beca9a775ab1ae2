import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IceServer } from '@safeconsult/protocol';
import { gatherCandidateTypes } from '../../consult/connection-check.js';

/**
 * Whether this network lets the browser find a way to the other side, with the clinic's ICE
 * servers: checked once in the waiting room, where the servers are first known.
 */
export function NetworkCheck({ iceServers }: { iceServers: IceServer[] }) {
  const { t } = useTranslation();
  const [types, setTypes] = useState<string[]>();
  useEffect(() => {
    void gatherCandidateTypes(iceServers).then(setTypes);
  }, [iceServers]);
  const key =
    types === undefined
      ? 'room.networkChecking'
      : types.length === 0
        ? 'room.networkNone'
        : types.includes('relay')
          ? 'room.networkRelay'
          : 'room.networkDirect';
  return <p role="status">{t(key)}</p>;
}
