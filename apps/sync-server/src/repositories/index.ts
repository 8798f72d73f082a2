// The server's repositories over one database: core's library and ML ports and the server's own
// (users, sessions, API keys, uploads), each scoped by owner where the port takes one.
import type { Database } from '../db/database.ts';
import { AlbumPgRepository } from './album.pg.repository.ts';
import { ApiKeyPgRepository } from './api-key.pg.repository.ts';
import { AssetPgRepository } from './asset.pg.repository.ts';
import { LibraryRootPgRepository } from './library-root.pg.repository.ts';
import { PeoplePgRepository } from './people.pg.repository.ts';
import { SessionPgRepository } from './session.pg.repository.ts';
import { SmartSearchPg } from './smart-search.pg.ts';
import { TrashPgRepository } from './trash.pg.repository.ts';
import { UploadPgRepository } from './upload.pg.repository.ts';
import { UserPgRepository } from './user.pg.repository.ts';

export { AlbumPgRepository, ApiKeyPgRepository, AssetPgRepository, LibraryRootPgRepository, PeoplePgRepository };
export { SessionPgRepository, SmartSearchPg, TrashPgRepository, UploadPgRepository, UserPgRepository };
export { dropEmptyPeople } from './people.pg.repository.ts';

/** The CLIP image model whose embeddings search reads, unless the composition root says otherwise. */
export const DEFAULT_CLIP_MODEL = 'clip-vit-b32-vision';

export interface RepositoryOptions {
  /** The model tag the clip job stores embeddings under (search reads only those). */
  clipModel?: (() => string) | undefined;
  /** Runs after assets left the catalog (emptied trash, a removed root): their derivative files can go. */
  onAssetsRemoved?: ((ownerId: string, assetIds: string[]) => void | Promise<void>) | undefined;
}

export interface Repositories {
  assets: AssetPgRepository;
  albums: AlbumPgRepository;
  trash: TrashPgRepository;
  people: PeoplePgRepository;
  smartSearch: SmartSearchPg;
  roots: LibraryRootPgRepository;
  users: UserPgRepository;
  sessions: SessionPgRepository;
  apiKeys: ApiKeyPgRepository;
  uploads: UploadPgRepository;
}

export function createRepositories(database: Database, options: RepositoryOptions = {}): Repositories {
  const { db, dataDir } = database;
  return {
    assets: new AssetPgRepository(db, dataDir),
    albums: new AlbumPgRepository(db),
    trash: new TrashPgRepository(db, options.onAssetsRemoved),
    people: new PeoplePgRepository(db, dataDir),
    smartSearch: new SmartSearchPg(db, database.hasVector, options.clipModel ?? (() => DEFAULT_CLIP_MODEL)),
    roots: new LibraryRootPgRepository(db, options.onAssetsRemoved),
    users: new UserPgRepository(db),
    sessions: new SessionPgRepository(db),
    apiKeys: new ApiKeyPgRepository(db),
    uploads: new UploadPgRepository(db),
  };
}
