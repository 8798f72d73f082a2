// Who may talk to main over IPC: the main frame of one of the app's own windows, showing a page of
// the app's own origin. A subframe, a page that navigated elsewhere (or whose frame is gone), or any
// other webContents is refused, whatever it sends.
import { APP_ORIGIN } from './app-protocol.ts';
import type { IpcInvokeEvent } from './electron-api.ts';

/**
 * The origin of a URL as Chromium sees it. Node's URL gives custom schemes an opaque origin
 * ('null'), while Chromium gives a registered standard scheme (shoebox://app) a real one, so it
 * is rebuilt from the scheme and host here. URLs with credentials never count as the app.
 */
export function originOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'null';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'null';
  if (parsed.origin !== 'null') return parsed.origin.toLowerCase();
  if (parsed.host === '') return 'null';
  return `${parsed.protocol}//${parsed.host}`.toLowerCase();
}

/** What a real WebFrameMain adds to FrameLike: checked when present, so fakes may leave them out. */
interface WebFrameMainExtras {
  parent?: unknown;
  detached?: unknown;
  origin?: unknown;
}

export function trustedSender(windowContentsIds: () => readonly number[], origin: string = APP_ORIGIN): (event: IpcInvokeEvent) => boolean {
  const expected = origin.toLowerCase();
  return (event) => {
    const frame = event.senderFrame;
    if (!frame) return false;
    // Electron keeps one WebFrameMain object per frame, so the main frame is this very object; a
    // real frame also says so itself (no parent), and a frame being unloaded after a navigation
    // (detached) no longer speaks for the page.
    if (frame !== event.sender.mainFrame) return false;
    const extras = frame as WebFrameMainExtras;
    if ('parent' in extras && extras.parent !== null) return false;
    if (extras.detached === true) return false;
    if (originOf(frame.url) !== expected) return false;
    if (typeof extras.origin === 'string' && extras.origin.toLowerCase() !== expected) return false;
    return windowContentsIds().includes(event.sender.id);
  };
}
