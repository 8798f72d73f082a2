// Entry point of a media worker process (child_process.fork in headless mode; an Electron
// utilityProcess later). It holds a long-lived exiftool and answers the engine's requests.
import type { MetadataResult } from '@shoebox/core';
import { locateFfmpeg } from '../media/ffmpeg-locator.ts';
import { MetadataExtractor } from '../media/metadata.extractor.ts';
import { orientationOfRotation, probeVideo } from '../media/video-probe.ts';
import { WorkerInit, WorkerRequest, type WorkerReply } from './worker.protocol.ts';

let extractor: MetadataExtractor | null = null;

function reply(message: WorkerReply): void {
  process.send?.(message);
}

async function handle(raw: unknown): Promise<void> {
  const init = WorkerInit.safeParse(raw);
  if (init.success) {
    extractor = new MetadataExtractor({ maxProcs: init.data.settings.exiftoolProcs });
    process.send?.({ type: 'ready' });
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
    const result = await withVideoProbe(data.path, await extractor.extract(data.path, data.sidecars));
    reply({ id: data.id, ok: true, result });
  } catch (error) {
    reply({ id: data.id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
}

/**
 * exiftool cannot read every container's display rotation (Matroska, some MP4 display matrices):
 * when ffprobe is installed, its reading of a video's size, rotation and duration wins.
 */
async function withVideoProbe(file: string, result: MetadataResult): Promise<MetadataResult> {
  if (!result.ok || result.metadata.assetType !== 'video') return result;
  const { ffprobe } = locateFfmpeg();
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

process.on('message', (raw) => void handle(raw));
process.on('disconnect', () => {
  void (extractor?.end() ?? Promise.resolve()).finally(() => process.exit(0));
});
