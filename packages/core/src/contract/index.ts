// Public surface of the contract: routes, schemas, errors and the types derived from them.
export * from './errors.ts';
export * from './route.ts';
export * from './routes.ts';
export * from './handlers.ts';
export * from './schemas/common.schemas.ts';
export * from './schemas/asset.schemas.ts';
export * from './schemas/library.schemas.ts';
export * from './schemas/timeline.schemas.ts';
export * from './schemas/job.schemas.ts';
export * from './schemas/server.schemas.ts';
export * from './schemas/album.schemas.ts';
export * from './schemas/browse.schemas.ts';
export * from './schemas/trash.schemas.ts';
export * from './schemas/people.schemas.ts';
export * from './schemas/ml.schemas.ts';
export * from './schemas/smart-search.schemas.ts';
export * from './openapi.ts';
