// The ML settings, kept in the catalog's meta table (so they travel with the library). Missing
// keys take the defaults; the face grouping defaults were calibrated on ../shared/corpus/faces.
import { MlSettings } from '@shoebox/core/contract';
import type { Sqlite } from '../db/connection.ts';

export const DEFAULT_ML_SETTINGS: MlSettings = {
  enabled: true,
  faces: true,
  smartSearch: true,
  minFaceScore: 0.75,
  minFaceSize: 20,
  personMatch: 0.3,
  minFacesForPerson: 3,
};

const KEY = 'ml_settings';

export class MlSettingsStore {
  private readonly sqlite: Sqlite;
  private cached: MlSettings | null = null;

  constructor(sqlite: Sqlite) {
    this.sqlite = sqlite;
  }

  get(): MlSettings {
    if (this.cached) return this.cached;
    const row = this.sqlite.prepare(`SELECT value FROM meta WHERE key = ?`).get(KEY) as { value: string } | undefined;
    let stored: unknown = {};
    try {
      stored = row ? JSON.parse(row.value) : {};
    } catch {
      stored = {};
    }
    // A stored value out of range (an older version's) falls back to its default, key by key.
    const merged: Record<string, unknown> = { ...DEFAULT_ML_SETTINGS };
    for (const [k, v] of Object.entries(stored as Record<string, unknown>)) {
      const field = MlSettings.shape[k as keyof MlSettings];
      if (field?.safeParse(v).success) merged[k] = v;
    }
    this.cached = MlSettings.parse(merged);
    return this.cached;
  }

  update(patch: Partial<MlSettings>): MlSettings {
    const next = MlSettings.parse({ ...this.get(), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) });
    this.sqlite
      .prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
      .run(KEY, JSON.stringify(next));
    this.cached = next;
    return next;
  }
}
