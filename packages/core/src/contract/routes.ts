// The route table: the one definition of the REST contract. The engine and the sync server mount
// it on Express, the Electron renderer reaches it over IPC, the UI builds its client from it and
// openapi.json is generated from it.
import { z } from 'zod';
import { defineRoute } from './route.ts';
import { IdParam } from './schemas/common.schemas.ts';
import { AssetBulkUpdate, AssetDetail, AssetListQuery, AssetPage, AssetPatch, CountResult } from './schemas/asset.schemas.ts';
import { Album, AlbumAssetsBody, AlbumAssetsResult, AlbumListQuery, CreateAlbumBody, UpdateAlbumBody } from './schemas/album.schemas.ts';
import { FolderEntry, SearchFacets } from './schemas/browse.schemas.ts';
import { EmptyTrashBody, EmptyTrashResult, RestoreTrashBody } from './schemas/trash.schemas.ts';
import { AddRootBody, LibraryRoot, ScanBody, ScanResult } from './schemas/library.schemas.ts';
import { BucketQuery, BucketResponse, BucketsQuery, BucketsResponse } from './schemas/timeline.schemas.ts';
import {
  JobsStatus, JobsStatusQuery, LaneCounts, LaneParam, RetryFailedBody, RetryFailedResult, SetLaneBody,
} from './schemas/job.schemas.ts';
import { ServerInfo } from './schemas/server.schemas.ts';
import {
  AssignFaceBody, CreatePersonBody, Face, MergePeopleBody, MergePeopleResult, PeopleList, PersonFacesQuery, PeopleQuery, Person, ReclusterBody,
  ReclusterResult, UpdatePersonBody,
} from './schemas/people.schemas.ts';
import { MlSettings, MlSettingsPatch, MlStatus, ModelIdParam, ModelStatus } from './schemas/ml.schemas.ts';
import { RankedAssets, SimilarQuery, SmartSearchQuery, TokenizeQuery, TokenizeResult } from './schemas/smart-search.schemas.ts';

export const API_VERSION = 1;

const OriginalQuery = z.object({ download: z.enum(['true', 'false', '1', '0']).optional() });

