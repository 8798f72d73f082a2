// Registers public/sw.js, which keeps the app shell for the installed web app (the PWA). Browsers
// allow service workers only in secure contexts: https, or localhost; a phone that opens the
// server's LAN address over plain http runs the app without one, which works the same online.
// Never in the desktop app: its window loads the build from disk through Electron's protocol, so
// a cached shell could only serve an older build after an update.
import { desktopBridge } from '../desktop/desktop-bridge.ts';

let registered = false;

export function canRegisterServiceWorker(): boolean {
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || desktopBridge()) return false;
  const host = window.location.hostname;
  return window.isSecureContext || host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
}

export function registerServiceWorker(): void {
  if (registered || !canRegisterServiceWorker() || import.meta.env.DEV) return;
  registered = true;
  const start = () => {
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((error: unknown) => {
      // The app works without it; only the offline shell and the install prompt are missing.
      console.warn('the service worker could not be registered', error);
    });
  };
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}
