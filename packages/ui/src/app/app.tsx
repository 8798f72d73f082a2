// The app: the API client, the query cache, the theme, toasts and the routes (hash routing, so the
// same build works from shoebox serve, the sync server and Electron's custom protocol).
import { useState } from 'react';
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
import { Layout } from './layout.tsx';
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
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

export function App({ client }: { client?: ApiClient }) {
  const [api] = useState(() => client ?? defaultClient());
  const [queryClient] = useState(createQueryClient);
  return (
    <ApiProvider client={api}>
      <QueryClientProvider client={queryClient}>
        <ThemeProvider>
          <ToastProvider>
            <HashRouter>
              <AppRoutes />
            </HashRouter>
          </ToastProvider>
        </ThemeProvider>
      </QueryClientProvider>
    </ApiProvider>
  );
}
