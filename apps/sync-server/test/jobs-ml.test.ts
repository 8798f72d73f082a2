// Faces and smart search in the server's job system, on PGlite and on the Postgres server. Without
// models nothing ML is queued; once they are installed (the real YuNet and MobileFaceNet from
// ../shared/models, CLIP models generated with the real signature) the backfill queues the work:
// faces per labelled photo of ../shared/corpus/faces clustered into one person per identity, CLIP
// embeddings per asset, a full re-cluster (core's FaceClustering port) keeps named people, and
// the ML routes (core's MlControl) answer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS } from '@shoebox/media-node/testing/corpus-manifest';
import { readManifest } from '@shoebox/media-node/ml/model-store';
import { generateTestClipModels, REAL_MANIFEST_PATH, writeTestManifest } from '../../../resources/models/generate-test-models.ts';
import { MlStatus, PeopleList } from '@shoebox/core/contract';
import { createJobSystem, type JobSystem } from '../src/jobs/job-system.ts';
import { PgMlSettings } from '../src/jobs/ml/ml-settings.pg.ts';
import { createRepositories } from '../src/repositories/index.ts';
import { num } from '../src/jobs/sql-exec.ts';
import { insertAsset, insertUser, openTestDatabase, type DbKind, type TestDatabase } from './helpers/jobs-db.ts';
import { silentLog } from './helpers/jobs-fakes.ts';

const SHARED_MODELS = path.resolve(CORPUS, '..', 'models');
const FACES = path.join(CORPUS, 'faces');
const KINDS: DbKind[] = ['pglite', 'postgres'];
const COLOURS: Record<string, [number, number, number]> = { red: [220, 30, 30], yellow: [240, 220, 30], blue: [30, 40, 220] };

interface Label {
  path: string;
  person: string;
  faces: number;
}

const labels: Label[] = fs.readFileSync(path.join(FACES, 'LABELS.tsv'), 'utf8').trim().split('\n').slice(1).map((line) => {
  const [p, person, faces] = line.split('\t');
  return { path: path.join(FACES, p!), person: person!, faces: Number(faces) };
});
const crops = labels.filter((l) => l.person !== '(group)');

/** A models folder with the real face models (linked) and generated CLIP models, and its manifest. */
function installModels(dir: string, tmp: string): void {
  for (const [id, file] of [['yunet', 'face_detection_yunet_dynamic.onnx'], ['mobilefacenet', 'mobilefacenet.onnx']] as const) {
    fs.mkdirSync(path.join(dir, id), { recursive: true });
    fs.symlinkSync(path.join(SHARED_MODELS, id, file), path.join(dir, id, file));
  }
  const generated = generateTestClipModels(dir, readManifest(REAL_MANIFEST_PATH));
  writeTestManifest(path.join(tmp, 'manifest.json'), 'http://127.0.0.1:9/models', generated);
}

const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i]!, 0);

