// Writes a metadata result into the catalog (inside the job runner's batch transaction) and pairs
// Live Photos: a still and a video with the same content identifier become one asset.
import { monthOf, takenAtFromMtime, takenAtUtcMs, type MetadataResult, type TakenAt } from '@shoebox/core';
import type { Sqlite } from '../db/connection.ts';

export class MetadataWriter {
  private readonly stmts;

  constructor(sqlite: Sqlite) {
    this.stmts = {
      failed: sqlite.prepare(`
        UPDATE assets SET status = 'failed', error = @error, taken_local = @local, taken_utc_ms = @utc,
          tz_offset_min = @offset, taken_source = @source, month = @month, updated_at = @now
        WHERE id = @id AND checksum = @checksum`),
      ok: sqlite.prepare(`
        UPDATE assets SET type = @type, format = @format, status = @status, error = @error,
          taken_local = @local, taken_utc_ms = @utc, tz_offset_min = @offset, taken_source = @source, month = @month,
          width = @width, height = @height, orientation = @orientation, duration = @duration,
          rating = coalesce(@rating, rating), description = coalesce(@description, description),
          content_identifier = @cid, motion_photo = @motionPhoto, motion_video_offset = @motionOffset,
          motion_video_length = @motionLength, updated_at = @now
        WHERE id = @id AND checksum = @checksum`),
      exif: sqlite.prepare(`
        INSERT INTO exif (asset_id, make, model, lens, f_number, exposure_time, iso, focal_length, latitude, longitude,
          altitude, video_codec, file_type, mime_type, keywords, warnings)
        VALUES (@id, @make, @model, @lens, @fNumber, @exposureTime, @iso, @focalLength, @latitude, @longitude,
          @altitude, @videoCodec, @fileType, @mimeType, @keywords, @warnings)
        ON CONFLICT(asset_id) DO UPDATE SET make = excluded.make, model = excluded.model, lens = excluded.lens,
          f_number = excluded.f_number, exposure_time = excluded.exposure_time, iso = excluded.iso,
          focal_length = excluded.focal_length, latitude = excluded.latitude, longitude = excluded.longitude,
          altitude = excluded.altitude, video_codec = excluded.video_codec, file_type = excluded.file_type,
          mime_type = excluded.mime_type, keywords = excluded.keywords, warnings = excluded.warnings`),
      self: sqlite.prepare(`SELECT type, duplicate_of AS duplicateOf FROM assets WHERE id = ?`),
      pairVideo: sqlite.prepare(`
        SELECT id FROM assets WHERE content_identifier = ? AND type = 'video' AND duplicate_of IS NULL AND id != ? AND visibility != 'removed'
        ORDER BY offline ASC LIMIT 1`),
      pairStill: sqlite.prepare(`
        SELECT id FROM assets WHERE content_identifier = ? AND type = 'image' AND duplicate_of IS NULL AND id != ? AND visibility != 'removed'
        ORDER BY offline ASC LIMIT 1`),
      link: sqlite.prepare(`UPDATE assets SET live_photo_video_id = @video, updated_at = @now WHERE id = @still`),
      hide: sqlite.prepare(`UPDATE assets SET visibility = 'hidden', updated_at = @now WHERE id = @video`),
    };
  }

  /**
   * Writes what was read from the content with this checksum. When the asset is gone or its
   * content changed meanwhile, nothing is written: the job runs again for the new content.
   */
  write(id: string, checksum: string, mtimeMs: number, result: MetadataResult, now = Date.now()): void {
    if (!result.ok) {
      const t = takenAtFromMtime(mtimeMs);
      this.stmts.failed.run({ id, checksum, error: result.error, ...this.takenParams(t), now });
      return;
    }
    const m = result.metadata;
    const taken = m.takenAt ?? takenAtFromMtime(mtimeMs);
    const updated = this.stmts.ok.run({
      id,
      checksum,
      type: m.assetType,
      format: m.fileType,
      status: result.problem ? 'failed' : 'ok',
      error: result.problem,
      ...this.takenParams(taken),
      width: m.width,
      height: m.height,
      orientation: m.orientation,
      duration: m.duration,
      rating: m.rating,
      description: m.description,
      cid: m.contentIdentifier,
      motionPhoto: m.motionPhoto ? 1 : 0,
      motionOffset: m.motionPhotoVideo?.offset ?? null,
      motionLength: m.motionPhotoVideo?.length ?? null,
      now,
    });
    if (updated.changes === 0) return;
    this.stmts.exif.run({
      id,
      make: m.make,
      model: m.model,
      lens: m.lens,
      fNumber: m.fNumber,
      exposureTime: m.exposureTime,
      iso: m.iso,
      focalLength: m.focalLength,
      latitude: m.latitude,
      longitude: m.longitude,
      altitude: m.altitude,
      videoCodec: m.videoCodec,
      fileType: m.fileType,
      mimeType: m.mimeType,
      keywords: JSON.stringify(m.keywords),
      warnings: JSON.stringify(m.warnings),
    });
    if (m.contentIdentifier && !result.problem) this.pairLivePhoto(id, m.contentIdentifier, now);
  }

  private takenParams(t: TakenAt): { local: string; utc: number; offset: number | null; source: string; month: string } {
    return { local: t.local, utc: takenAtUtcMs(t), offset: t.offsetMinutes, source: t.source, month: monthOf(t.local) };
  }

  private pairLivePhoto(id: string, cid: string, now: number): void {
    const self = this.stmts.self.get(id) as { type: 'image' | 'video'; duplicateOf: string | null } | undefined;
    if (!self || self.duplicateOf) return;
    if (self.type === 'image') {
      const video = this.stmts.pairVideo.get(cid, id) as { id: string } | undefined;
      if (!video) return;
      this.stmts.link.run({ still: id, video: video.id, now });
      this.stmts.hide.run({ video: video.id, now });
    } else {
      const still = this.stmts.pairStill.get(cid, id) as { id: string } | undefined;
      if (!still) return;
      this.stmts.link.run({ still: still.id, video: id, now });
      this.stmts.hide.run({ video: id, now });
    }
  }
}

