// Ports of the machine-learning features: people and faces, the CLIP vector index, the model
// runtime and the ML settings. The apps implement them (SQLite + an ML worker on the desktop).
import type { Face, PeopleList, Person, ReclusterResult } from '../contract/schemas/people.schemas.ts';
import type { MlSettings, MlStatus, ModelStatus } from '../contract/schemas/ml.schemas.ts';
import type { RankedAsset } from '../contract/schemas/smart-search.schemas.ts';
import type { TimelineFilter } from '../contract/schemas/timeline.schemas.ts';
import type { Awaitable } from './library.ports.ts';

export interface PersonPatch {
  name?: string | undefined;
  hidden?: boolean | undefined;
  coverFaceId?: string | null | undefined;
}

export interface PeopleRepository {
  list(ownerId: string, opts: { withHidden: boolean; minFaces: number }): Awaitable<PeopleList>;
  get(ownerId: string, id: string): Awaitable<Person | null>;
  /** A new person holding these faces (taken from whoever had them; placed by the user). */
  create(ownerId: string, name: string, faceIds: readonly string[]): Awaitable<Person>;
  update(ownerId: string, id: string, patch: PersonPatch): Awaitable<void>;
  /** Moves the sources' faces to the target and deletes the sources; returns how many faces moved. */
  merge(ownerId: string, targetId: string, sourceIds: readonly string[]): Awaitable<number>;
  faces(ownerId: string, personId: string, limit: number): Awaitable<Face[]>;
  /** The faces of an asset; null when the asset does not exist. */
  assetFaces(ownerId: string, assetId: string): Awaitable<Face[] | null>;
  face(ownerId: string, faceId: string): Awaitable<Face | null>;
  /** Which of these face ids exist. */
  existingFaces(ownerId: string, faceIds: readonly string[]): Awaitable<Set<string>>;
  /** Puts a face in a person (by hand) or in nobody (and keeps clustering from placing it again). */
  assignFace(ownerId: string, faceId: string, personId: string | null): Awaitable<void>;
  /** Absolute path of a face's cropped picture, null when it was not made. */
  faceThumbnail(ownerId: string, faceId: string): Awaitable<string | null>;
  /** The cover face of a person: the chosen one, else the best-detected. */
  coverFace(ownerId: string, personId: string): Awaitable<string | null>;
}

export interface FaceClustering {
  /** Groups every face again, keeping named and hidden people and the faces placed by hand. */
  reclusterAll(ownerId: string): Awaitable<ReclusterResult>;
}

export interface SmartSearchIndex {
  /** Assets ranked by cosine similarity to the vector, within the filter. */
  search(ownerId: string, vector: Float32Array, filter: TimelineFilter, limit: number, excludeAssetId?: string): Awaitable<RankedAsset[]>;
  /** An asset's image embedding; null when it has none yet. */
  embedding(ownerId: string, assetId: string): Awaitable<Float32Array | null>;
  assetExists(ownerId: string, assetId: string): Awaitable<boolean>;
  count(ownerId: string): Awaitable<number>;
  /** The model the stored embeddings come from. */
  modelId(): Awaitable<string>;
}

/** The CLIP text tower and tokenizer, wherever they run (the ML worker on the desktop). */
export interface TextEmbedder {
  /** Throws MODEL_MISSING when the text model or tokenizer is not installed. */
  embedText(text: string): Promise<Float32Array>;
  tokenize(text: string): Promise<number[]>;
}

export interface MlControl {
  settings(): Awaitable<MlSettings>;
  updateSettings(patch: Partial<MlSettings>): Awaitable<MlSettings>;
  /** The models and settings, and how many of this owner's assets smart search has indexed. */
  status(ownerId: string): Awaitable<MlStatus>;
  /** Starts (or joins) a model download; resolves with the model's status once it has started. */
  download(modelId: string): Awaitable<ModelStatus>;
}
