// Entry point of a media worker process (child_process.fork in headless mode, an Electron
// utilityProcess in the app: parent-channel.ts speaks to either). It holds a long-lived exiftool, sharp and the WebAssembly decoders, and
// answers the engine's requests: metadata, thumbnail, preview and playable video.
import sharp from 'sharp';
import type { MetadataResult } from '@shoebox/core';
import { failureKind, makePlayableVideo, makePreview, makeThumbnail } from '../media/derivative-tasks.ts';
import { locateFfmpeg } from '../media/ffmpeg-locator.ts';
import { parseMediaEnv } from '../media/media-env.ts';
import { killRunningTools } from '../media/run-tool.ts';
import { MetadataExtractor } from '../media/metadata.extractor.ts';
import { orientationOfRotation, probeVideo } from '../media/video-probe.ts';
import { parentChannel } from './parent-channel.ts';
import { WorkerInit, WorkerRequest, type WorkerReply } from './worker.protocol.ts';

let extractor: MetadataExtractor | null = null;
const parent = parentChannel();
// A worker has no env.ts: it reads its own FFMPEG_PATH (the engine passes its environment on).
const mediaEnv = parseMediaEnv(process.env);

// One worker per core runs several requests at once: libvips threads inside each would only
// compete for the same cores.
sharp.concurrency(1);
// Decoded images are used once; libvips' operation cache would only hold memory.
sharp.cache(false);

function reply(message: WorkerReply): void {
  parent.send(message);
}

async function handle(raw: unknown): Promise<void> {
  const init = WorkerInit.safeParse(raw);
  if (init.success) {
    extractor = new MetadataExtractor({ maxProcs: init.data.settings.exiftoolProcs });
    parent.send({ type: 'ready' });
    return;
  }
  const req = WorkerRequest.safeParse(raw);
  if (!req.success) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    reply({ id, ok: false, error: `bad request: ${req.error.issues[0]?.message ?? 'invalid'}` });
    return;
  }
  const { data } = req;
  try {
    if (!extractor) throw new Error('worker not initialised');
    reply({ id: data.id, ok: true, result: await run(extractor, data) });
  } catch (error) {
    reply({ id: data.id, ok: false, error: error instanceof Error ? error.message : String(error), failure: failureKind(error) });
  }
}

async function run(ex: MetadataExtractor, req: WorkerRequest): Promise<unknown> {
  const ff = locateFfmpeg(mediaEnv);
  switch (req.type) {
    case 'metadata': {
      const extracted = await ex.extract(req.path, req.sidecars);
      return req.probe === false ? extracted : withVideoProbe(req.path, extracted);
    }
    case 'thumbnail':
      return makeThumbnail(req.input, req.out, { exiftool: ex.exiftool, ffmpeg: ff.ffmpeg });
    case 'preview':
      return makePreview(req.input, req.out, { exiftool: ex.exiftool, ffmpeg: ff.ffmpeg });
    case 'video':
      return makePlayableVideo(req.input, req.out, ff);
  }
}

/**
 * exiftool cannot read every container's display rotation (Matroska, some MP4 display matrices):
 * when ffprobe is installed, its reading of a video's size, rotation and duration wins.
 */
async function withVideoProbe(file: string, result: MetadataResult): Promise<MetadataResult> {
  if (!result.ok || result.metadata.assetType !== 'video') return result;
  const { ffprobe } = locateFfmpeg(mediaEnv);
  if (!ffprobe) return result;
  const probe = await probeVideo(ffprobe, file);
  if (!probe || probe.width === null || probe.height === null) return result;
  const swap = probe.rotation === 90 || probe.rotation === 270;
  const m = result.metadata;
  return {
    ...result,
    metadata: {
      ...m,
      width: swap ? probe.height : probe.width,
      height: swap ? probe.width : probe.height,
      orientation: orientationOfRotation(probe.rotation),
      duration: m.duration ?? probe.duration,
      videoCodec: probe.codec ?? m.videoCodec,
    },
  };
}

parent.onMessage((raw) => void handle(raw));
parent.onShutdown(() => {
  killRunningTools();
  void (extractor?.end() ?? Promise.resolve()).finally(() => process.exit(0));
});
