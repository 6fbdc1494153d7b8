/**
 * Serves the built web app: files from `dist/`, and `index.html` for any other GET that accepts
 * HTML (the single-page app's routes, e.g. `/payment` when Stripe redirects back).
 * @module
 */
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const MISSING = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Aivah example</title></head>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The web app is not built</h1>
<p>The API is running under <code>/v1</code>. Build the web app with
<code>pnpm --filter @aivah/example-web build</code> (or run <code>pnpm demo</code> at the repository root), then reload.</p>
</body></html>`;

export function createStaticHandler(root: string): (request: Request) => Promise<Response | null> {
  const base = normalize(root + sep);
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return null;
    const pathname = decodeURIComponent(new URL(request.url).pathname);
    if (!existsSync(base)) {
      return new Response(MISSING, { status: 503, headers: { 'content-type': TYPES['.html']!, 'cache-control': 'no-store' } });
    }
    const file = normalize(join(base, pathname));
    if (file.startsWith(base) && file !== base) {
      const info = await stat(file).catch(() => null);
      if (info?.isFile()) {
        const immutable = pathname.startsWith('/assets/');
        return new Response(request.method === 'HEAD' ? null : await readFile(file), {
          headers: {
            'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
            'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
            'x-content-type-options': 'nosniff',
          },
        });
      }
    }
    // Unknown asset paths are real 404s; everything else is a route of the app.
    if (pathname.startsWith('/assets/') || extname(pathname)) return new Response('Not found', { status: 404 });
    const index = await readFile(join(base, 'index.html')).catch(() => null);
    if (!index) return new Response(MISSING, { status: 503, headers: { 'content-type': TYPES['.html']! } });
    return new Response(request.method === 'HEAD' ? null : index, {
      headers: { 'content-type': TYPES['.html']!, 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' },
    });
  };
}
