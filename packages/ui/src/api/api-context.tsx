// Gives every component the typed client. In the Electron renderer (the preload set
// `window.shoebox`) routes travel over IPC; elsewhere (shoebox serve, the sync server) over fetch
// against the page's own origin. File URLs stay relative either way: Electron serves the page from
// its privileged protocol, which answers /api/assets/… like the HTTP server does.
import { createContext, useContext, type ReactNode } from 'react';
import { createClient, fetchTransport, type ApiClient } from './client.ts';
import { ipcTransport } from './ipc-transport.ts';
import { desktopBridge } from '../desktop/desktop-bridge.ts';

const ApiContext = createContext<ApiClient | null>(null);

export function defaultClient(): ApiClient {
  const bridge = desktopBridge();
  return createClient(bridge ? ipcTransport(bridge) : fetchTransport(''), '');
}

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}
