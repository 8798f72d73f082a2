// People, faces, machine learning and smart search for the fake library: the route answers the
// engine would give, over state a test can read and change.
import type { AssetDetail, Face, MlStatus, ModelStatus, Person, RankedAsset, TimelineAsset } from '@shoebox/core/contract';
import { ApiError } from '../src/api/client.ts';
import type { FakeInput, FakeLibrary } from './fake-api.ts';

const id = (prefix: string, n: number) => `${prefix}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
export const personId = (n: number) => id('10000000', n);
export const faceId = (n: number) => id('20000000', n);
const NOW = '2024-06-01T10:00:00.000Z';

export function person(n: number, name: string, assetCount: number, extra: Partial<Person> = {}): Person {
  return { id: personId(n), name, hidden: false, faceCount: assetCount, assetCount, coverFaceId: null, createdAt: NOW, updatedAt: NOW, ...extra };
}

export function face(n: number, assetId: string, owner: Person | null, box: Face['box']): Face {
  return { id: faceId(n), assetId, personId: owner?.id ?? null, personName: owner?.name ?? null, box, score: 0.92, assignedBy: owner ? 'machine' : null };
}

function model(id: string, task: ModelStatus['task'], bytes: number, state: ModelStatus['state']): ModelStatus {
  return { id, task, name: id, bytes, license: 'MIT', state, loaded: false, download: { state: 'idle', receivedBytes: 0, totalBytes: 0, error: null } };
}

export function mlStatus(opts: { clip?: boolean; enabled?: boolean } = {}): MlStatus {
  const clip = opts.clip ?? true;
  return {
    settings: { enabled: opts.enabled ?? true, faces: true, smartSearch: true, minFaceScore: 0.6, minFaceSize: 24, personMatch: 0.55, minFacesForPerson: 3 },
    modelsDir: '/data/models',
    models: [
      model('yunet', 'face-detection', 232_589, 'present'),
      model('mobilefacenet', 'face-embedding', 3_998_070, 'present'),
      model('clip-vit-b32-vision', 'clip-vision', 350_000_000, clip ? 'present' : 'missing'),
      model('clip-vit-b32-text', 'clip-text', 250_000_000, clip ? 'present' : 'missing'),
      model('clip-tokenizer', 'clip-tokenizer', 1_356_917, 'present'),
    ],
    faces: { ready: true },
    smartSearch: { ready: clip, indexed: clip ? 120 : 0 },
  };
}

export function detail(a: TimelineAsset): AssetDetail {
  const derivative = { state: 'ready' as const, error: null, width: 1440, height: 1080 };
  return {
    id: a.id, type: a.type, rootId: id('30000000', 1), path: `/photos/${a.fileName}`, fileName: a.fileName, size: 2_000_000,
    checksum: 'a'.repeat(40), takenAt: a.takenAt, takenAtUtc: '2024-12-28T08:00:00.000Z', takenAtSource: 'offset', width: a.width,
    height: a.height, orientation: 1, duration: a.duration, isFavorite: a.isFavorite, isArchived: false, trashedAt: null, rating: null,
    status: 'ok', offline: false, livePhotoVideoId: null, motionPhoto: false, duplicateOf: null, thumbhash: null, mtime: NOW,
    description: null, error: null, livePhotoVideoPath: null, sidecars: [],
    exif: {
      make: null, model: null, lens: null, fNumber: null, exposureTime: null, iso: null, focalLength: null, latitude: null,
      longitude: null, altitude: null, videoCodec: null, fileType: 'JPEG', mimeType: 'image/jpeg', keywords: [],
    },
    derivatives: { thumbnail: derivative, preview: derivative, video: null }, createdAt: NOW, updatedAt: NOW,
  };
}

export interface MlState {
  people: Person[];
  faces: Face[];
  ml: MlStatus;
  /** What smartSearch answers, best first; or the error it throws. */
  ranked: RankedAsset[];
  smartError: ApiError | null;
  /** Bytes a polled download advances per status request. */
  step: number;
}

const notFound = (what: string) => new ApiError(404, `${what}_NOT_FOUND`, `no ${what.toLowerCase()} with that id`);

/** Installs the people, faces, ML and smart search routes on `lib`, over the returned state. */
export function withMl(lib: FakeLibrary, initial: Partial<MlState> = {}): MlState {
  const s: MlState = { people: [], faces: [], ml: mlStatus(), ranked: [], smartError: null, step: 100_000_000, ...initial };
  const find = (pid: string | undefined) => {
    const p = s.people.find((x) => x.id === pid);
    if (!p) throw notFound('PERSON');
    return p;
  };
  const counts = (p: Person) => {
    const mine = s.faces.filter((f) => f.personId === p.id);
    p.faceCount = mine.length || p.faceCount;
  };
  const r = lib.routes;
  r.listPeople = (i: FakeInput) => {
    const all = [...s.people].sort((a, b) => b.assetCount - a.assetCount);
    const people = i.query?.withHidden === 'true' ? all : all.filter((p) => !p.hidden);
    return { people, total: people.length, hidden: all.filter((p) => p.hidden).length, unassignedFaces: s.faces.filter((f) => !f.personId).length };
  };
  r.getPerson = (i) => find(i.params?.id);
  r.updatePerson = (i) => {
    const p = find(i.params?.id);
    Object.assign(p, i.body);
    for (const f of s.faces) if (f.personId === p.id) f.personName = p.name;
    return { ...p };
  };
  r.mergePeople = (i) => {
    const into = find(i.params?.id);
    const ids = (i.body?.ids ?? []) as string[];
    let moved = 0;
    for (const other of ids.map(find)) {
      into.assetCount += other.assetCount;
      into.faceCount += other.faceCount;
      moved += other.faceCount;
      s.people = s.people.filter((p) => p.id !== other.id);
    }
    return { person: { ...into }, mergedFaces: moved };
  };
  r.listPersonFaces = (i) => s.faces.filter((f) => f.personId === find(i.params?.id).id);
  r.getAssetFaces = (i) => s.faces.filter((f) => f.assetId === i.params?.id);
  r.assignFace = (i) => {
    const f = s.faces.find((x) => x.id === i.params?.id);
    if (!f) throw notFound('FACE');
    const to = i.body?.personId ? find(i.body.personId as string) : null;
    Object.assign(f, { personId: to?.id ?? null, personName: to?.name ?? null, assignedBy: to ? 'user' : null });
    return { ...f };
  };
  r.createPerson = (i) => {
    const p = person(s.people.length + 100, (i.body?.name as string | undefined) ?? '', 1);
    s.people.push(p);
    for (const fid of (i.body?.faceIds ?? []) as string[]) r.assignFace!({ params: { id: fid }, body: { personId: p.id } });
    counts(p);
    return p;
  };
  r.reclusterPeople = () => ({ people: s.people.length, faces: s.faces.length, assigned: s.faces.filter((f) => f.personId).length });
  r.getAsset = (i) => {
    const a = lib.assets.find((x) => x.id === i.params?.id);
    if (!a) throw notFound('ASSET');
    return detail(a);
  };
  r.getMlStatus = () => {
    for (const m of s.ml.models) {
      if (m.download.state !== 'downloading') continue;
      m.download.receivedBytes = Math.min(m.bytes, m.download.receivedBytes + s.step);
      if (m.download.receivedBytes === m.bytes) Object.assign(m, { state: 'present', download: { ...m.download, state: 'done' } });
    }
    s.ml.smartSearch.ready = s.ml.models.filter((m) => m.task.startsWith('clip-')).every((m) => m.state === 'present');
    return structuredClone(s.ml);
  };
  r.updateMlSettings = (i) => {
    Object.assign(s.ml.settings, i.body);
    return { ...s.ml.settings };
  };
  r.downloadModel = (i) => {
    const m = s.ml.models.find((x) => x.id === i.params?.id);
    if (!m) throw notFound('MODEL');
    m.download = { state: 'downloading', receivedBytes: 0, totalBytes: m.bytes, error: null };
    return structuredClone(m);
  };
  r.smartSearch = (i) => {
    if (s.smartError) throw s.smartError;
    return { items: s.ranked.slice(0, Number(i.query?.limit ?? 200)), model: 'clip-vit-b32', indexed: s.ml.smartSearch.indexed };
  };
  r.getSimilarAssets = () => ({ items: s.ranked, model: 'clip-vit-b32', indexed: s.ml.smartSearch.indexed });
  r.getSearchFacets = () => ({ cameras: [], fileTypes: [], firstDate: null, lastDate: null });
  r.getFolders = () => [];
  r.getServerInfo = () => ({
    name: 'shoebox', version: '0.1.0', mode: 'headless', apiVersion: 1, assets: { image: lib.assets.length, video: 0, failed: 0, offline: 0 },
    roots: 1, startedAt: NOW,
  });
  return s;
}

/** The first `n` assets of the library as ranked results, in the order given. */
export function rankedFrom(assets: readonly TimelineAsset[], order: readonly number[]): RankedAsset[] {
  return order.map((k, rank) => ({ ...assets[k]!, score: 0.9 - rank * 0.01 }));
}
