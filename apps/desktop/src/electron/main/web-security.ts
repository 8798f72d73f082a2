// App-wide guards over every web contents (the window's and any other that could ever appear):
// no new windows, no navigation away from the app's origin, no <webview>, and no permission
// (camera, microphone, notifications, geolocation, …) but full screen, which the video player asks
// for, and only for the app's own pages.
import type { ElectronApi, WebContentsLike } from './electron-api.ts';
import { originOf } from './trusted-sender.ts';

const guarded = new WeakSet<WebContentsLike>();

/** Whether `url` belongs to the app's own origin (e.g. shoebox://app). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  const origin = originOf(url);
  return origin !== 'null' && origin === originOf(appOrigin);
}

/**
 * Guards one web contents. Links to the web (the models' licences, a project page) open in the
 * user's browser, and only https ones; everything else is refused outright.
 */
export function guardWebContents(contents: WebContentsLike, appOrigin: string, shell: Pick<ElectronApi['shell'], 'openExternal'>): void {
  if (guarded.has(contents)) return;
  guarded.add(contents);
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url).catch(() => undefined);
    return { action: 'deny' };
  });
  const stayHome = (event: { preventDefault(): void }, url: string): void => {
    if (!isAppUrl(url, appOrigin)) event.preventDefault();
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/** Installs the guards on every web contents created from now on. Call before the window opens. */
export function installAppGuards(api: Pick<ElectronApi, 'app' | 'shell'>, appOrigin: string): void {
  api.app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appOrigin, api.shell));
}

const APP_PERMISSIONS: ReadonlySet<string> = new Set(['fullscreen']);

/** Answers the default session's permission requests and checks. Call once the app is ready. */
export function restrictPermissions(api: Pick<ElectronApi, 'session'>, appOrigin: string): void {
  const allowed = (contents: WebContentsLike | null, permission: string): boolean =>
    APP_PERMISSIONS.has(permission) && contents !== null && !contents.isDestroyed() && isAppUrl(contents.mainFrame.url, appOrigin);
  api.session.setPermissionRequestHandler((contents, permission, callback) => callback(allowed(contents, permission)));
  api.session.setPermissionCheckHandler((contents, permission) => allowed(contents, permission));
}
