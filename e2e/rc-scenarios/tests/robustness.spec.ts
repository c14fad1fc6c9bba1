// The edge's own SIP parser and transports, driven by raw WebSocket clients
// (no browser): malformed input, compact forms, header casing, LF-only, ws and wss.
import { test, expect } from '@playwright/test';
import WebSocket from 'ws';
import crypto from 'node:crypto';
import { api } from './fixtures';
// @ts-ignore
import { parse } from '../../rc-edge/sip.mjs';

const md5 = (s: string) => crypto.createHash('md5').update(s).digest('hex');
const WS = `ws://127.0.0.1:${process.env.RC_EDGE_WS_PORT ?? 16080}`;
const WSS = `wss://127.0.0.1:${process.env.RC_EDGE_WSS_PORT ?? 16443}`;

class Raw {
  frames: any[] = [];
  /** every text frame received, unparsed */
  texts: string[] = [];
  ws!: WebSocket;
  async open(url: string) {
    this.ws = new WebSocket(url, 'sip', { rejectUnauthorized: false });
    this.ws.on('message', (d) => { this.texts.push(d.toString()); try { this.frames.push(parse(d.toString())); } catch { this.frames.push({ raw: d.toString() }); } });
    await new Promise((res, rej) => { this.ws.once('open', res); this.ws.once('error', rej); });
    expect(this.ws.protocol).toBe('sip');
    return this;
  }
  send(s: string | Buffer) { this.ws.send(s); }
  async waitFor(pred: (m: any) => boolean, timeout = 3000) {
    await expect.poll(() => this.frames.some(pred), { timeout }).toBe(true);
    return this.frames.find(pred);
  }
  close() { this.ws.close(); }
}

const req = (lines: string[], body = '') => lines.join('\r\n') + '\r\n\r\n' + body;

test.beforeEach(async () => { await api('/api/reset', {}); });

test('garbage frames are ignored, malformed requests get 400, the server keeps serving', async () => {
  const c = await new Raw().open(WS);
  c.send('hello world');
  c.send(Buffer.from([0xff, 0xfe, 0x00, 0x41]));
  c.send('\r\n\r\n');
  c.send(req(['OPTIONS sip:x SIP/2.0', 'Via: SIP/2.0/WS a.invalid;branch=z9hG4bK1', 'From: <sip:a@b>;tag=1', 'To: <sip:b@b>', 'CSeq: 1 OPTIONS']));
  const r400 = await c.waitFor((m) => m.status === 400);
  expect(r400.reason).toMatch(/call-id/i);
  c.send(req(['OPTIONS sip:x SIP/2.0', 'Via: SIP/2.0/WS a.invalid;branch=z9hG4bK2', 'From: <sip:a@b>;tag=1', 'To: <sip:b@b>', 'Call-ID: x1', 'CSeq: banana']));
  await c.waitFor((m) => m.status === 400 && m.callId === 'x1');
  c.send(req(['SUBSCRIBE sip:x SIP/2.0', 'v: SIP/2.0/WS a.invalid;branch=z9hG4bK3', 'f: <sip:a@b>;tag=1', 't: <sip:b@b>', 'i: x2', 'CSeq: 3 SUBSCRIBE']));
  await c.waitFor((m) => m.status === 501 && m.callId === 'x2');
  c.send(req(['BYE sip:x SIP/2.0', 'Via: SIP/2.0/WS a.invalid;branch=z9hG4bK4', 'From: <sip:a@b>;tag=1', 'To: <sip:b@b>;tag=2', 'Call-ID: nope', 'CSeq: 4 BYE']));
  await c.waitFor((m) => m.status === 481 && m.callId === 'nope');
  c.send(req(['MESSAGE sip:x SIP/2.0', 'Via: SIP/2.0/WS a.invalid;branch=z9hG4bK5', 'From: <sip:a@b>;tag=1', 'To: <sip:b@b>', 'Call-ID: x3', 'CSeq: 5 MESSAGE', 'Content-Type: x-rc/agent'], 'not xml'));
  await c.waitFor((m) => m.status === 400 && m.callId === 'x3');
  // still alive
  c.send(req(['OPTIONS sip:x SIP/2.0', 'Via: SIP/2.0/WS a.invalid;branch=z9hG4bK6', 'From: <sip:a@b>;tag=1', 'To: <sip:b@b>', 'Call-ID: ok', 'CSeq: 6 OPTIONS']));
  const ok = await c.waitFor((m) => m.status === 200 && m.callId === 'ok');
  expect(ok.get('to')).toMatch(/;tag=/);
  expect((await api('/api/health')).ok).toBe(true);
  c.close();
});

