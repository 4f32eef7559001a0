// The tiny HTTP server that serves the browser test page on 127.0.0.1 (a free port): the page (page/*) and the
// browser build shipped in the npm package (node_modules/peerpigeon/dist/peerpigeon-browser.js, which sets
// window.PeerPigeonMesh). Only these files, read-only; anything else is 404.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const BUNDLE = path.resolve(here, '..', 'node_modules', 'peerpigeon', 'dist', 'peerpigeon-browser.js');

const ROUTES = new Map([
  ['/', { file: path.join(here, 'page', 'index.html'), type: 'text/html; charset=utf-8' }],
  ['/recorder.js', { file: path.join(here, 'page', 'recorder.js'), type: 'text/javascript; charset=utf-8' }],
  ['/main.js', { file: path.join(here, 'page', 'main.js'), type: 'text/javascript; charset=utf-8' }],
  ['/peerpigeon-browser.js', { file: BUNDLE, type: 'text/javascript; charset=utf-8' }]
]);

/** Starts the page server; resolves with `{ origin, close() }`. Fails clearly when the npm bundle is missing. */
export async function startPageServer() {
  if (!fs.existsSync(BUNDLE)) {
    throw new Error(`The peerpigeon browser build is missing: ${BUNDLE}. Install the Node test dependencies ` +
      '(cd tests/node && npm ci --ignore-scripts); peerpigeon@1.1.3 ships dist/peerpigeon-browser.js.');
  }
  const files = new Map([...ROUTES].map(([route, r]) => [route, { ...r, body: fs.readFileSync(r.file) }]));
  const server = http.createServer((req, res) => {
    const route = new URL(req.url, 'http://127.0.0.1').pathname;
    const hit = req.method === 'GET' ? files.get(route) : undefined;
    if (route === '/favicon.ico') {
      res.writeHead(204).end(); // the browser asks for one; a 404 would be a console error in every page
    } else if (hit) {
      res.writeHead(200, { 'Content-Type': hit.type, 'Cache-Control': 'no-store' }).end(hit.body);
    } else {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    })
  };
}
