// Writes what the media workers made (or why they could not) into the catalog, inside the job
// runner's batch transaction. Every write is guarded by the checksum the work was done for: when
// the file changed meanwhile, nothing is written and the re-queued job makes fresh derivatives.
import { DERIVATIVE_VERSION } from '@shoebox/core';
import type { Sqlite } from '../db/connection.ts';

export interface MadeImage {
  rel: string;
  width: number;
  height: number;
}

export class DerivativeWriter {
  private readonly stmts;

  constructor(sqlite: Sqlite) {
    const upsert = (columns: string[]): string => `
      INSERT INTO derivatives (asset_id, ${columns.join(', ')}, updated_at)
      VALUES (@id, ${columns.map((c) => `@${c}`).join(', ')}, @now)
      ON CONFLICT(asset_id) DO UPDATE SET ${columns.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = excluded.updated_at`;
    const THUMB = ['thumbnail_path', 'thumbnail_width', 'thumbnail_height', 'thumbnail_source', 'thumbnail_checksum', 'thumbnail_version', 'thumbnail_error'];
    const PREVIEW = ['preview_path', 'preview_width', 'preview_height', 'preview_checksum', 'preview_version', 'preview_error'];
    const VIDEO = ['video_state', 'video_path', 'video_checksum', 'video_version', 'video_error'];
    this.stmts = {
      checksum: sqlite.prepare(`SELECT checksum FROM assets WHERE id = ?`).pluck(),
      thumbnail: sqlite.prepare(upsert(THUMB)),
      preview: sqlite.prepare(upsert(PREVIEW)),
      video: sqlite.prepare(upsert(VIDEO)),
      thumbhash: sqlite.prepare(`UPDATE assets SET thumbhash = @thumbhash, updated_at = @now WHERE id = @id`),
      failAsset: sqlite.prepare(`UPDATE assets SET status = 'failed', error = @error, updated_at = @now WHERE id = @id`),
    };
  }

  private current(id: string, checksum: string): boolean {
    return this.stmts.checksum.get(id) === checksum;
  }

  thumbnailMade(
    id: string,
    checksum: string,
    made: MadeImage & { source: string; thumbhash: string; preview: MadeImage | null },
    now = Date.now(),
  ): void {
    if (!this.current(id, checksum)) return;
    this.stmts.thumbnail.run({
      id, now,
      thumbnail_path: made.rel, thumbnail_width: made.width, thumbnail_height: made.height,
      thumbnail_source: made.source, thumbnail_checksum: checksum, thumbnail_version: DERIVATIVE_VERSION,
      thumbnail_error: null,
    });
    this.stmts.thumbhash.run({ id, thumbhash: made.thumbhash, now });
    if (made.preview) this.previewMade(id, checksum, made.preview, now);
  }

  /** `failAsset`: the file itself cannot be shown, so the asset is failed with the same reason. */
  thumbnailFailed(id: string, checksum: string, error: string, failAsset: boolean, now = Date.now()): void {
    if (!this.current(id, checksum)) return;
    this.stmts.thumbnail.run({
      id, now,
      thumbnail_path: null, thumbnail_width: null, thumbnail_height: null, thumbnail_source: null,
      thumbnail_checksum: checksum, thumbnail_version: DERIVATIVE_VERSION, thumbnail_error: error,
    });
    this.stmts.thumbhash.run({ id, thumbhash: null, now });
    // A preview of earlier content is not this content's.
    this.stmts.preview.run({
      id, now, preview_path: null, preview_width: null, preview_height: null,
      preview_checksum: checksum, preview_version: DERIVATIVE_VERSION, preview_error: error,
    });
    if (failAsset) this.stmts.failAsset.run({ id, error, now });
  }

  previewMade(id: string, checksum: string, made: MadeImage, now = Date.now()): void {
    if (!this.current(id, checksum)) return;
    this.stmts.preview.run({
      id, now,
      preview_path: made.rel, preview_width: made.width, preview_height: made.height,
      preview_checksum: checksum, preview_version: DERIVATIVE_VERSION, preview_error: null,
    });
  }

  previewFailed(id: string, checksum: string, error: string, now = Date.now()): void {
    if (!this.current(id, checksum)) return;
    this.stmts.preview.run({
      id, now,
      preview_path: null, preview_width: null, preview_height: null,
      preview_checksum: checksum, preview_version: DERIVATIVE_VERSION, preview_error: error,
    });
  }

  videoMade(id: string, checksum: string, state: 'original' | 'transcoded', rel: string | null, now = Date.now()): void {
    if (!this.current(id, checksum)) return;
    this.stmts.video.run({
      id, now,
      video_state: state, video_path: rel, video_checksum: checksum, video_version: DERIVATIVE_VERSION, video_error: null,
    });
  }

  videoFailed(id: string, checksum: string, error: string, now = Date.now()): void {
    if (!this.current(id, checksum)) return;
    this.stmts.video.run({
      id, now,
      video_state: 'failed', video_path: null, video_checksum: checksum, video_version: DERIVATIVE_VERSION, video_error: error,
    });
  }
}