test('RFC 5626 keep-alive: a CRLFCRLF ping gets one CRLF pong at once, a lone CRLF gets nothing', async () => {
  const c = await new Raw().open(WS);
  c.send('\r\n\r\n');
  await expect.poll(() => c.texts).toEqual(['\r\n']);
  // §3.5.1: a pong is not a ping; answering it would make two peers ping-pong.
  c.send('\r\n');
  // A ping between messages does not disturb the SIP stream on either side of it.
  c.send(req(['OPTIONS sip:x SIP/2.0', 'Via: SIP/2.0/WS a.invalid;branch=z9hG4bKk1', 'From: <sip:a@b>;tag=1', 'To: <sip:b@b>', 'Call-ID: ka1', 'CSeq: 1 OPTIONS']));
  c.send('\r\n\r\n');
  c.send(req(['OPTIONS sip:x SIP/2.0', 'Via: SIP/2.0/WS a.invalid;branch=z9hG4bKk2', 'From: <sip:a@b>;tag=1', 'To: <sip:b@b>', 'Call-ID: ka2', 'CSeq: 2 OPTIONS']));
  await c.waitFor((m) => m.status === 200 && m.callId === 'ka2');
  await c.waitFor((m) => m.status === 200 && m.callId === 'ka1');
  // (The edge answers requests a microtask later than pings, so frames that arrive
  // together may be answered out of order; only what was sent is asserted.)
  await expect.poll(() => c.texts.length).toBe(4);
  expect(c.texts.filter((t) => t === '\r\n')).toHaveLength(2);
  const state = await api('/api/state');
  expect(state.conns.map((x: any) => x.keepAlives)).toEqual([{ received: 3, answered: 2 }]);
  c.close();
});

test('REGISTER with compact forms, odd casing, LF-only lines, repeated Via; digest verified', async () => {
  const c = await new Raw().open(WS);
  const lines = (auth?: string, cseq = 1) => [
    'REGISTER sip:sip.ringcentral.com SIP/2.0',
    'v:SIP/2.0/WS a.invalid;branch=z9hG4bKaa' + cseq,
    'VIA: SIP/2.0/WS proxy.invalid;branch=z9hG4bKbb' + cseq,
    'f: <sip:16505550103@sip.ringcentral.com>;tag=t1',
    't: <sip:16505550103@sip.ringcentral.com>',
    'i: raw-reg-1',
    `cseq: ${cseq} REGISTER`,
    'm: <sip:raw@a.invalid;transport=ws>;+sip.instance="<urn:uuid:raw-1>";expires=30',
    ...(auth ? [`authorization: ${auth}`] : []),
    'l: 0',
  ].join('\n') + '\n\n';
  c.send(lines());
  const ch = await c.waitFor((m) => m.status === 401);
  expect(ch.getAll('via')).toHaveLength(2);
  expect(ch.getAll('via')[1]).toContain('proxy.invalid');
  const nonce = /nonce="([^"]+)"/.exec(ch.get('www-authenticate'))![1];
  const bad = `Digest username="800000000103", realm="sip.ringcentral.com", nonce="${nonce}", uri="sip:sip.ringcentral.com", response="${'0'.repeat(32)}"`;
  c.send(lines(bad, 2));
  await c.waitFor((m) => m.status === 403);
  c.send(lines(undefined, 3));
  const ch2 = (await expect.poll(() => c.frames.filter((m) => m.status === 401).length).toBe(2), c.frames.filter((m) => m.status === 401)[1]);
  const n2 = /nonce="([^"]+)"/.exec(ch2.get('www-authenticate'))![1];
  const ha1 = md5('800000000103:sip.ringcentral.com:pw-103-secret');
  const resp = md5(`${ha1}:${n2}:${md5('REGISTER:sip:sip.ringcentral.com')}`);
  c.send(lines(`Digest algorithm="MD5", username="800000000103", realm="sip.ringcentral.com", nonce="${n2}", uri="sip:sip.ringcentral.com", response="${resp}"`, 4));
  const ok = await c.waitFor((m) => m.status === 200);
  expect(ok.get('contact')).toMatch(/\+sip\.instance="<urn:uuid:raw-1>";expires=30$/);
  const regs = await api('/api/registrations');
  expect(regs.map((r: any) => r.instanceId)).toEqual(['raw-1']);
  // the same nonce cannot be replayed
  c.send(lines(`Digest algorithm="MD5", username="800000000103", realm="sip.ringcentral.com", nonce="${n2}", uri="sip:sip.ringcentral.com", response="${resp}"`, 5));
  await expect.poll(() => c.frames.filter((m) => m.status === 401).length).toBe(3);
  c.close();
});

test('wss:// with a self-signed cert and the sip subprotocol; per-extension trace', async () => {
  const c = await new Raw().open(WSS);
  c.send(req(['REGISTER sip:sip.ringcentral.com SIP/2.0', 'Via: SIP/2.0/WSS a.invalid;branch=z9hG4bKw', 'From: <sip:16505550104@sip.ringcentral.com>;tag=w', 'To: <sip:16505550104@sip.ringcentral.com>', 'Call-Id: w1', 'CSeq: 1 REGISTER', 'Contact: <sip:w@a.invalid;transport=wss>;expires=60']));
  const r = await c.waitFor((m) => m.status === 401);
  expect(r.headers.map((h: any) => h.name)).toEqual(['Via', 'From', 'To', 'Call-Id', 'CSeq', 'Www-Authenticate', 'Content-Length']);
  // Not authenticated yet: traced under the extension its To names.
  const trace = await api('/api/trace?ext=104');
  expect(trace.map((t: any) => `${t.dir} ${t.line}`)).toEqual(expect.arrayContaining(['in REGISTER sip:sip.ringcentral.com SIP/2.0', 'out SIP/2.0 401 Unauthorized']));
  c.close();
});

