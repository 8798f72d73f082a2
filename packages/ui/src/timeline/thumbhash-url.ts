// Thumbhash placeholders as data URLs, decoded once per hash and kept in a bounded cache.
import { thumbHashToDataURL } from 'thumbhash';

const cache = new Map<string, string>();
const LIMIT = 4000;

export function placeholderUrl(hash: string | null): string | null {
  if (!hash) return null;
  const hit = cache.get(hash);
  if (hit) return hit;
  let url: string;
  try {
    const bytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
    url = thumbHashToDataURL(bytes);
  } catch {
    return null;
  }
  if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(hash, url);
  return url;
}
