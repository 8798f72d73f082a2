// Serves the web app (the packages/ui build) at `/`: Vite's hashed files under /assets/ are cached
// for good; index.html, the service worker and the manifest are revalidated on every load (a new
// build must reach installed PWAs). The app routes on the client with hash routes and its build
// refers to its files relatively (`./assets/…`), so it only works from `/`: any other page path
// (a link typed or shared as `/albums/…`) is sent to `/#/albums/…`. /api never reaches this router.
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/** The app's pages load nothing from elsewhere: no inline script, no plugin, no framing. */
export const UI_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>Shoebox</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; padding: 0 1em; line-height: 1.5">
<h1>The Shoebox server is running, but its web app is not built</h1>
<p>The API works. To use Shoebox in a browser, start the server with <code>pnpm server</code> from
the repository (it builds the app when needed), or build it once and reload this page:</p>
<pre>pnpm --filter @shoebox/ui build</pre>
</body></html>
`;

/** The repository's packages/ui/dist. */
export function defaultUiDir(): string {
  return path.resolve(import.meta.dirname, '..', '..', '..', '..', 'packages', 'ui', 'dist');
}

export function uiRouter(uiDir: string): Router {
  const router = express.Router();
  const assetsDir = path.join(uiDir, 'assets');
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', UI_CSP);
    next();
  });
  router.use(
    express.static(uiDir, {
      index: false,
      cacheControl: false,
      dotfiles: 'ignore',
      fallthrough: true,
      setHeaders: (res, filePath) => {
        const rel = path.relative(assetsDir, filePath);
        const hashed = !rel.startsWith('..') && !path.isAbsolute(rel);
        res.setHeader('Cache-Control', hashed ? IMMUTABLE : 'no-cache');
      },
    }),
  );
  router.use((req: Request, res: Response, next: NextFunction) => {
    // A missing build file is a 404, not the page: a script answered with HTML only confuses.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/assets/')) return next();
    if (/\.(js|mjs|css|map|json|webmanifest|png|svg|ico|webp|woff2?)$/i.test(req.path)) return next();
    res.setHeader('Cache-Control', 'no-cache');
    if (req.path !== '/' && req.path !== '/index.html') {
      // Always a same-origin target: it starts with `/#`.
      res.redirect(302, `/#${req.originalUrl}`);
      return;
    }
    const index = path.join(uiDir, 'index.html');
    if (!fs.existsSync(index)) {
      res.status(200).type('html').send(NOT_BUILT);
      return;
    }
    res.sendFile(index, { cacheControl: false, lastModified: true }, (error?: Error) => {
      if (error && !res.headersSent) res.status(200).type('html').send(NOT_BUILT);
    });
  });
  return router;
}
