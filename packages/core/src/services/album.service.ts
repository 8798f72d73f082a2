// Albums: create, rename, describe, choose a cover, add and remove assets, delete.
import { AppError } from '../contract/errors.ts';
import type { Album, CreateAlbumBody, UpdateAlbumBody } from '../contract/schemas/album.schemas.ts';
import type { AlbumRepository } from '../ports/library.ports.ts';

export class AlbumService {
  private readonly albums: AlbumRepository;

  constructor(albums: AlbumRepository) {
    this.albums = albums;
  }

  list(ownerId: string, assetId?: string): Album[] {
    return this.albums.list(ownerId, { assetId });
  }

  get(ownerId: string, id: string): Album {
    const album = this.albums.get(ownerId, id);
    if (!album) throw new AppError('ALBUM_NOT_FOUND', `no album with id ${id}`);
    return album;
  }

  create(ownerId: string, body: CreateAlbumBody): Album {
    return this.albums.create(ownerId, {
      name: body.name,
      description: body.description ?? null,
      assetIds: [...new Set(body.assetIds ?? [])],
    });
  }

  update(ownerId: string, id: string, body: UpdateAlbumBody): Album {
    this.get(ownerId, id);
    if (body.coverAssetId && !this.albums.contains(ownerId, id, body.coverAssetId)) {
      throw new AppError('ASSET_NOT_FOUND', `asset ${body.coverAssetId} is not in this album, so it cannot be its cover`);
    }
    this.albums.update(ownerId, id, body);
    return this.get(ownerId, id);
  }

  delete(ownerId: string, id: string): { deleted: true } {
    if (!this.albums.delete(ownerId, id)) throw new AppError('ALBUM_NOT_FOUND', `no album with id ${id}`);
    return { deleted: true };
  }

  addAssets(ownerId: string, id: string, ids: readonly string[]): { count: number; album: Album } {
    this.get(ownerId, id);
    const count = this.albums.addAssets(ownerId, id, [...new Set(ids)]);
    return { count, album: this.get(ownerId, id) };
  }

  removeAssets(ownerId: string, id: string, ids: readonly string[]): { count: number; album: Album } {
    this.get(ownerId, id);
    const count = this.albums.removeAssets(ownerId, id, [...new Set(ids)]);
    return { count, album: this.get(ownerId, id) };
  }
}
