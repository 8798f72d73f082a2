// People and faces: list, name, hide, merge, choose covers, move faces, re-cluster.
import { AppError } from '../contract/errors.ts';
import type { FileResult } from '../contract/route.ts';
import type {
  CreatePersonBody, Face, PeopleList, Person, ReclusterResult, UpdatePersonBody,
} from '../contract/schemas/people.schemas.ts';
import type { FaceClustering, PeopleRepository } from '../ports/ml.ports.ts';

export class PeopleService {
  private readonly people: PeopleRepository;
  private readonly clustering: FaceClustering;

  constructor(people: PeopleRepository, clustering: FaceClustering) {
    this.people = people;
    this.clustering = clustering;
  }

  async list(ownerId: string, opts: { withHidden?: boolean | undefined; minFaces?: number | undefined }): Promise<PeopleList> {
    return await this.people.list(ownerId, { withHidden: opts.withHidden ?? false, minFaces: opts.minFaces ?? 1 });
  }

  async get(ownerId: string, id: string): Promise<Person> {
    const person = await this.people.get(ownerId, id);
    if (!person) throw new AppError('PERSON_NOT_FOUND', `no person with id ${id}`);
    return person;
  }

  async create(ownerId: string, body: CreatePersonBody): Promise<Person> {
    const ids = [...new Set(body.faceIds)];
    const found = await this.people.existingFaces(ownerId, ids);
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw new AppError('FACE_NOT_FOUND', `no face with id ${missing}`);
    return await this.people.create(ownerId, body.name ?? '', ids);
  }

  async update(ownerId: string, id: string, body: UpdatePersonBody): Promise<Person> {
    await this.get(ownerId, id);
    if (body.coverFaceId) {
      const face = await this.people.face(ownerId, body.coverFaceId);
      if (!face || face.personId !== id) {
        throw new AppError('FACE_NOT_FOUND', `face ${body.coverFaceId} is not one of this person's faces`);
      }
    }
    await this.people.update(ownerId, id, body);
    return await this.get(ownerId, id);
  }

  async merge(ownerId: string, id: string, sourceIds: readonly string[]): Promise<{ person: Person; mergedFaces: number }> {
    await this.get(ownerId, id);
    const sources = [...new Set(sourceIds)].filter((s) => s !== id);
    if (sources.length === 0) throw new AppError('VALIDATION_FAILED', 'a person cannot be merged into themselves');
    for (const s of sources) await this.get(ownerId, s);
    const mergedFaces = await this.people.merge(ownerId, id, sources);
    return { person: await this.get(ownerId, id), mergedFaces };
  }

  async faces(ownerId: string, id: string, limit: number): Promise<Face[]> {
    await this.get(ownerId, id);
    return await this.people.faces(ownerId, id, limit);
  }

  async assetFaces(ownerId: string, assetId: string): Promise<Face[]> {
    const faces = await this.people.assetFaces(ownerId, assetId);
    if (!faces) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${assetId}`);
    return faces;
  }

  async assignFace(ownerId: string, faceId: string, personId: string | null): Promise<Face> {
    if (!await this.people.face(ownerId, faceId)) throw new AppError('FACE_NOT_FOUND', `no face with id ${faceId}`);
    if (personId) await this.get(ownerId, personId);
    await this.people.assignFace(ownerId, faceId, personId);
    const face = await this.people.face(ownerId, faceId);
    if (!face) throw new AppError('FACE_NOT_FOUND', `no face with id ${faceId}`);
    return face;
  }

  async personThumbnail(ownerId: string, id: string): Promise<FileResult> {
    await this.get(ownerId, id);
    const face = await this.people.coverFace(ownerId, id);
    const file = face ? await this.people.faceThumbnail(ownerId, face) : null;
    if (!file) throw new AppError('DERIVATIVE_NOT_FOUND', `no face picture for person ${id} yet`);
    return { filePath: file, contentType: 'image/webp', cacheSeconds: 0 };
  }

  async faceThumbnail(ownerId: string, faceId: string): Promise<FileResult> {
    if (!await this.people.face(ownerId, faceId)) throw new AppError('FACE_NOT_FOUND', `no face with id ${faceId}`);
    const file = await this.people.faceThumbnail(ownerId, faceId);
    if (!file) throw new AppError('DERIVATIVE_NOT_FOUND', `no picture for face ${faceId}`);
    return { filePath: file, contentType: 'image/webp', cacheSeconds: 86_400 };
  }

  async recluster(ownerId: string): Promise<ReclusterResult> {
    return await this.clustering.reclusterAll(ownerId);
  }
}
