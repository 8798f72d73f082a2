// Where the worker processes' entry points are: apps start workers through these (with
// child_process.fork, or Electron's utilityProcess.fork), never through a path of their own. Run
// from source they are the .ts files; bundled into an app (electron-vite) they are the .js files the
// build writes beside the bundle under the same names, so the extension follows this module's own.
import path from 'node:path';

const EXT = path.extname(import.meta.filename);

/** The media worker: metadata (exiftool), thumbnails and previews (sharp), playable videos (ffmpeg). */
export const MEDIA_WORKER_ENTRY = path.join(import.meta.dirname, 'workers', `media.worker${EXT}`);

/** The ML worker: faces and CLIP embeddings (onnxruntime-node). */
export const ML_WORKER_ENTRY = path.join(import.meta.dirname, 'ml', `ml.worker${EXT}`);
