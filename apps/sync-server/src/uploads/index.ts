// Uploads on the sync server: the route, the service behind it and its storage layout.
export { createUploadRouter, type UploadRouterDeps } from './upload.routes.ts';
export { createUploadService, UploadService, type OrphanReport, type UploadDeps, type UploadOutcome } from './upload.service.ts';
export { captureDateFromMetadata, type CaptureDate, type CaptureDateReader } from './upload-dates.ts';
export { UploadStorage, type LayoutDay } from './upload-storage.ts';
export { storedName, type StoredName } from './upload-names.ts';
export { stopHashWorker } from './sha1-hasher.ts';
