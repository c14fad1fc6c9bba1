// Wasm heap of the SIP core (bytes the allocator has handed out, from
// wwp_heap_used via loadCore().memory()): an idle registered phone, and per
// live call. One DefaultSipClient on a fake WebSocket that answers the
// REGISTER; N inbound INVITEs arrive, the core answers each (through the
// call handle the SDK's own session code would use), the "server" ACKs, and
// every call is then ended with a BYE. Nothing here is timed.
// Usage: node bench/memory.mjs [--dist DIR] [--calls N] [--out FILE]   (writes bench/results/memory.md)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { resolveDist, sipInfo } from './lib/sdk.mjs';
import { repoDir } from './lib/util.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const dist = resolveDist(arg('--dist'));
const N = Number(arg('--calls', 50));
const out = arg('--out', join(repoDir, 'bench', 'results', 'memory.md'));

const header = (text, name) => text.match(new RegExp(`^${name}:\\s*(.*)$`, 'mi'))?.[1];
class FakeWs extends EventTarget {
  static OPEN = 1; static CONNECTING = 0; static CLOSING = 2; static CLOSED = 3;
  constructor(url) {
    super(); this.url = url; this.protocol = 'sip'; this.readyState = 0; this.sent = []; FakeWs.last = this;
    setTimeout(() => { this.readyState = 1; this.onopen?.(new Event('open')); }, 0);
  }
  send(text) {
    this.sent.push(text);
    if (!text.startsWith('REGISTER ')) return;
    const contact = (header(text, 'Contact') || '').replace(/;expires=\d+/, '');
    setTimeout(() => this.deliver(`SIP/2.0 200 OK\r\nVia: ${header(text, 'Via')}\r\nFrom: ${header(text, 'From')}\r\nTo: ${header(text, 'To')};tag=srv\r\nCall-ID: ${header(text, 'Call-ID')}\r\nCSeq: ${header(text, 'CSeq')}\r\nContact: ${contact};expires=60\r\nContent-Length: 0\r\n\r\n`), 0);
  }
  deliver(data) { this.onmessage?.(new MessageEvent('message', { data })); }
  close() { this.readyState = 3; }
}
globalThis.WebSocket = FakeWs;

const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=rtpmap:111 opus/48000/2\r\na=sendrecv\r\n';
const invite = (k) => {
  const body = sdp;
  return `INVITE sip:${sipInfo.username}@127.0.0.1;transport=ws SIP/2.0\r\nVia: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKmem${k}\r\nMax-Forwards: 70\r\nFrom: <sip:200${k}@${sipInfo.domain}>;tag=f${k}\r\nTo: <sip:${sipInfo.username}@${sipInfo.domain}>\r\nCall-ID: mem-call-${k}\r\nCSeq: 1 INVITE\r\nContact: <sip:200${k}@127.0.0.1:9;transport=ws>\r\nContent-Type: application/sdp\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
};
const inDialog = (method, k, toTag, cseq) =>
  `${method} sip:${sipInfo.username}@127.0.0.1;transport=ws SIP/2.0\r\nVia: SIP/2.0/WSS 127.0.0.1:9;branch=z9hG4bKmem${method}${k}\r\nMax-Forwards: 70\r\nFrom: <sip:200${k}@${sipInfo.domain}>;tag=f${k}\r\nTo: <sip:${sipInfo.username}@${sipInfo.domain}>;tag=${toTag}\r\nCall-ID: mem-call-${k}\r\nCSeq: ${cseq} ${method}\r\nContent-Length: 0\r\n\r\n`;

const { DefaultSipClient } = await import(pathToFileURL(join(dist, 'es', 'sip-client.js')).href);
const { loadedCore } = await import(pathToFileURL(join(dist, 'es', 'core', 'loader.js')).href);
const client = new DefaultSipClient({ sipInfo, wasm: { wasmBinary: readFileSync(join(dist, 'sip-core.wasm')) } });
const incoming = [];
client._onCallEvent = (e) => { if (e.name === 'incomingCall') incoming.push(e.call); };
await client.start();
const core = loadedCore();
const ws = FakeWs.last;
const heap = () => core.memory().heapUsed;
const settle = () => new Promise((r) => setTimeout(r, 5));

await settle();
const idle = heap();
for (let k = 0; k < N; k++) ws.deliver(invite(k));
await settle();
if (incoming.length !== N) throw new Error(`${incoming.length}/${N} INVITEs became calls`);
const ringing = heap();
const toTags = [];
for (const call of incoming) {
  const r = client.ua().answer(call, sdp, performance.now());
  client.check(r, 'answer');
}
for (let k = 0; k < N; k++) {
  const ok = [...ws.sent].reverse().find((t) => t.startsWith('SIP/2.0 200 ') && header(t, 'Call-ID') === `mem-call-${k}`);
  toTags[k] = /;tag=([^;>\s]+)/.exec(header(ok, 'To'))[1];
  ws.deliver(inDialog('ACK', k, toTags[k], 1));
}
await settle();
const answered = heap();
for (let k = 0; k < N; k++) ws.deliver(inDialog('BYE', k, toTags[k], 2));
await settle();
const ended = heap();
const live = (o) => `${o.calls} calls, ${o.dialogs} dialogs, ${o.transactions} transactions`;
const endedLive = live(client.ua().live());
// What is left is the answered INVITEs' server transactions, Accepted until
// Timer L (64*T1 = 32 s, RFC 6026 §8.7): move the core's clock past them.
client.ua().tick(performance.now() + 40000);
const reaped = heap();
const reapedLive = live(client.ua().live());
await client.dispose();

const kb = (b) => (b / 1024).toFixed(1);
const md = `# Wasm heap of the SIP core

Bytes the core's allocator has handed out (\`mallinfo().uordblks\`, via \`wwp_heap_used\`), one
\`DefaultSipClient\` on a fake socket, ${N} inbound calls (\`node bench/memory.mjs\`). The linear
memory itself starts at 1 MiB and grows only when this does not fit.

| state | heap in use | per call |
|:--|--:|--:|
| registered, idle | ${kb(idle)} KiB | |
| + ${N} ringing inbound calls | ${kb(ringing)} KiB | ${kb((ringing - idle) / N)} KiB |
| + the same ${N} calls answered and confirmed (ACK) | ${kb(answered)} KiB | ${kb((answered - idle) / N)} KiB |
| after a BYE ended each call (the core holds ${endedLive}: each answered INVITE's server transaction stays Accepted for Timer L, 64*T1, RFC 6026 §8.7) | ${kb(ended)} KiB | |
| 40 s later (Timer L fired; ${reapedLive}) | ${kb(reaped)} KiB | |

The idle figure includes the 64 KiB buffer every received frame is written into.

linear memory: ${kb(core.memory().memoryBytes)} KiB
`;
writeFileSync(out, md);
console.log(md);
process.exit(0);
