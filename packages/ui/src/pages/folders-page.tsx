// Folders: the library roots as a tree with counts; choosing a folder shows its photos (and, when
// asked, those of its subfolders) in the usual grid. In the desktop app, folders are added here
// with the native picker; in a browser, Settings has the path field.
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useFolders, useRoots } from '../api/queries.ts';
import { ErrorState, Loading } from '../components/states.tsx';
import { Icon } from '../components/icons.tsx';
import { ancestors, buildFolderTree, type FolderNode } from '../folders/folder-tree.ts';
import { useAddFolders } from '../desktop/add-folders.ts';
import { desktopBridge } from '../desktop/desktop-bridge.ts';
import { GridPage } from './grid-page.tsx';

function TreeNode({ node, depth, selected, expanded, toggle, choose }: {
  node: FolderNode; depth: number; selected: string | null; expanded: ReadonlySet<string>;
  toggle(path: string): void; choose(path: string): void;
}) {
  const open = expanded.has(node.path);
  return (
    <li role="treeitem" aria-expanded={node.children.length ? open : undefined} aria-selected={selected === node.path}>
      <div className={`tree-row${selected === node.path ? ' is-selected' : ''}`} style={{ paddingLeft: 8 + depth * 14 }}>
        {node.children.length > 0 ? (
          <button type="button" className="tree-toggle" aria-label={open ? `Collapse ${node.name}` : `Expand ${node.name}`} onClick={() => toggle(node.path)}>
            <Icon name={open ? 'chevron-down' : 'chevron-right'} size={14} />
          </button>
        ) : <span className="tree-toggle" />}
        <button type="button" className="tree-label" onClick={() => choose(node.path)} data-testid="folder" data-path={node.path} title={node.path}>
          <Icon name={open ? 'folder-open' : 'folder'} size={16} />
          <span className="tree-name">{node.name}</span>
          <span className="muted small">{node.total}</span>
        </button>
      </div>
      {open && node.children.length > 0 && (
        <ul role="group">
          {node.children.map((c) => <TreeNode key={c.path} node={c} depth={depth + 1} selected={selected} expanded={expanded} toggle={toggle} choose={choose} />)}
        </ul>
      )}
    </li>
  );
}

export function FoldersPage() {
  const roots = useRoots();
  const folders = useFolders();
  const [params, setParams] = useSearchParams();
  const path = params.get('path');
  const recursive = params.get('recursive') === 'true';
  const tree = useMemo(() => (roots.data && folders.data ? buildFolderTree(roots.data, folders.data) : []), [roots.data, folders.data]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  useEffect(() => {
    setExpanded((prev) => new Set([...prev, ...tree.map((t) => t.path), ...(path ? ancestors(tree, path) : [])]));
  }, [tree, path]);
  const toggle = (p: string) => setExpanded((prev) => {
    const next = new Set(prev);
    if (next.has(p)) next.delete(p);
    else next.add(p);
    return next;
  });
  const choose = (p: string) => setParams((prev) => {
    const next = new URLSearchParams(prev);
    next.set('path', p);
    next.delete('asset');
    return next;
  });
  const native = desktopBridge() !== null;
  const addFolders = useAddFolders();
  const addButton = native && (
    <button type="button" className="btn" disabled={addFolders.busy} onClick={() => void addFolders.run({ toast: true })} data-testid="folders-add">
      <Icon name="plus" size={18} /> Add folders…
    </button>
  );
  const error = roots.error ?? folders.error;
  const side = (
    <nav className="folder-tree" aria-label="Folders">
      {error && <ErrorState error={error} onRetry={() => { void roots.refetch(); void folders.refetch(); }} />}
      {(roots.isPending || folders.isPending) && <Loading label="Loading folders" />}
      {roots.data?.length === 0 && !native && <p className="muted">No library folders yet. <Link to="/settings">Add one</Link>.</p>}
      {roots.data?.length === 0 && native && <p className="muted">No library folders yet. Add the folders where your photos live.</p>}
      <ul role="tree">
        {tree.map((n) => <TreeNode key={n.path} node={n} depth={0} selected={path} expanded={expanded} toggle={toggle} choose={choose} />)}
      </ul>
    </nav>
  );
  if (!path) {
    return (
      <div className="page folders-page">
        <header className="page-header">
          <h1>Folders</h1>
          {addButton && <div className="page-actions">{addButton}</div>}
        </header>
        {side}
      </div>
    );
  }
  const name = path.split(/[\\/]/).filter(Boolean).pop() ?? path;
  return (
    <GridPage
      title={<>Folders / <span title={path}>{name}</span></>}
      kind="folder"
      filter={{ folder: path, recursive }}
      side={side}
      actions={
        <label className="check">
          <input
            type="checkbox"
            checked={recursive}
            data-testid="recursive"
            onChange={(e) => setParams((prev) => {
              const next = new URLSearchParams(prev);
              if (e.target.checked) next.set('recursive', 'true');
              else next.delete('recursive');
              return next;
            })}
          />
          Include subfolders
        </label>
      }
      empty={<p>No photos directly in this folder{recursive ? ' or below it' : ''}. {recursive ? '' : 'Tick “Include subfolders” to see those below it.'}</p>}
    />
  );
}
