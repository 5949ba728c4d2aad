// A small static file server on 127.0.0.1, started by a test for a second origin (the embed
// example's page) or for dist/ compressed as a static host serves it (the Lighthouse audit),
// and stopped when the test file ends.

import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

/**
 * Serves the files of `root` on a free port of 127.0.0.1, plus `pages`: extra paths (such as
 * `/snippet.html`) answered with the HTML a test sets in `server.pages` at any time.
 *
 * A path ending in `/` serves its `index.html`. With `gzip`, a response goes out gzip-compressed
 * (level 9) to a client that accepts it, as GitHub Pages and most static hosts send it.
 *
 * @param {string} root directory to serve
 * @param {{gzip?: boolean}} [options]
 * @returns {Promise<{url: string, pages: Map<string, string>, close: () => Promise<void>}>}
 *   `url` ends with `/`
 */
export async function serveDirectory(root, { gzip = false } = {}) {
  const pages = new Map();
  const base = normalize(root + sep);
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, 'http://127.0.0.1').pathname);
    const send = (code, type, body) => {
      const headers = { 'Content-Type': type, 'Cache-Control': 'no-cache' };
      if (gzip && /\bgzip\b/.test(request.headers['accept-encoding'] ?? '')) {
        headers['Content-Encoding'] = 'gzip';
        headers.Vary = 'Accept-Encoding';
        response.writeHead(code, headers);
        response.end(gzipSync(body, { level: 9 }));
        return;
      }
      response.writeHead(code, headers);
      response.end(body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, 'text/plain', 'Method Not Allowed\n');
      return;
    }
    if (pages.has(path)) {
      send(200, TYPES['.html'], pages.get(path));
      return;
    }
    const file = normalize(join(base, path.endsWith('/') ? `${path}index.html` : path));
    if (!file.startsWith(base)) {
      send(404, 'text/plain', 'Not Found\n');
      return;
    }
    try {
      const body = await readFile(file);
      send(200, TYPES[extname(file)] ?? 'application/octet-stream', body);
    } catch {
      send(404, 'text/plain', 'Not Found\n');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    pages,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** A port of 127.0.0.1 that was free a moment ago and has nothing listening on it now. */
export async function freePort() {
  const server = createTcpServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}