describe.each(KINDS)('faces and smart search jobs (%s)', (kind) => {
  let t: TestDatabase;
  let jobs: JobSystem;
  let owner: string;
  let tmp: string;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'shoebox-ml-jobs-'));
    const modelsDir = path.join(tmp, 'models');
    fs.mkdirSync(modelsDir);
    // The manifest must exist from the start (the ML worker reads it from its environment).
    writeTestManifest(path.join(tmp, 'manifest.json'), 'http://127.0.0.1:9/models',
      generateTestClipModels(path.join(tmp, 'unused'), readManifest(REAL_MANIFEST_PATH)));
    owner = await insertUser(t.sql);
    const manifest = path.join(tmp, 'manifest.json');
    jobs = createJobSystem({
      database: t.database, storageRoot: path.join(t.dataDir, 'storage'), dataDir: t.dataDir, log: silentLog, workers: 2,
      modelsDir, modelsManifest: manifest, workerEnv: { ...process.env, SHOEBOX_MODELS_MANIFEST: manifest },
      timing: { pollMs: 50 },
    });
    await jobs.start();
    for (const [name, [r, g, b]] of Object.entries(COLOURS)) {
      const file = path.join(tmp, `${name}.jpg`);
      await sharp({ create: { width: 320, height: 240, channels: 3, background: { r, g, b } } }).jpeg().toFile(file);
      ids.set(file, await insertAsset(t.sql, { ownerId: owner, path: file }));
    }
    for (const l of labels) ids.set(l.path, await insertAsset(t.sql, { ownerId: owner, path: l.path }));
    for (const id of ids.values()) await jobs.onUploaded(owner, id);
    await jobs.whenIdle();
  }, 300_000);

  afterAll(async () => {
    await jobs?.stop();
    await t?.cleanup();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('queues no faces or CLIP work while the models are missing', async () => {
    const rows = await t.sql.rows(sql`SELECT name FROM jobs WHERE name IN ('faces', 'clip', 'cluster')`);
    expect(rows).toEqual([]);
    expect(await jobs.wanted('faces')).toBe(false);
    expect(await jobs.wanted('clip')).toBe(false);
    const previews = await t.sql.rows(sql`SELECT 1 FROM derivatives WHERE preview_path IS NOT NULL`);
    expect(previews).toHaveLength(ids.size);
  });

  it('queues the skipped work once the models are installed, and runs it', async () => {
    installModels(jobs.models.dir, tmp);
    expect(await jobs.backfillMl()).toBe(ids.size * 2);
    await jobs.whenIdle();
    const states = await t.sql.rows<{ task: string; n: unknown; errors: unknown }>(sql`
      SELECT task, count(*) AS n, count(error) AS errors FROM ml_state GROUP BY task ORDER BY task`);
    expect(states.map((s) => [s.task, num(s.n), num(s.errors)])).toEqual([['clip', ids.size, 0], ['faces', ids.size, 0]]);
    const failed = await t.sql.rows(sql`SELECT name, error FROM jobs WHERE status <> 'done'`);
    expect(failed).toEqual([]);
    // Again: nothing is missing any more.
    expect(await jobs.backfillMl()).toBe(0);
  }, 300_000);

  it('runs faces, CLIP and clustering after the preview of a new upload once the models are there', async () => {
    const file = path.join(tmp, 'penny-again.png');
    fs.symlinkSync(crops.find((c) => c.person === 'penny')!.path, file);
    const id = await insertAsset(t.sql, { ownerId: owner, path: file });
    await jobs.onUploaded(owner, id);
    await jobs.whenIdle();
    const names = await t.sql.rows<{ name: string; status: string }>(sql`SELECT name, status FROM jobs WHERE asset_id = ${id} ORDER BY id`);
    expect(names).toEqual(['metadata', 'thumbnail', 'preview', 'faces', 'clip'].map((name) => ({ name, status: 'done' })));
    const [face] = await t.sql.rows<{ person_id: string | null }>(sql`SELECT person_id FROM faces WHERE asset_id = ${id}`);
    const [penny] = await t.sql.rows<{ person_id: string }>(sql`
      SELECT f.person_id FROM faces f JOIN assets a ON a.id = f.asset_id WHERE a.path = ${crops.find((c) => c.person === 'penny')!.path}`);
    // The cluster job placed the new face with the same person's others.
    expect(face?.person_id).toBe(penny!.person_id);
    const [emb] = await t.sql.rows(sql`SELECT 1 FROM smart_embeddings WHERE asset_id = ${id}`);
    expect(emb).toBeDefined();
    ids.set(file, id);
  }, 120_000);

  it('finds one face per crop and the labelled number in each group photo, with crops on disk', async () => {
    const rows = await t.sql.rows<{ path: string; n: unknown }>(sql`
      SELECT a.path, count(f.id) AS n FROM assets a LEFT JOIN faces f ON f.asset_id = a.id GROUP BY a.path`);
    const found = new Map(rows.map((r) => [r.path, num(r.n)]));
    for (const l of labels) expect({ file: path.basename(l.path), faces: found.get(l.path) }).toEqual({ file: path.basename(l.path), faces: l.faces });
    for (const file of Object.keys(COLOURS)) expect(found.get(path.join(tmp, `${file}.jpg`))).toBe(0);
    const faces = await t.sql.rows<{ embedding: unknown; thumbnail_path: string; landmarks: unknown; owner_id: string }>(sql`
      SELECT embedding, thumbnail_path, landmarks, owner_id FROM faces`);
    for (const f of faces) {
      const e = (Array.isArray(f.embedding) ? f.embedding : []) as number[];
      expect(e).toHaveLength(128);
      expect(dot(e, e)).toBeCloseTo(1, 3);
      expect(f.owner_id).toBe(owner);
      expect(f.landmarks).toHaveLength(5);
      expect(f.thumbnail_path).toMatch(/-face\.\d+\.webp$/);
      expect(fs.existsSync(path.resolve(t.dataDir, f.thumbnail_path))).toBe(true);
    }
  });

  it('clusters the faces into one person per identity', async () => {
    const rows = await t.sql.rows<{ path: string; person_id: string | null }>(sql`
      SELECT a.path, f.person_id FROM faces f JOIN assets a ON a.id = f.asset_id`);
    const identity = new Map(crops.map((c) => [c.path, c.person]));
    const peopleOf = new Map<string, Set<string>>();
    const membersOf = new Map<string, string[]>();
    for (const r of rows) {
      const who = identity.get(r.path);
      if (!who || !r.person_id) continue;
      peopleOf.set(who, (peopleOf.get(who) ?? new Set()).add(r.person_id));
      membersOf.set(r.person_id, [...(membersOf.get(r.person_id) ?? []), who]);
    }
    // No identity split across people; each person mostly one identity.
    expect([...peopleOf].filter(([, ps]) => ps.size > 1).map(([who]) => who)).toEqual([]);
    let majority = 0;
    let clustered = 0;
    for (const members of membersOf.values()) {
      const counts = new Map<string, number>();
      for (const m of members) counts.set(m, (counts.get(m) ?? 0) + 1);
      majority += Math.max(...counts.values());
      clustered += members.length;
    }
    expect(majority / clustered).toBeGreaterThanOrEqual(0.95);
    expect(clustered).toBeGreaterThanOrEqual(Math.ceil(crops.length * 0.95));
    expect(peopleOf.size).toBe(new Set(crops.map((c) => c.person)).size);
  });

  it('stores a unit CLIP embedding per asset, similar colours closer', async () => {
    const rows = await t.sql.rows<{ path: string; embedding: number[]; model: string }>(sql`
      SELECT a.path, s.embedding, s.model FROM smart_embeddings s JOIN assets a ON a.id = s.asset_id`);
    expect(rows).toHaveLength(ids.size);
    const of = (name: string): number[] => rows.find((r) => r.path === path.join(tmp, `${name}.jpg`))!.embedding;
    expect(dot(of('red'), of('red'))).toBeCloseTo(1, 3);
    expect(dot(of('red'), of('yellow'))).toBeGreaterThan(dot(of('red'), of('blue')));
    expect(rows[0]!.model).toMatch(/^clip-vit-b32-vision@[0-9a-f]{12}$/);
  });

  it('is what the people and smart search repositories read', async () => {
    const repos = createRepositories(t.database);
    const people = PeopleList.parse(await repos.people.list(owner, { withHidden: true, minFaces: 1 }));
    expect(people.people.length).toBe(new Set(crops.map((c) => c.person)).size);
    const some = people.people[0]!;
    const faces = await repos.people.faces(owner, some.id, 50);
    expect(faces.length).toBe(some.faceCount);
    expect(await repos.people.faceThumbnail(owner, faces[0]!.id)).toMatch(/-face\.\d+\.webp$/);
    const red = ids.get(path.join(tmp, 'red.jpg'))!;
    expect((await repos.smartSearch.embedding(owner, red))?.length).toBe(512);
    const embedder = jobs.mlServices;
    // The tokenizer and text model decide: search says what is missing.
    await expect(embedder.embedText('red')).rejects.toMatchObject({ code: 'MODEL_MISSING' });
  });

  it('answers the ML routes: status, settings (persisted), unknown models', async () => {
    const status = MlStatus.parse(await jobs.mlControl.status(owner));
    expect(status.faces.ready).toBe(true);
    // The tokenizer is not installed here.
    expect(status.smartSearch).toEqual({ ready: false, indexed: ids.size });
    // Only the owner's own assets are counted.
    expect((await jobs.mlControl.status(await insertUser(t.sql))).smartSearch.indexed).toBe(0);
    expect(status.models.find((m) => m.id === 'yunet')).toMatchObject({ state: 'present' });
    expect(status.models.find((m) => m.id === 'clip-tokenizer')).toMatchObject({ state: 'missing', download: { state: 'idle' } });
    const off = await jobs.mlControl.updateSettings({ faces: false });
    expect(off.faces).toBe(false);
    expect(await jobs.wanted('faces')).toBe(false);
    expect(await new PgMlSettings(t.sql).get()).toMatchObject({ faces: false, smartSearch: true });
    await jobs.mlControl.updateSettings({ faces: true });
    expect(await jobs.wanted('faces')).toBe(true);
    expect(() => jobs.mlControl.download('no-such-model')).toThrow(/no model called/);
  });

  it('re-clusters every face, keeping a named person and the faces placed by hand', async () => {
    const [named] = await t.sql.rows<{ person_id: string; n: unknown }>(sql`
      SELECT person_id, count(*) AS n FROM faces WHERE person_id IS NOT NULL GROUP BY person_id ORDER BY count(*) DESC, person_id LIMIT 1`);
    await t.sql.rows(sql`UPDATE people SET name = 'Penny' WHERE id = ${named!.person_id}`);
    const [loose] = await t.sql.rows<{ id: string }>(sql`SELECT id FROM faces WHERE person_id IS DISTINCT FROM ${named!.person_id} LIMIT 1`);
    await t.sql.rows(sql`UPDATE faces SET person_id = NULL, assigned_by = 'user' WHERE id = ${loose!.id}`);
    const result = await jobs.clustering.reclusterAll(owner);
    // The labelled faces, and the one of the upload above.
    const total = labels.reduce((n, l) => n + l.faces, 0) + 1;
    expect(result.faces).toBe(total);
    expect(result.people).toBeGreaterThanOrEqual(6);
    const [kept] = await t.sql.rows<{ n: unknown }>(sql`SELECT count(*) AS n FROM faces WHERE person_id = ${named!.person_id}`);
    expect(num(kept!.n)).toBe(num(named!.n));
    const [person] = await t.sql.rows(sql`SELECT name FROM people WHERE id = ${named!.person_id}`);
    expect(person).toEqual({ name: 'Penny' });
    const [face] = await t.sql.rows(sql`SELECT person_id, assigned_by FROM faces WHERE id = ${loose!.id}`);
    expect(face).toEqual({ person_id: null, assigned_by: 'user' });
    // Another owner's faces are not touched by this owner's re-cluster (and it has none).
    const other = await insertUser(t.sql);
    expect(await jobs.clustering.reclusterAll(other)).toEqual({ people: 0, faces: 0, assigned: 0 });
  });
});
