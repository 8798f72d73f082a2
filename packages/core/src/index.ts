// @shoebox/core: domain model, contract, ports, services and the job catalog.
export * from './domain/metadata.ts';
export * from './domain/ids.ts';
export * from './domain/paths.ts';
export * from './domain/taken-at.ts';
export * from './media/media-types.ts';
export * from './media/structure-check.ts';
export * from './media/derivatives.ts';
export * from './media/video-playability.ts';
export * from './jobs/catalog.ts';
export * from './ports/index.ts';
export * from './services/library.service.ts';
export * from './services/asset.service.ts';
export * from './services/album.service.ts';
export * from './services/trash.service.ts';
export * from './services/api.handlers.ts';
