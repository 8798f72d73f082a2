// The server's ML settings, one JSON value in the `settings` table (key `ml_settings`), with the
// desktop's defaults for missing or out-of-range keys. The ML jobs read them before every run, so
// they are kept a few seconds; a change made here is seen at once.
import { sql } from 'drizzle-orm';
import { MlSettings } from '@shoebox/core/contract';
import type { SqlDb } from '../sql-exec.ts';

/** As on the desktop (apps/desktop/src/ml/ml-settings.ts): face grouping calibrated on ../shared/corpus/faces. */
export const DEFAULT_ML_SETTINGS: MlSettings = {
  enabled: true,
  faces: true,
  smartSearch: true,
  minFaceScore: 0.75,
  minFaceSize: 20,
  personMatch: 0.3,
  minFacesForPerson: 3,
};

export const ML_SETTINGS_KEY = 'ml_settings';
const TTL_MS = 5_000;

export class PgMlSettings {
  private readonly db: SqlDb;
  private cached: { value: MlSettings; at: number } | null = null;

  constructor(db: SqlDb) {
    this.db = db;
  }

  async get(): Promise<MlSettings> {
    if (this.cached && Date.now() - this.cached.at < TTL_MS) return this.cached.value;
    const [row] = await this.db.rows<{ value: unknown }>(sql`SELECT value FROM settings WHERE key = ${ML_SETTINGS_KEY}`);
    const stored = row?.value && typeof row.value === 'object' ? (row.value as Record<string, unknown>) : {};
    // A stored value out of range (an older version's) falls back to its default, key by key.
    const merged: Record<string, unknown> = { ...DEFAULT_ML_SETTINGS };
    for (const [k, v] of Object.entries(stored)) {
      const field = MlSettings.shape[k as keyof MlSettings];
      if (field?.safeParse(v).success) merged[k] = v;
    }
    const value = merged as MlSettings;
    this.cached = { value, at: Date.now() };
    return value;
  }

  async update(patch: Partial<MlSettings>): Promise<MlSettings> {
    const next = MlSettings.parse({ ...(await this.get()), ...patch });
    await this.db.rows(sql`
      INSERT INTO settings (key, value, updated_at) VALUES (${ML_SETTINGS_KEY}, ${JSON.stringify(next)}::jsonb, now())
      ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = now()`);
    this.cached = { value: next, at: Date.now() };
    return next;
  }

  /** Forgets the kept value (another process may have changed it). */
  forget(): void {
    this.cached = null;
  }
}
