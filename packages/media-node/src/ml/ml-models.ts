// The ids of the models the ML features use (entries of resources/models/manifest.json).
export const FACE_DETECTOR = 'yunet';
export const FACE_EMBEDDER = 'mobilefacenet';
export const CLIP_VISION = 'clip-vit-b32-vision';
export const CLIP_TEXT = 'clip-vit-b32-text';
export const CLIP_TOKENIZER = 'clip-tokenizer';

export const FACE_MODELS = [FACE_DETECTOR, FACE_EMBEDDER] as const;
export const CLIP_MODELS = [CLIP_VISION, CLIP_TEXT, CLIP_TOKENIZER] as const;

/** What faces results are tagged with: both face models, each as `id@<sha256 prefix>`. */
export function facesModelTag(tag: (id: string) => string): string {
  return FACE_MODELS.map(tag).join('+');
}
