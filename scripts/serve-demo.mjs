// The demo's web server, on 127.0.0.1 only: serves web/ at /, the built
// package at /dist/, and /demo-config.json describing the local SIP server
// (domain, ws:// URL and test extensions) so the page needs no typing.
//   node scripts/serve-demo.mjs <port> <config.json>
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.argv[2] || 8080);
const config = readFileSync(process.argv[3]);
const types = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.css': 'text/css', '.json': 'application/json', '.wasm': 'application/wasm', '.map': 'application/json' };
const mounts = [['/dist/', join(root, 'dist')], ['/', join(root, 'web')]];

const notFound = (res) => {
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end('not found');
};

createServer((req, res) => {
  let path;
  try {
    path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain' });
    return res.end('bad request: malformed URL'); // "/%": decodeURIComponent threw and the server exited
  }
  if (path === '/demo-config.json') {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    return res.end(config);
  }
  for (const [prefix, dir] of mounts) {
    if (!path.startsWith(prefix)) continue;
    let file = normalize(join(dir, path.slice(prefix.length)));
    if (file !== dir && !file.startsWith(dir + sep)) break; // no ../ escapes, not even to a sibling (web-x/)
    try { if (statSync(file).isDirectory()) file = join(file, 'index.html'); statSync(file); } catch { break; }
    // The 200 only once the file is open: one a rebuild removed meanwhile
    // gets a 404 (after the headers a failure could only cut the body short).
    const stream = createReadStream(file);
    stream.on('open', () => {
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      stream.pipe(res);
    });
    stream.on('error', () => (res.headersSent ? res.destroy() : notFound(res)));
    return;
  }
  notFound(res);
}).listen(port, '127.0.0.1', () => console.log(`demo: http://127.0.0.1:${port}/`));
