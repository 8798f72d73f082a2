// The CLI's machine-learning commands: model status and downloads, the CLIP tokenizer, people
// and smart search. Each opens the engine on the data folder, does one thing and closes it.
import { AppError, SmartSearchQuery, type RankedAsset } from '@shoebox/core/contract';
import { LOCAL_OWNER, type Engine } from '../engine/engine.ts';
import { withEngine, withWritingEngine, type GlobalOptions } from './commands.ts';
import { Progress } from './progress.ts';

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

export async function mlStatusCommand(g: GlobalOptions, opts: { json?: boolean }): Promise<void> {
  await withEngine(g, (engine) => {
    const status = engine.mlControl.status();
    if (opts.json) {
      console.log(JSON.stringify(status, null, 2));
      return;
    }
    const s = status.settings;
    console.log(`machine learning: ${s.enabled ? 'on' : 'off'} (faces ${s.faces ? 'on' : 'off'}, smart search ${s.smartSearch ? 'on' : 'off'})`);
    console.log(`models folder: ${status.modelsDir}`);
    for (const m of status.models) {
      console.log(`${m.state.padEnd(8)} ${m.loaded ? 'loaded' : '      '} ${m.id.padEnd(22)} ${mib(m.bytes).padStart(10)}  ${m.name} (${m.license})`);
    }
    console.log(`faces: ${status.faces.ready ? 'ready' : 'models missing'}; smart search: ${status.smartSearch.ready ? 'ready' : 'models missing'}, ${status.smartSearch.indexed} assets indexed`);
  });
}

export async function mlDownloadCommand(g: GlobalOptions, ids: string[]): Promise<void> {
  await withEngine(g, async (engine) => {
    const progress = new Progress();
    for (const id of ids) {
      const start = engine.mlControl.download(id);
      if (start.state === 'present' && start.download.state === 'done') continue;
      const timer = setInterval(() => {
        const d = engine.mlControl.status().models.find((m) => m.id === id)?.download;
        if (d) progress.update(`downloading ${id}`, d.receivedBytes, d.totalBytes || null, d.state === 'verifying' ? 'verifying' : '');
      }, 200);
      try {
        await engine.mlControl.downloaded(id);
      } finally {
        clearInterval(timer);
      }
      const m = engine.mlControl.status().models.find((x) => x.id === id);
      progress.finish(`${id}: ${m?.state ?? 'unknown'} (${mib(m?.bytes ?? 0)}, checksum verified)`);
    }
  });
}

export async function mlImportCommand(g: GlobalOptions, folder: string): Promise<void> {
  await withEngine(g, async (engine) => {
    const r = await engine.models.importFrom(folder);
    for (const id of r.installed) console.log(`installed ${id} (checksum verified)`);
    for (const id of r.alreadyPresent) console.log(`already present: ${id}`);
    if (r.notFound.length) console.log(`not in ${folder}: ${r.notFound.join(', ')}`);
    if (r.installed.length > 0) engine.backfillMl();
  });
}

export async function mlSwitchCommand(g: GlobalOptions, enabled: boolean): Promise<void> {
  await withEngine(g, (engine) => {
    engine.mlControl.updateSettings({ enabled });
    console.log(`machine learning is ${enabled ? 'on' : 'off'}`);
  });
}

export async function mlTokenizeCommand(g: GlobalOptions, text: string, opts: { json?: boolean }): Promise<void> {
  await withEngine(g, async (engine) => {
    const tokens = await engine.smartSearch.tokenize(text);
    console.log(opts.json ? JSON.stringify(tokens) : tokens.join(' '));
  });
}

export async function peopleCommand(g: GlobalOptions, opts: { json?: boolean; recluster?: boolean; hidden?: boolean }): Promise<void> {
  const run = async (engine: Engine): Promise<void> => {
    if (opts.recluster) {
      const r = await engine.people.recluster(LOCAL_OWNER);
      console.error(`re-clustered ${r.faces} faces: ${r.people} people, ${r.assigned} faces placed`);
    }
    const list = await engine.people.list(LOCAL_OWNER, { withHidden: opts.hidden ?? false });
    const people = list.people.map((p) => ({
      id: p.id,
      name: p.name,
      hidden: p.hidden,
      faceCount: p.faceCount,
      assetCount: p.assetCount,
      assets: engine.peopleAssetPaths(p.id),
    }));
    if (opts.json) {
      console.log(JSON.stringify(people, null, 2));
      return;
    }
    for (const p of people) {
      console.log(`${p.id}  ${(p.name || '(unnamed)').padEnd(24)} ${String(p.faceCount).padStart(5)} faces${p.hidden ? '  hidden' : ''}`);
      for (const a of p.assets) console.log(`    ${a}`);
    }
    console.error(`${people.length} people; ${list.unassignedFaces} faces belong to nobody yet`);
  };
  // A re-cluster writes to the library: it holds the data-folder lock like the other writers.
  await (opts.recluster ? withWritingEngine(g, run) : withEngine(g, run));
}

export interface SearchOptions {
  json?: boolean;
  limit?: string;
  type?: string;
  from?: string;
  to?: string;
  person?: string;
  folder?: string;
  make?: string;
  like?: string;
}

export async function searchCommand(g: GlobalOptions, text: string | undefined, opts: SearchOptions): Promise<void> {
  await withEngine(g, async (engine) => {
    const filter = {
      ...(opts.type ? { type: opts.type } : {}),
      ...(opts.from ? { from: opts.from } : {}),
      ...(opts.to ? { to: opts.to } : {}),
      ...(opts.person ? { personId: engine.personIdFor(opts.person) } : {}),
      ...(opts.folder ? { folder: opts.folder, recursive: 'true' } : {}),
      ...(opts.make ? { make: opts.make } : {}),
      limit: opts.limit ?? '20',
    };
    let items: RankedAsset[];
    if (opts.like) {
      const assetId = engine.assetIdFor(opts.like);
      const q = SmartSearchQuery.omit({ q: true }).safeParse(filter);
      if (!q.success) throw new AppError('VALIDATION_FAILED', q.error.issues[0]?.message ?? 'invalid search');
      items = (await engine.smartSearch.similar(LOCAL_OWNER, assetId, q.data)).items;
    } else {
      if (!text) throw new AppError('VALIDATION_FAILED', 'say what to look for: shoebox search "dog on a beach"');
      const q = SmartSearchQuery.safeParse({ ...filter, q: text });
      if (!q.success) throw new AppError('VALIDATION_FAILED', q.error.issues[0]?.message ?? 'invalid search');
      items = (await engine.smartSearch.search(LOCAL_OWNER, q.data)).items;
    }
    const paths = engine.assetPaths(items.map((i) => i.id));
    const rows = items.map((i, rank) => ({ rank: rank + 1, id: i.id, score: Number(i.score.toFixed(4)), path: paths.get(i.id) ?? null, type: i.type, takenAt: i.takenAt }));
    if (opts.json) {
      console.log(JSON.stringify(rows, null, 2));
      return;
    }
    for (const r of rows) console.log(`${String(r.rank).padStart(3)}  ${r.score.toFixed(3)}  ${r.path}`);
    if (rows.length === 0) console.error('nothing found (has the library been through smart search? see shoebox ml status)');
  });
}
