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

  list(ownerId: string, opts: { withHidden?: boolean | undefined; minFaces?: number | undefined }): PeopleList {
    return this.people.list(ownerId, { withHidden: opts.withHidden ?? false, minFaces: opts.minFaces ?? 1 });
  }

  get(ownerId: string, id: string): Person {
    const person = this.people.get(ownerId, id);
    if (!person) throw new AppError('PERSON_NOT_FOUND', `no person with id ${id}`);
    return person;
  }

  create(ownerId: string, body: CreatePersonBody): Person {
    const ids = [...new Set(body.faceIds)];
    const found = this.people.existingFaces(ownerId, ids);
    const missing = ids.find((id) => !found.has(id));
    if (missing) throw new AppError('FACE_NOT_FOUND', `no face with id ${missing}`);
    return this.people.create(ownerId, body.name ?? '', ids);
  }

  update(ownerId: string, id: string, body: UpdatePersonBody): Person {
    this.get(ownerId, id);
    if (body.coverFaceId) {
      const face = this.people.face(ownerId, body.coverFaceId);
      if (!face || face.personId !== id) {
        throw new AppError('FACE_NOT_FOUND', `face ${body.coverFaceId} is not one of this person's faces`);
      }
    }
    this.people.update(ownerId, id, body);
    return this.get(ownerId, id);
  }

  merge(ownerId: string, id: string, sourceIds: readonly string[]): { person: Person; mergedFaces: number } {
    this.get(ownerId, id);
    const sources = [...new Set(sourceIds)].filter((s) => s !== id);
    if (sources.length === 0) throw new AppError('VALIDATION_FAILED', 'a person cannot be merged into themselves');
    for (const s of sources) this.get(ownerId, s);
    const mergedFaces = this.people.merge(ownerId, id, sources);
    return { person: this.get(ownerId, id), mergedFaces };
  }

  faces(ownerId: string, id: string, limit: number): Face[] {
    this.get(ownerId, id);
    return this.people.faces(ownerId, id, limit);
  }

  assetFaces(ownerId: string, assetId: string): Face[] {
    const faces = this.people.assetFaces(ownerId, assetId);
    if (!faces) throw new AppError('ASSET_NOT_FOUND', `no asset with id ${assetId}`);
    return faces;
  }

  assignFace(ownerId: string, faceId: string, personId: string | null): Face {
    if (!this.people.face(ownerId, faceId)) throw new AppError('FACE_NOT_FOUND', `no face with id ${faceId}`);
    if (personId) this.get(ownerId, personId);
    this.people.assignFace(ownerId, faceId, personId);
    const face = this.people.face(ownerId, faceId);
    if (!face) throw new AppError('FACE_NOT_FOUND', `no face with id ${faceId}`);
    return face;
  }

  personThumbnail(ownerId: string, id: string): FileResult {
    this.get(ownerId, id);
    const face = this.people.coverFace(ownerId, id);
    const file = face ? this.people.faceThumbnail(ownerId, face) : null;
    if (!file) throw new AppError('DERIVATIVE_NOT_FOUND', `no face picture for person ${id} yet`);
    return { filePath: file, contentType: 'image/webp', cacheSeconds: 0 };
  }

  faceThumbnail(ownerId: string, faceId: string): FileResult {
    if (!this.people.face(ownerId, faceId)) throw new AppError('FACE_NOT_FOUND', `no face with id ${faceId}`);
    const file = this.people.faceThumbnail(ownerId, faceId);
    if (!file) throw new AppError('DERIVATIVE_NOT_FOUND', `no picture for face ${faceId}`);
    return { filePath: file, contentType: 'image/webp', cacheSeconds: 86_400 };
  }

  recluster(ownerId: string): ReclusterResult {
    return this.clustering.reclusterAll(ownerId);
  }
}