export const routes = {
  getServerInfo: defineRoute({
    method: 'get', path: '/api/server/info', tag: 'server', summary: 'What this process is and what it holds',
    response: ServerInfo, errors: [],
  }),

  listRoots: defineRoute({
    method: 'get', path: '/api/library/roots', tag: 'library', summary: 'List the library folders',
    response: z.array(LibraryRoot), errors: [],
  }),
  addRoot: defineRoute({
    method: 'post', path: '/api/library/roots', tag: 'library', summary: 'Add a folder to the library',
    body: AddRootBody, response: LibraryRoot, status: 201,
    errors: ['VALIDATION_FAILED', 'FOLDER_NOT_FOUND', 'ROOT_ALREADY_EXISTS', 'ROOT_OVERLAPS'],
  }),
  removeRoot: defineRoute({
    method: 'delete', path: '/api/library/roots/{id}', tag: 'library',
    summary: 'Remove a folder from the library (files on disk are untouched)',
    params: IdParam, response: z.object({ removedAssets: z.number().int() }), errors: ['ROOT_NOT_FOUND'],
  }),
  scanLibrary: defineRoute({
    method: 'post', path: '/api/library/scan', tag: 'library', summary: 'Walk every folder and queue new work',
    body: ScanBody, response: ScanResult, errors: ['VALIDATION_FAILED'],
  }),

  listAssets: defineRoute({
    method: 'get', path: '/api/assets', tag: 'assets', summary: 'Page through assets with filters',
    query: AssetListQuery, response: AssetPage, errors: ['VALIDATION_FAILED'],
  }),
  getAsset: defineRoute({
    method: 'get', path: '/api/assets/{id}', tag: 'assets', summary: 'One asset with its full metadata',
    params: IdParam, response: AssetDetail, errors: ['ASSET_NOT_FOUND'],
  }),
  updateAsset: defineRoute({
    method: 'patch', path: '/api/assets/{id}', tag: 'assets', summary: 'Favourite, rate, archive, trash or describe one asset',
    params: IdParam, body: AssetPatch, response: AssetDetail, errors: ['ASSET_NOT_FOUND', 'VALIDATION_FAILED'],
  }),
  updateAssets: defineRoute({
    method: 'put', path: '/api/assets', tag: 'assets', summary: 'Favourite, rate, archive or trash many assets at once',
    body: AssetBulkUpdate, response: CountResult, errors: ['VALIDATION_FAILED'],
  }),
  getAssetThumbnail: defineRoute({
    method: 'get', path: '/api/assets/{id}/thumbnail', tag: 'media', summary: 'The asset thumbnail (webp)',
    params: IdParam, response: { kind: 'file', contentTypes: ['image/webp', 'image/jpeg'] },
    errors: ['ASSET_NOT_FOUND', 'DERIVATIVE_NOT_FOUND'],
  }),
  getAssetPreview: defineRoute({
    method: 'get', path: '/api/assets/{id}/preview', tag: 'media', summary: 'The large preview for the viewer',
    params: IdParam, response: { kind: 'file', contentTypes: ['image/jpeg', 'image/webp'] },
    errors: ['ASSET_NOT_FOUND', 'DERIVATIVE_NOT_FOUND'],
  }),
  getAssetVideo: defineRoute({
    method: 'get', path: '/api/assets/{id}/video', tag: 'media',
    summary: 'A video that plays in the browser: the H.264/AAC transcode, or the original when it plays as it is; with HTTP range support',
    params: IdParam, response: { kind: 'file', contentTypes: ['video/mp4', 'video/webm', 'video/quicktime'] },
    errors: ['ASSET_NOT_FOUND', 'DERIVATIVE_NOT_FOUND', 'FILE_OFFLINE', 'RANGE_NOT_SATISFIABLE'],
  }),
  getAssetOriginal: defineRoute({
    method: 'get', path: '/api/assets/{id}/original', tag: 'media',
    summary: 'The original file, with HTTP range support',
    params: IdParam, query: OriginalQuery, response: { kind: 'file', contentTypes: ['application/octet-stream'] },
    errors: ['ASSET_NOT_FOUND', 'FILE_OFFLINE', 'RANGE_NOT_SATISFIABLE'],
  }),

  getTimeBuckets: defineRoute({
    method: 'get', path: '/api/timeline/buckets', tag: 'timeline', summary: 'Asset count per month, newest first',
    query: BucketsQuery, response: BucketsResponse, errors: ['VALIDATION_FAILED'],
  }),
  getTimeBucket: defineRoute({
    method: 'get', path: '/api/timeline/bucket', tag: 'timeline', summary: 'The assets of one month, newest first',
    query: BucketQuery, response: BucketResponse, errors: ['VALIDATION_FAILED'],
  }),

  getFolders: defineRoute({
    method: 'get', path: '/api/folders', tag: 'library', summary: 'Every folder that holds assets, with its count, by path',
    response: z.array(FolderEntry), errors: [],
  }),
  getSearchFacets: defineRoute({
    method: 'get', path: '/api/search/facets', tag: 'search', summary: 'The cameras, file types and date range search can filter by',
    response: SearchFacets, errors: [],
  }),

  listAlbums: defineRoute({
    method: 'get', path: '/api/albums', tag: 'albums', summary: 'Every album, newest first',
    query: AlbumListQuery, response: z.array(Album), errors: ['VALIDATION_FAILED'],
  }),
  createAlbum: defineRoute({
    method: 'post', path: '/api/albums', tag: 'albums', summary: 'Create an album, optionally with assets',
    body: CreateAlbumBody, response: Album, status: 201, errors: ['VALIDATION_FAILED'],
  }),
  getAlbum: defineRoute({
    method: 'get', path: '/api/albums/{id}', tag: 'albums', summary: 'One album',
    params: IdParam, response: Album, errors: ['ALBUM_NOT_FOUND'],
  }),
  updateAlbum: defineRoute({
    method: 'patch', path: '/api/albums/{id}', tag: 'albums', summary: 'Rename an album, describe it or choose its cover',
    params: IdParam, body: UpdateAlbumBody, response: Album, errors: ['ALBUM_NOT_FOUND', 'ASSET_NOT_FOUND', 'VALIDATION_FAILED'],
  }),
  deleteAlbum: defineRoute({
    method: 'delete', path: '/api/albums/{id}', tag: 'albums', summary: 'Delete an album (its assets stay in the library)',
    params: IdParam, response: z.object({ deleted: z.literal(true) }), errors: ['ALBUM_NOT_FOUND'],
  }),
  addAlbumAssets: defineRoute({
    method: 'put', path: '/api/albums/{id}/assets', tag: 'albums', summary: 'Add assets to an album (ones already in it are skipped)',
    params: IdParam, body: AlbumAssetsBody, response: AlbumAssetsResult, errors: ['ALBUM_NOT_FOUND', 'VALIDATION_FAILED'],
  }),
  removeAlbumAssets: defineRoute({
    method: 'delete', path: '/api/albums/{id}/assets', tag: 'albums', summary: 'Take assets out of an album (they stay in the library)',
    params: IdParam, body: AlbumAssetsBody, response: AlbumAssetsResult, errors: ['ALBUM_NOT_FOUND', 'VALIDATION_FAILED'],
  }),

  restoreTrash: defineRoute({
    method: 'post', path: '/api/trash/restore', tag: 'trash', summary: 'Bring assets back from the trash',
    body: RestoreTrashBody, response: CountResult, errors: ['VALIDATION_FAILED'],
  }),
  emptyTrash: defineRoute({
    method: 'post', path: '/api/trash/empty', tag: 'trash',
    summary: 'Remove trashed assets from the library; their files are deleted only with deleteFiles and its confirmation',
    body: EmptyTrashBody, response: EmptyTrashResult, errors: ['VALIDATION_FAILED'],
  }),

  getJobsStatus: defineRoute({
    method: 'get', path: '/api/jobs', tag: 'jobs', summary: 'Job counts per lane and state, and recent failures',
    query: JobsStatusQuery, response: JobsStatus, errors: ['VALIDATION_FAILED'],
  }),
  setLanePaused: defineRoute({
    method: 'put', path: '/api/jobs/lanes/{lane}', tag: 'jobs', summary: 'Pause or resume a lane (running jobs finish)',
    params: LaneParam, body: SetLaneBody, response: LaneCounts, errors: ['VALIDATION_FAILED'],
  }),
  retryFailedJobs: defineRoute({
    method: 'post', path: '/api/jobs/retry-failed', tag: 'jobs', summary: 'Queue every failed job again',
    body: RetryFailedBody, response: RetryFailedResult, errors: ['VALIDATION_FAILED'],
  }),

  listPeople: defineRoute({
    method: 'get', path: '/api/people', tag: 'people', summary: 'Everyone found in the library, most photographed first',
    query: PeopleQuery, response: PeopleList, errors: ['VALIDATION_FAILED'],
  }),
  createPerson: defineRoute({
    method: 'post', path: '/api/people', tag: 'people', summary: 'Start a person from faces (taken from whoever had them)',
    body: CreatePersonBody, response: Person, status: 201, errors: ['VALIDATION_FAILED', 'FACE_NOT_FOUND'],
  }),
  getPerson: defineRoute({
    method: 'get', path: '/api/people/{id}', tag: 'people', summary: 'One person',
    params: IdParam, response: Person, errors: ['PERSON_NOT_FOUND'],
  }),
  updatePerson: defineRoute({
    method: 'patch', path: '/api/people/{id}', tag: 'people', summary: 'Name, hide or show a person, or choose their cover face',
    params: IdParam, body: UpdatePersonBody, response: Person, errors: ['PERSON_NOT_FOUND', 'FACE_NOT_FOUND', 'VALIDATION_FAILED'],
  }),
  mergePeople: defineRoute({
    method: 'post', path: '/api/people/{id}/merge', tag: 'people', summary: "Merge other people into this one: their faces become this person's",
    params: IdParam, body: MergePeopleBody, response: MergePeopleResult, errors: ['PERSON_NOT_FOUND', 'VALIDATION_FAILED'],
  }),
  listPersonFaces: defineRoute({
    method: 'get', path: '/api/people/{id}/faces', tag: 'people', summary: "The person's faces, best-detected first",
    params: IdParam, query: PersonFacesQuery, response: z.array(Face), errors: ['PERSON_NOT_FOUND', 'VALIDATION_FAILED'],
  }),
  getPersonThumbnail: defineRoute({
    method: 'get', path: '/api/people/{id}/thumbnail', tag: 'people', summary: "The person's cover face, cropped (webp)",
    params: IdParam, response: { kind: 'file', contentTypes: ['image/webp'] }, errors: ['PERSON_NOT_FOUND', 'DERIVATIVE_NOT_FOUND'],
  }),
  reclusterPeople: defineRoute({
    method: 'post', path: '/api/people/recluster', tag: 'people',
    summary: 'Group every face again; named and hidden people and faces placed by hand are kept',
    body: ReclusterBody, response: ReclusterResult, errors: ['VALIDATION_FAILED'],
  }),
  getAssetFaces: defineRoute({
    method: 'get', path: '/api/assets/{id}/faces', tag: 'people', summary: 'The faces in one asset, with their boxes and people',
    params: IdParam, response: z.array(Face), errors: ['ASSET_NOT_FOUND'],
  }),
  assignFace: defineRoute({
    method: 'put', path: '/api/faces/{id}', tag: 'people', summary: 'Move a face to another person, or to nobody',
    params: IdParam, body: AssignFaceBody, response: Face, errors: ['FACE_NOT_FOUND', 'PERSON_NOT_FOUND', 'VALIDATION_FAILED'],
  }),
  getFaceThumbnail: defineRoute({
    method: 'get', path: '/api/faces/{id}/thumbnail', tag: 'people', summary: 'One face, cropped (webp)',
    params: IdParam, response: { kind: 'file', contentTypes: ['image/webp'] }, errors: ['FACE_NOT_FOUND', 'DERIVATIVE_NOT_FOUND'],
  }),

  smartSearch: defineRoute({
    method: 'get', path: '/api/search/smart', tag: 'search',
    summary: 'Assets ranked by how well they match a description (CLIP), within the usual filters',
    query: SmartSearchQuery, response: RankedAssets, errors: ['VALIDATION_FAILED', 'MODEL_MISSING', 'ML_DISABLED'],
  }),
  getSimilarAssets: defineRoute({
    method: 'get', path: '/api/assets/{id}/similar', tag: 'search', summary: 'Assets that look like this one, closest first',
    params: IdParam, query: SimilarQuery, response: RankedAssets,
    errors: ['ASSET_NOT_FOUND', 'EMBEDDING_NOT_READY', 'VALIDATION_FAILED'],
  }),

  getMlStatus: defineRoute({
    method: 'get', path: '/api/ml', tag: 'ml', summary: 'The models (present, missing, loaded, downloading) and the ML settings',
    response: MlStatus, errors: [],
  }),
  updateMlSettings: defineRoute({
    method: 'patch', path: '/api/ml/settings', tag: 'ml', summary: 'Switch machine learning, faces or smart search on or off; tune face grouping',
    body: MlSettingsPatch, response: MlSettings, errors: ['VALIDATION_FAILED'],
  }),
  downloadModel: defineRoute({
    method: 'post', path: '/api/ml/models/{id}/download', tag: 'ml',
    summary: 'Start downloading a model (resumes a partial one); poll the model status for progress',
    params: ModelIdParam, response: ModelStatus, status: 202, errors: ['MODEL_NOT_FOUND', 'DOWNLOAD_FAILED'],
  }),
  tokenize: defineRoute({
    method: 'get', path: '/api/ml/tokenize', tag: 'ml', summary: 'The CLIP token ids of a text, for checking',
    query: TokenizeQuery, response: TokenizeResult, errors: ['VALIDATION_FAILED', 'MODEL_MISSING'],
  }),
} as const;

export type Routes = typeof routes;
export type RouteKey = keyof Routes;
export const routeKeys = Object.keys(routes) as RouteKey[];
