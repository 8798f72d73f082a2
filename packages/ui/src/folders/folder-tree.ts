// Builds the folder tree from the library roots and the folders that hold assets; folders with
// no assets of their own appear as the way to their subfolders.
import type { FolderEntry, LibraryRoot } from '@shoebox/core/contract';

export interface FolderNode {
  path: string;
  name: string;
  /** Assets directly in this folder. */
  count: number;
  /** Assets in this folder and every subfolder. */
  total: number;
  children: FolderNode[];
}

function split(p: string): { sep: string; parts: string[] } {
  const sep = p.includes('\\') && !p.includes('/') ? '\\' : '/';
  return { sep, parts: p.split(sep).filter(Boolean) };
}

export function buildFolderTree(roots: readonly Pick<LibraryRoot, 'id' | 'path'>[], folders: readonly FolderEntry[]): FolderNode[] {
  return roots.map((root) => {
    const top: FolderNode = { path: root.path, name: root.path, count: 0, total: 0, children: [] };
    const byPath = new Map<string, FolderNode>([[root.path, top]]);
    const { sep } = split(root.path);
    for (const f of folders) {
      if (f.rootId !== root.id) continue;
      let node = top;
      if (f.path !== root.path) {
        const rel = f.path.slice(root.path.length).split(sep).filter(Boolean);
        let cur = root.path;
        for (const name of rel) {
          cur = cur.endsWith(sep) ? `${cur}${name}` : `${cur}${sep}${name}`;
          let child = byPath.get(cur);
          if (!child) {
            child = { path: cur, name, count: 0, total: 0, children: [] };
            byPath.set(cur, child);
            node.children.push(child);
          }
          node = child;
        }
      }
      node.count += f.assetCount;
    }
    const sum = (n: FolderNode): number => {
      n.children.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
      n.total = n.count + n.children.reduce((s, c) => s + sum(c), 0);
      return n.total;
    };
    sum(top);
    return top;
  });
}

/** The chain of folders from a root to `path` (to expand the tree down to it). */
export function ancestors(tree: readonly FolderNode[], path: string): string[] {
  const out: string[] = [];
  const walk = (nodes: readonly FolderNode[]): boolean => {
    for (const n of nodes) {
      if (n.path === path) {
        out.push(n.path);
        return true;
      }
      if (path.startsWith(n.path) && walk(n.children)) {
        out.unshift(n.path);
        return true;
      }
    }
    return false;
  };
  walk(tree);
  return out;
}
