// Renders the whole app (routes, layout, providers) at an address, over a fake library.
import { render } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, useLocation } from 'react-router';
import { ApiProvider } from '../src/api/api-context.tsx';
import { AppProviders, AppRoutes, createQueryClient } from '../src/app/app.tsx';
import { SessionGate } from '../src/app/session.tsx';
import type { QueueFactory } from '../src/upload/upload-context.tsx';
import { ToastProvider } from '../src/components/toast.tsx';
import type { FakeLibrary } from './fake-api.ts';

export function renderAt(lib: FakeLibrary, path: string) {
  return render(
    <ApiProvider client={lib.client}>
      <QueryClientProvider client={createQueryClient()}>
        <ToastProvider>
          <MemoryRouter initialEntries={[path]}>
            <AppRoutes />
          </MemoryRouter>
        </ToastProvider>
      </QueryClientProvider>
    </ApiProvider>,
  );
}

/** The requests made to one route so far, with what they sent. */
export function sent(lib: FakeLibrary, key: FakeLibrary['requests'][number]['key']) {
  return lib.requests.filter((r) => r.key === key).map((r) => r.input);
}

/**
 * Renders the app as it starts in a browser: the session gate first (desktop or sync server,
 * onboarding, login), then the routes. `createQueue` replaces the upload queue's real parts.
 */
export function renderApp(lib: FakeLibrary, path = '/', createQueue?: QueueFactory) {
  return render(
    <AppProviders client={lib.client}>
      <MemoryRouter initialEntries={[path]}>
        <SessionGate {...(createQueue && { createQueue })}>
          <AppRoutes />
          <LocationProbe />
        </SessionGate>
      </MemoryRouter>
    </AppProviders>,
  );
}

/** The router's current address, for tests that check where the app went. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location" hidden>{location.pathname + location.search}</output>;
}
