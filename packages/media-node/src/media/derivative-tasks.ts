// The media worker's derivative tasks: thumbnail (+ thumbhash, + preview when the decode already
// is the full picture), preview, and the playable video. Each writes its files where the engine
// asked and answers with what it made; failures say whether retrying can help.
import fs from 'node:fs/promises';
import path from 'node:path';
import { PREVIEW_LONG_SIDE, THUMBNAIL_SHORT_SIDE, playability } from '@shoebox/core';
import { previewExtension, renderPixels, thumbhashOf, writePreview, writeThumbnail, type WrittenImage } from './image-output.ts';
import { MissingToolError, NO_FFMPEG, UndecodableError, openImageSource, type SourceKind, type SourceTools } from './image-source.ts';
import { ToolError } from './run-tool.ts';
import { probeVideo } from './video-probe.ts';
import { transcodeVideo } from './video-tools.ts';

export interface DerivativeInput {
  path: string;
  assetType: 'image' | 'video';
  fileType: string | null;
  duration: number | null;
  orientation: number | null;
}

/** Renders, turning a decoder's refusal (libvips reads lazily, so it fails here) into a lasting failure. */
async function render(...args: Parameters<typeof renderPixels>): ReturnType<typeof renderPixels> {
  try {
    return await renderPixels(...args);
  } catch (error) {
    throw new UndecodableError(`the image could not be decoded: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export interface ThumbnailOutput {
  thumbnail: WrittenImage & { source: SourceKind };
  thumbhash: string;
  /** Set when the preview was made in the same pass. */
  preview: (WrittenImage & { path: string }) | null;
}

export interface PreviewOutput {
  preview: WrittenImage & { path: string };
}

export type VideoOutput =
  | { state: 'original'; reasons: [] }
  | { state: 'transcoded'; reasons: string[]; bytes: number };

/** How a task failed: `undecodable` and `missing-tool` recur on retry, `transient` may not. */
export type FailureKind = 'undecodable' | 'missing-tool' | 'transient';

export function failureKind(error: unknown): FailureKind {
  if (error instanceof UndecodableError) return 'undecodable';
  if (error instanceof MissingToolError) return 'missing-tool';
  return 'transient';
}

export async function makeThumbnail(
  input: DerivativeInput,
  out: { thumbnail: string; previewBase: string },
  tools: SourceTools,
): Promise<ThumbnailOutput> {
  const source = await openImageSource({ ...input, thumbnailOnly: true }, tools);
  if (source.full) {
    // One decode for both: the preview's pixels, then the thumbnail from them; except for
    // panoramas, whose 1440-px preview is less than a thumbnail high.
    const previewShort = Math.min(source.width, source.height) * Math.min(1, PREVIEW_LONG_SIDE / Math.max(source.width, source.height));
    const separate = previewShort < THUMBNAIL_SHORT_SIDE && Math.min(source.width, source.height) > previewShort;
    const thumbPipeline = separate ? source.pipeline.clone() : null;
    const big = await render(source.pipeline, { long: PREVIEW_LONG_SIDE }, source.alpha);
    const previewPath = `${out.previewBase}.${previewExtension(big.alpha)}`;
    const small = thumbPipeline ? await render(thumbPipeline, { short: THUMBNAIL_SHORT_SIDE }, source.alpha) : big;
    const thumbhash = thumbhashOf(small);
    const [preview, thumbnail] = await Promise.all([writePreview(big, previewPath), writeThumbnail(small, out.thumbnail)]);
    await removeOtherPreview(out.previewBase, previewPath);
    return { thumbnail: { ...thumbnail, source: source.kind }, thumbhash, preview: { ...preview, path: previewPath } };
  }
  const small = await render(source.pipeline, { short: THUMBNAIL_SHORT_SIDE }, source.alpha);
  const thumbhash = thumbhashOf(small);
  const thumbnail = await writeThumbnail(small, out.thumbnail);
  return { thumbnail: { ...thumbnail, source: source.kind }, thumbhash, preview: null };
}

export async function makePreview(input: DerivativeInput, out: { previewBase: string }, tools: SourceTools): Promise<PreviewOutput> {
  const source = await openImageSource({ ...input, thumbnailOnly: false }, tools);
  const big = await render(source.pipeline, { long: PREVIEW_LONG_SIDE }, source.alpha);
  const previewPath = `${out.previewBase}.${previewExtension(big.alpha)}`;
  const preview = await writePreview(big, previewPath);
  await removeOtherPreview(out.previewBase, previewPath);
  return { preview: { ...preview, path: previewPath } };
}

/** A preview made earlier in the other format (the picture gained or lost transparency). */
async function removeOtherPreview(base: string, kept: string): Promise<void> {
  for (const ext of ['jpg', 'webp']) {
    const candidate = `${base}.${ext}`;
    if (candidate !== kept) await fs.rm(candidate, { force: true });
  }
}

export async function makePlayableVideo(
  input: DerivativeInput,
  out: { video: string },
  tools: { ffmpeg: string | null; ffprobe: string | null },
): Promise<VideoOutput> {
  if (!tools.ffmpeg || !tools.ffprobe) throw new MissingToolError(NO_FFMPEG);
  const probe = await probeVideo(tools.ffprobe, input.path);
  if (!probe) throw new UndecodableError('ffprobe found no video stream in the file');
  const plan = playability({
    container: probe.container,
    videoCodec: probe.codec,
    profile: probe.profile,
    pixelFormat: probe.pixelFormat,
    audioCodec: probe.audioCodec,
  });
  if (plan.playable) {
    await fs.rm(out.video, { force: true });
    return { state: 'original', reasons: [] };
  }
  await fs.mkdir(path.dirname(out.video), { recursive: true });
  try {
    await transcodeVideo(tools.ffmpeg, input.path, out.video, plan, probe.duration ?? input.duration);
  } catch (error) {
    if (error instanceof ToolError && error.refusedInput) throw new UndecodableError(`ffmpeg could not transcode the video: ${error.message}`);
    throw error;
  }
  const { size } = await fs.stat(out.video);
  return { state: 'transcoded', reasons: plan.reasons, bytes: size };
}
