// Serves the UI build (packages/ui/dist) next to the API: hashed files under /assets/ are cached
// for good, everything else is revalidated, and any other page path gets index.html (the app
// routes on the client). Without a build, `/` says in plain words how to make one.
import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';

/** The UI's pages load nothing from elsewhere: no inline script, no plugin, no framing. */
export const UI_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "script-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const IMMUTABLE = 'public, max-age=31536000, immutable';

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shoebox</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>Shoebox is running, but its app is not built yet</h1>
<p>The library engine and its API are working. To see your photos here, build the app once from the
repository, then reload this page:</p>
<pre>pnpm --filter @shoebox/ui build</pre>
</body></html>
`;

/** The folder the UI build is served from: `SHOEBOX_UI_DIR`, else the repository's packages/ui/dist. */
export function defaultUiDir(): string {
  return path.resolve(import.meta.dirname, '..', '..', '..', '..', 'packages', 'ui', 'dist');
}

export function uiRouter(uiDir: string): Router {
  const router = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', UI_CSP);
    next();
  });
  router.use(
    express.static(uiDir, {
      index: false,
      cacheControl: false,
      fallthrough: true,
      setHeaders: (res, filePath) => {
        const underAssets = path.relative(path.join(uiDir, 'assets'), filePath);
        const hashed = !underAssets.startsWith('..') && !path.isAbsolute(underAssets);
        res.setHeader('Cache-Control', hashed ? IMMUTABLE : 'no-cache');
      },
    }),
  );
  router.use((req: Request, res: Response, next: NextFunction) => {
    // A missing build file is a 404, not the page: a script answered with HTML only confuses.
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/assets/')) return next();
    res.setHeader('Cache-Control', 'no-cache');
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
