// The desktop-only calls (core's `desktopCalls`): what the window asks of the native shell. Each
// gets its input already validated by the IPC bridge and answers the call's output; failures are
// the contract's AppErrors, so they reach the UI in the one error shape.
import fs from 'node:fs';
import path from 'node:path';
import {
  AppError, type AppSettings, type DesktopCallKey, type DesktopCallOutput, type DesktopCalls,
} from '@shoebox/core/contract';
import { roleByName } from '@shoebox/core/media';
import type { z } from 'zod';
import type { BrowserWindowLike, ElectronApi, IpcInvokeEvent } from './electron-api.ts';

/** The app's own settings (the shell's settings store). */
export interface AppSettingsPort {
  get(): AppSettings;
  update(patch: Partial<AppSettings>): AppSettings;
}

export type DesktopCallHandlers = {
  [K in DesktopCallKey]: (input: z.infer<DesktopCalls[K]['input']>, event: IpcInvokeEvent) => Promise<DesktopCallOutput<K>>;
};

export interface DesktopCallDeps {
  dialog: ElectronApi['dialog'];
  shell: ElectronApi['shell'];
  imageFromPath: ElectronApi['imageFromPath'];
  /** Absolute path of the asset's original; throws AppError ASSET_NOT_FOUND. */
  assetFile: (assetId: string) => string;
  /** A thumbnail path (or the app icon) for the drag image. */
  dragIcon: (assetId: string) => string;
  settings: AppSettingsPort;
  /** The window the call came from: the parent of the dialog. */
  windowOf: (event: IpcInvokeEvent) => BrowserWindowLike | null;
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await fs.promises.access(filePath);
    return true;
  } catch {
    return false;
  }
}

function offline(assetId: string): AppError {
  return new AppError('FILE_OFFLINE', `the file of asset ${assetId} is not on disk (its drive may be disconnected)`);
}

/** The asset's file, which must be on disk now. */
async function presentFile(deps: DesktopCallDeps, assetId: string): Promise<string> {
  const file = deps.assetFile(assetId);
  if (!(await exists(file))) throw offline(assetId);
  return file;
}

function isPhotoOrVideoName(filePath: string): boolean {
  const role = roleByName(path.basename(filePath));
  return role === 'image' || role === 'video';
}

/**
 * The file "open with default app" may hand to the OS. The library also indexes files whose name
 * says nothing (their first bytes looked like a photo), and the OS picks what to do with a file by
 * its name: a `.cmd`, `.hta` or `.jar` that starts with JPEG bytes would be run, not shown. So only
 * names with a photo or video extension are opened, checked on the path and on what it points to
 * (a `holiday.jpg` symlink to a script is the script to the OS), and only regular files.
 */
async function openableFile(file: string, assetId: string): Promise<void> {
  const notMedia = new AppError('NOT_SUPPORTED',
    `the file type of ${path.basename(file)} is not a photo or video: only those are opened with another app (Show in folder still works)`);
  if (!isPhotoOrVideoName(file)) throw notMedia;
  let real: string;
  let isFile: boolean;
  try {
    real = await fs.promises.realpath(file);
    isFile = (await fs.promises.stat(real)).isFile();
  } catch {
    throw offline(assetId);
  }
  if (!isPhotoOrVideoName(real) || !isFile) throw notMedia;
}

export function createDesktopCalls(deps: DesktopCallDeps): DesktopCallHandlers {
  return {
    pickFolders: async ({ title }, event) => {
      const chosen = await deps.dialog.showOpenDialog(deps.windowOf(event), {
        ...(title !== undefined && { title }),
        properties: ['openDirectory', 'multiSelections', 'createDirectory'],
      });
      // The UI adds each folder with the addRoot route, so overlaps and missing folders are
      // refused by the contract, with its errors.
      return { folders: chosen.canceled ? [] : chosen.filePaths };
    },

    revealInFolder: async ({ assetId }) => {
      deps.shell.showItemInFolder(await presentFile(deps, assetId));
      return { ok: true };
    },

    openWithDefaultApp: async ({ assetId }) => {
      const file = await presentFile(deps, assetId);
      await openableFile(file, assetId);
      const failure = await deps.shell.openPath(file);
      if (failure !== '') {
        if (!(await exists(file))) throw offline(assetId);
        throw new AppError('INTERNAL', `the file could not be opened: ${failure}`);
      }
      return { ok: true };
    },

    startDrag: async ({ assetIds }, event) => {
      const files = await Promise.all(assetIds.map((id) => presentFile(deps, id)));
      const first = assetIds[0]!;
      const icon = deps.imageFromPath(deps.dragIcon(first));
      // Electron refuses a drag without an image (and throws on macOS): say so instead.
      if (icon.isEmpty()) throw new AppError('INTERNAL', 'no image for the drag could be loaded');
      event.sender.startDrag({ file: files[0]!, files, icon });
      return { ok: true };
    },

    getAppSettings: async () => deps.settings.get(),

    updateAppSettings: async (patch) => deps.settings.update(patch),
  };
}
