// Albums: create, rename, describe, choose a cover, add and remove assets, delete.
import { AppError } from '../contract/errors.ts';
import type { Album, CreateAlbumBody, UpdateAlbumBody } from '../contract/schemas/album.schemas.ts';
import type { AlbumRepository } from '../ports/library.ports.ts';

export class AlbumService {
  private readonly albums: AlbumRepository;

  constructor(albums: AlbumRepository) {
    this.albums = albums;
  }

  async list(ownerId: string, assetId?: string): Promise<Album[]> {
    return await this.albums.list(ownerId, { assetId });
  }

  async get(ownerId: string, id: string): Promise<Album> {
    const album = await this.albums.get(ownerId, id);
    if (!album) throw new AppError('ALBUM_NOT_FOUND', `no album with id ${id}`);
    return album;
  }

  async create(ownerId: string, body: CreateAlbumBody): Promise<Album> {
    return await this.albums.create(ownerId, {
      name: body.name,
      description: body.description ?? null,
      assetIds: [...new Set(body.assetIds ?? [])],
    });
  }

  async update(ownerId: string, id: string, body: UpdateAlbumBody): Promise<Album> {
    await this.get(ownerId, id);
    if (body.coverAssetId && !await this.albums.contains(ownerId, id, body.coverAssetId)) {
      throw new AppError('ASSET_NOT_FOUND', `asset ${body.coverAssetId} is not in this album, so it cannot be its cover`);
    }
    await this.albums.update(ownerId, id, body);
    return await this.get(ownerId, id);
  }

  async delete(ownerId: string, id: string): Promise<{ deleted: true }> {
    if (!await this.albums.delete(ownerId, id)) throw new AppError('ALBUM_NOT_FOUND', `no album with id ${id}`);
    return { deleted: true };
  }

  async addAssets(ownerId: string, id: string, ids: readonly string[]): Promise<{ count: number; album: Album }> {
    await this.get(ownerId, id);
    const count = await this.albums.addAssets(ownerId, id, [...new Set(ids)]);
    return { count, album: await this.get(ownerId, id) };
  }

  async removeAssets(ownerId: string, id: string, ids: readonly string[]): Promise<{ count: number; album: Album }> {
    await this.get(ownerId, id);
    const count = await this.albums.removeAssets(ownerId, id, [...new Set(ids)]);
    return { count, album: await this.get(ownerId, id) };
  }
}
