// Adding library folders in the desktop app: the native folder picker, then addRoot for each chosen
// folder (each may be refused on its own: it overlaps a folder already there, it is gone), then one
// scan. The scan runs on while the caller moves on: the timeline fills as it goes (main reports
// progress, and the grid refreshes from it), and its outcome arrives as a toast.
import { useCallback, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { LibraryRoot, ScanResult } from '@shoebox/core/contract';
import { useApi } from '../api/api-context.tsx';
import { plainError } from '../api/errors.ts';
import { invalidateAssets } from '../api/mutations.ts';
import { keys } from '../api/queries.ts';
import { useToast } from '../components/toast.tsx';
import { callDesktop } from './desktop-bridge.ts';

export interface AddFoldersOutcome {
  /** The person closed the picker without choosing. */
  cancelled: boolean;
  added: LibraryRoot[];
  failed: { path: string; message: string }[];
}

/** A finished scan in one sentence. */
export function scanMessage(r: ScanResult): string {
  return `Scan finished: ${r.added} new, ${r.changed} changed, ${r.moved} moved, ${r.offline} offline, ${r.unchanged} unchanged${r.failed ? `, ${r.failed} unreadable` : ''}`;
}

export interface AddFoldersOptions {
  /** Each folder's outcome as a toast (the settings page, the menu's command); else the caller shows it. */
  toast?: boolean;
  /** Called once folders were added, before the library's queries refresh (first run goes to the timeline). */
  onAdded?(added: readonly LibraryRoot[]): void;
}

/** `run` picks, adds and starts the scan; `busy` while the picker is open or folders are being added. */
export function useAddFolders(): { run(options?: AddFoldersOptions): Promise<AddFoldersOutcome>; busy: boolean } {
  const api = useApi();
  const qc = useQueryClient();
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  // A second request while the picker is open (the menu's command, a double click) is ignored.
  const running = useRef(false);

  const run = useCallback(async (options: AddFoldersOptions = {}): Promise<AddFoldersOutcome> => {
    const outcome: AddFoldersOutcome = { cancelled: false, added: [], failed: [] };
    if (running.current) return { ...outcome, cancelled: true };
    running.current = true;
    setBusy(true);
    try {
      let folders: string[];
      try {
        folders = (await callDesktop('pickFolders', { title: 'Choose the folders with your photos and videos' })).folders;
      } catch (error) {
        toast.error(plainError(error));
        return { ...outcome, cancelled: true };
      }
      if (folders.length === 0) return { ...outcome, cancelled: true };
      for (const path of folders) {
        try {
          outcome.added.push(await api.call('addRoot', { body: { path } }));
        } catch (error) {
          outcome.failed.push({ path, message: plainError(error) });
        }
      }
      if (options.toast) {
        for (const f of outcome.failed) toast.error(`${f.path}: ${f.message}`);
        if (outcome.added.length > 0) {
          toast.info(outcome.added.length === 1 ? `Added ${outcome.added[0]!.path}. Scanning it now…` : `Added ${outcome.added.length} folders. Scanning them now…`);
        }
      }
      if (outcome.added.length > 0) {
        options.onAdded?.(outcome.added);
        await qc.invalidateQueries({ queryKey: keys.roots() });
        api.call('scanLibrary', { body: { retryFailed: false } }).then(
          (result) => toast.info(scanMessage(result)),
          (error: unknown) => toast.error(plainError(error)),
        ).finally(() => void invalidateAssets(qc));
      }
      return outcome;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, [api, qc, toast]);

  return { run, busy };
}
