// The app: the API client, the query cache, the theme, toasts, the session gate (the sync server's
// login) and the routes (hash routing, so the same build works from shoebox serve, the sync server
// and Electron's custom protocol).
import { useState, type ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { HashRouter, Route, Routes } from 'react-router';
import { ApiProvider, defaultClient } from '../api/api-context.tsx';
import type { ApiClient } from '../api/client.ts';
import { ApiError } from '../api/client.ts';
import { ToastProvider } from '../components/toast.tsx';
import { AlbumPage, AlbumsPage } from '../pages/albums-page.tsx';
import { FoldersPage } from '../pages/folders-page.tsx';
import { JobsPage } from '../pages/jobs-page.tsx';
import { ArchivePage, FavoritesPage, PhotosPage, TrashPage } from '../pages/library-pages.tsx';
import { PeoplePage } from '../pages/people-page.tsx';
import { PersonPage } from '../pages/person-page.tsx';
import { SearchPage } from '../pages/search-page.tsx';
import { SimilarPage } from '../pages/similar-page.tsx';
import { SettingsPage } from '../pages/settings-page.tsx';
import { AccountPage } from '../pages/account-page.tsx';
import { UploadPage } from '../pages/upload-page.tsx';
import { Layout } from './layout.tsx';
import { SessionGate } from './session.tsx';
import { ThemeProvider } from './theme.tsx';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // A 4xx will answer the same again; only network and server errors are retried.
        retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status < 500),
      },
    },
  });
}

function NotFound() {
  return (
    <div className="page empty">
      <h1>Nothing here</h1>
      <p>This address does not lead to a page. <a href="#/">Back to your photos</a>.</p>
    </div>
  );
}

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<PhotosPage />} />
        <Route path="search" element={<SearchPage />} />
        <Route path="albums" element={<AlbumsPage />} />
        <Route path="albums/:id" element={<AlbumPage />} />
        <Route path="people" element={<PeoplePage />} />
        <Route path="people/:id" element={<PersonPage />} />
        <Route path="similar/:id" element={<SimilarPage />} />
        <Route path="folders" element={<FoldersPage />} />
        <Route path="favorites" element={<FavoritesPage />} />
        <Route path="archive" element={<ArchivePage />} />
        <Route path="trash" element={<TrashPage />} />
        <Route path="jobs" element={<JobsPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="upload" element={<UploadPage />} />
        <Route path="account" element={<AccountPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** Everything around the routes but the router (tests put a memory router inside). */
export function AppProviders({ client, children }: { client: ApiClient; children: ReactNode }) {
  const [queryClient] = useState(createQueryClient);
  return (
    <ApiProvider client={client}>
      <QueryClientProvider client={queryClient}>
        <ThemeProvider>
          <ToastProvider>{children}</ToastProvider>
        </ThemeProvider>
      </QueryClientProvider>
    </ApiProvider>
  );
}

export function App({ client }: { client?: ApiClient }) {
  const [api] = useState(() => client ?? defaultClient());
  return (
    <AppProviders client={api}>
      <HashRouter>
        <SessionGate>
          <AppRoutes />
        </SessionGate>
      </HashRouter>
    </AppProviders>
  );
}
