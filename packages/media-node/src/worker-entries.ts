// Where the worker processes' entry points are, for child_process.fork (and later Electron's
// utilityProcess.fork): apps start workers through these, never through a path of their own.
import path from 'node:path';

/** The media worker: metadata (exiftool), thumbnails and previews (sharp), playable videos (ffmpeg). */
export const MEDIA_WORKER_ENTRY = path.join(import.meta.dirname, 'workers', 'media.worker.ts');

/** The ML worker: faces and CLIP embeddings (onnxruntime-node). */
export const ML_WORKER_ENTRY = path.join(import.meta.dirname, 'ml', 'ml.worker.ts');
