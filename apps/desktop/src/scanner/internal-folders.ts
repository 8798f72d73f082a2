// Shoebox's own folders (its data folder with the catalog and thumbnails, its models) as seen from a
// library folder that contains them: scans never walk them and the watcher never watches them, or
// every thumbnail made would be indexed as a photo, and its thumbnail in turn. Paths are compared
// as strings (no I/O: the watcher asks for every event); without case where volumes usually are.
import path from 'node:path';

/** Whether a path is one of the app's folders or inside one. */
export type InternalTest = (p: string) => boolean;

export function internalFolderTest(folders: readonly string[], platform: NodeJS.Platform = process.platform): InternalTest {
  if (folders.length === 0) return () => false;
  const fold = platform === 'darwin' || platform === 'win32' ? (s: string) => s.toLowerCase() : (s: string) => s;
  const bases = folders.map((f) => {
    const folded = fold(path.resolve(f));
    return { same: folded, prefix: folded.endsWith(path.sep) ? folded : folded + path.sep };
  });
  return (candidate) => {
    const c = fold(candidate);
    return bases.some((b) => c === b.same || c.startsWith(b.prefix));
  };
}
