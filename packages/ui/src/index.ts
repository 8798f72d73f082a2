// @shoebox/ui: the app's typed API client (the React app builds on it).
export * from './api/client.ts';