test('a REGISTER continuing a binding (its Call-ID) from a new socket: a higher CSeq moves it there, an equal or lower one gets 400 (RFC 3261 §10.3 step 7)', async () => {
  const ha1 = md5('800000000103:sip.ringcentral.com:pw-103-secret');
  /** An authenticated REGISTER at `cseq` (its unauthenticated try at cseq - 1); the final response. */
  const register = async (c: Raw, callId: string, cseq: number) => {
    const lines = (n: number, auth?: string) => req([
      'REGISTER sip:sip.ringcentral.com SIP/2.0', `Via: SIP/2.0/WS a.invalid;branch=z9hG4bKc${callId}${n}`,
      'From: <sip:16505550103@sip.ringcentral.com>;tag=c1', 'To: <sip:16505550103@sip.ringcentral.com>', `Call-Id: ${callId}`, `CSeq: ${n} REGISTER`,
      'Contact: <sip:cont@a.invalid;transport=ws>;+sip.instance="<urn:uuid:cont-1>";expires=30', ...(auth ? [`Authorization: ${auth}`] : []), 'Content-Length: 0']);
    const final = (n: number) => (m: any) => m.status >= 200 && m.cseqNum === n;
    c.send(lines(cseq - 1));
    const nonce = /nonce="([^"]+)"/.exec((await c.waitFor(final(cseq - 1))).get('www-authenticate'))![1];
    const resp = md5(`${ha1}:${nonce}:${md5('REGISTER:sip:sip.ringcentral.com')}`);
    c.send(lines(cseq, `Digest username="800000000103", realm="sip.ringcentral.com", nonce="${nonce}", uri="sip:sip.ringcentral.com", response="${resp}"`));
    return c.waitFor(final(cseq));
  };
  const first = await new Raw().open(WS);
  expect((await register(first, 'cont-reg', 10)).status).toBe(200);
  const [b1] = await api('/api/registrations');
  expect([b1.callId, b1.cseq]).toEqual(['cont-reg', 10]);
  first.close();
  const next = await new Raw().open(WS);
  const stale = await register(next, 'cont-reg', 10);
  expect([stale.status, stale.reason]).toEqual([400, 'Invalid CSeq number']);
  expect((await api('/api/registrations')).map((r: any) => [r.conn, r.cseq])).toEqual([[b1.conn, 10]]);
  expect((await register(next, 'cont-reg', 12)).status).toBe(200);
  const [b2] = await api('/api/registrations');
  expect([b2.callId, b2.cseq, b2.connOpen]).toEqual(['cont-reg', 12, true]);
  expect(b2.conn).not.toBe(b1.conn);
  // Another Call-ID (a new registration of the same device) replaces the binding whatever its CSeq.
  expect((await register(next, 'cont-reg-2', 2)).status).toBe(200);
  expect((await api('/api/registrations')).map((r: any) => [r.callId, r.cseq])).toEqual([['cont-reg-2', 2]]);
  next.close();
});

test('control API: pages from elsewhere are refused, bad tunables get 400, static files stay inside their mount', async () => {
  const base = `http://127.0.0.1:${process.env.RC_EDGE_HTTP_PORT ?? 16081}`;
  // A website open in the same browser must not reset the server or read the passwords.
  const evil = await fetch(`${base}/api/directory`, { headers: { origin: 'https://example.invalid' } });
  expect(evil.status).toBe(403);
  expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  expect((await fetch(`${base}/api/reset`, { method: 'POST', headers: { origin: 'https://example.invalid' } })).status).toBe(403);
  const local = await fetch(`${base}/api/health`, { headers: { origin: 'http://localhost:5173' } });
  expect(local.status).toBe(200);
  expect(local.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  const post = (path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  for (const [body, error] of [[{ maxInstance: 1 }, /unknown tunable maxInstance/], [{ maxInstances: '5' }, /maxInstances must be a number/],
    [[1, 2], /send a JSON object/], [{ autoReply: 'yes' }, /autoReply must be an object or null/]] as const) {
    const r = await post('/api/config', body);
    expect(r.status).toBe(400);
    expect((await r.json()).error).toMatch(error);
  }
  expect((await post('/api/reset', { config: { outage: 'on' } })).status).toBe(400);
  expect((await (await fetch(`${base}/api/config`)).json()).maxInstances).toBe(5);
  // Static mounts: a percent-encoded ../ does not leave the mount's directory.
  for (const path of ['/rc/..%2F..%2Fpackage.json', '/..%2Fpackage.json', '/rc/..%2Frc-x/index.iife.js']) {
    expect((await fetch(`${base}${path}`)).status, path).toBe(404);
  }
  expect((await fetch(`${base}/rc/index.iife.js`)).status).toBe(200);
});
