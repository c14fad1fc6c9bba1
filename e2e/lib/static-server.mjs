// Static file server for the e2e pages and the demo, bound to 127.0.0.1 only.
//   /dist/  -> <repo>/dist/                               our SDK build (IIFE, ESM, sip-core.wasm)
//   /e2e/   -> <repo>/e2e/pages/                          test pages (rc-phone.html, ours-phone.html)
//   /rc/    -> <repo>/node_modules/ringcentral-web-phone/dist/   the published SDK (index.iife.js)
//   /       -> <repo>/web/                                demo app
//   /healthz                                              200 "ok" (Playwright webServer readiness URL)
// Module: startStaticServer({ port }) -> { port, origin, close() }.
// CLI:    node e2e/lib/static-server.mjs [port]   (default $WEB_PORT or 25088)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DEFAULT_PORT = 25088;

export const MOUNTS = {
  '/dist/': path.join(ROOT, 'dist'),
  '/e2e/': path.join(ROOT, 'e2e', 'pages'),
  '/rc/': path.join(ROOT, 'node_modules', 'ringcentral-web-phone', 'dist'),
  '/': path.join(ROOT, 'web'),
};

// WebAssembly.instantiateStreaming() refuses anything but application/wasm.
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.json': 'application/json',
  '.map': 'application/json', '.wasm': 'application/wasm', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.ico': 'image/x-icon', '.txt': 'text/plain; charset=utf-8', '.wav': 'audio/wav', '.ts': 'text/plain; charset=utf-8',
};

export function startStaticServer({ port = DEFAULT_PORT, mounts = MOUNTS, log = () => {} } = {}) {
  const entries = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length);   // longest prefix first
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/healthz') { res.writeHead(200, { 'content-type': 'text/plain' }); res.end('ok'); return; }
    if (req.method !== 'GET' && req.method !== 'HEAD') { res.writeHead(405); res.end(); return; }
    const mount = entries.find(([prefix]) => url.pathname.startsWith(prefix));
    if (!mount) { res.writeHead(404); res.end('not found'); return; }
    const [prefix, dir] = mount;
    let rel;
    try { rel = decodeURIComponent(url.pathname.slice(prefix.length)); } catch { res.writeHead(400); res.end(); return; }
    let file = path.resolve(dir, rel || '.');
    if (file !== dir && !file.startsWith(dir + path.sep)) { res.writeHead(403); res.end('forbidden'); return; }
    fs.stat(file, (err, st) => {
      if (!err && st.isDirectory()) file = path.join(file, 'index.html');
      fs.readFile(file, (err2, data) => {
        if (err2) { log(`404 ${url.pathname}`); res.writeHead(404, { 'content-type': 'text/plain' }); res.end('not found'); return; }
        res.writeHead(200, {
          'content-type': TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream',
          'cache-control': 'no-store',   // always the freshly built SDK
        });
        res.end(req.method === 'HEAD' ? undefined : data);
      });
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const p = server.address().port;
      resolve({ server, port: p, origin: `http://localhost:${p}`, close: () => new Promise((r) => server.close(r)) });
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] || process.env.WEB_PORT || DEFAULT_PORT);
  const s = await startStaticServer({ port, log: (m) => process.env.STATIC_LOG && console.log(m) });
  console.log(`static server on ${s.origin} (127.0.0.1 only): /dist/ /e2e/ /rc/ /`);
  const stop = () => s.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
