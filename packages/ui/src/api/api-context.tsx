// Gives every component the typed client. The transport is fetch against the page's own origin
// (shoebox serve, the sync server); Electron will hand in its IPC transport instead.
import { createContext, useContext, type ReactNode } from 'react';
import { createClient, fetchTransport, type ApiClient } from './client.ts';

const ApiContext = createContext<ApiClient | null>(null);

export function defaultClient(): ApiClient {
  return createClient(fetchTransport(''), '');
}

export function ApiProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ApiContext.Provider value={client}>{children}</ApiContext.Provider>;
}

export function useApi(): ApiClient {
  const client = useContext(ApiContext);
  if (!client) throw new Error('useApi outside ApiProvider');
  return client;
}
