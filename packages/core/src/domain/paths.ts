// Path checks on canonical absolute paths, written without node:path so core stays portable.

function trimSeparator(p: string): string {
  return p.length > 1 && (p.endsWith('/') || p.endsWith('\\')) ? p.slice(0, -1) : p;
}

/** True when `child` is `parent` or lies inside it. */
export function isSameOrInside(parent: string, child: string): boolean {
  const a = trimSeparator(parent);
  const b = trimSeparator(child);
  if (a === b) return true;
  const sep = a.includes('\\') && !a.includes('/') ? '\\' : '/';
  return b.startsWith(a.endsWith(sep) ? a : a + sep);
}
