// The web bridge's connection, for the page served by `tokendesk serve` (the desktop app
// has none): its current status, and a reload of everything when it reconnects, since
// events were missed meanwhile.
import { useEffect, useSyncExternalStore } from 'react';
import type { ConnectionStatus } from '../bridge/web-bridge.js';
import { store } from '../state/store.js';

export interface ConnectionSource {
  status: () => ConnectionStatus;
  subscribe: (listener: () => void) => () => void;
}

const noopSubscribe = () => () => undefined;
const noStatus = () => undefined;

export function useConnection(connection: ConnectionSource | undefined): ConnectionStatus | undefined {
  const conn = useSyncExternalStore(connection?.subscribe ?? noopSubscribe, connection?.status ?? noStatus);
  useEffect(() => {
    if (conn && conn.opens > 1) void store.load();
  }, [conn?.opens]); // eslint-disable-line react-hooks/exhaustive-deps
  return conn;
}
