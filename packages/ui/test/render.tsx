// Renders the whole app (routes, layout, providers) at an address, over a fake library.
import { render } from '@testing-library/react';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router';
import { ApiProvider } from '../src/api/api-context.tsx';
import { AppRoutes, createQueryClient } from '../src/app/app.tsx';
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
