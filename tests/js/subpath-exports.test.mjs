// The package's subpaths (spec §2.1) against ringcentral-web-phone 2.x itself
// (a dev dependency), through the package name as an app would use it, for
// both `import` and `require`; then the compatibility modules that have no
// wasm behind them: utils, RequestMessage, ResponseMessage and the tables.
// Needs a built dist/ (scripts/build.sh --package-only).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('../..', import.meta.url));

// Spec §2.1's table ('' is the package itself).
const SUBPATHS = [
  '', '/index', '/sip-client', '/device-manager', '/types', '/event-emitter',
  '/call-session/index', '/call-session/inbound', '/call-session/outbound',
  '/sip-message/index', '/sip-message/inbound', '/sip-message/outbound/index',
  '/sip-message/outbound/request', '/sip-message/outbound/response',
  '/sip-message/response-codes', '/rc-message/rc-message', '/rc-message/call-control-commands',
  '/utils',
];
// Exports we have and the original has not; anything else new fails the test.
const EXTRA = { '/sip-client': ['webSocketUrl'] };

/** What a module value looks like: a function by name, or an object by its keys. */
function shape(value, extra = []) {
  if (typeof value === 'function') return `function ${value.name}`;
  if (value && typeof value === 'object') {
    return Object.keys(value).filter((k) => !extra.includes(k)).sort().map((k) => `${k}: ${typeof value[k]}`);
  }
  return typeof value;
}

for (const sub of SUBPATHS) {
  test(`import 'wasm-web-phone${sub}' has the original's exports`, async () => {
    const ours = await import(`wasm-web-phone${sub}`);
    const theirs = await import(`ringcentral-web-phone${sub}`);
    assert.deepEqual(shape(ours, EXTRA[sub]), shape(theirs));
    if ('default' in theirs) assert.deepEqual(shape(ours.default), shape(theirs.default));
  });

  test(`require('wasm-web-phone${sub}') has the original's shape`, () => {
    const ours = require(`wasm-web-phone${sub}`);
    const theirs = require(`ringcentral-web-phone${sub}`);
    // e.g. `module.exports = WebPhone` for '', an object of named exports for /utils.
    assert.deepEqual(shape(ours, EXTRA[sub]), shape(theirs));
  });
}

test('a folder without /index does not resolve, as in the original', async () => {
  await assert.rejects(import('ringcentral-web-phone/call-session'));
  await assert.rejects(import('wasm-web-phone/call-session'));
  assert.throws(() => require('wasm-web-phone/call-session'));
});

test('CommonJS modules share classes across subpaths (unbundled build)', () => {
  const InboundMessage = require('wasm-web-phone/sip-message/inbound');
  const SipMessage = require('wasm-web-phone/sip-message/index');
  const EventEmitter = require('wasm-web-phone/event-emitter');
  const WebPhone = require('wasm-web-phone');
  assert.ok(new InboundMessage() instanceof SipMessage);
  assert.equal(Object.getPrototypeOf(WebPhone), EventEmitter);
  assert.equal(require('wasm-web-phone/index'), WebPhone);
});

test('CommonJS build loads the wasm core (import.meta shim)', async () => {
  const { loadCore } = require('wasm-web-phone/core/loader');
  const core = await loadCore({ wasmBinary: readFileSync(`${root}/dist/sip-core.wasm`) });
  assert.equal(typeof core.Ua, 'function');
});

test('package exports keep ./sip-core.wasm and ./package.json', () => {
  assert.equal(require.resolve('wasm-web-phone/sip-core.wasm'), `${root}dist/sip-core.wasm`);
  assert.equal(require('wasm-web-phone/package.json').name, 'wasm-web-phone');
});

// --- tables ------------------------------------------------------------------

test('call-control-commands equals the original and the core enum RcCmd', async () => {
  const { default: ours } = await import('wasm-web-phone/rc-message/call-control-commands');
  const { default: theirs } = await import('ringcentral-web-phone/rc-message/call-control-commands');
  assert.deepEqual(ours, theirs);
  // House style §17: the C++ enum is the source of truth.
  const hpp = readFileSync(`${root}core/rc/rc_message.hpp`, 'utf8');
  const body = /enum class RcCmd[^{]*\{([^}]*)\}/.exec(hpp)[1];
  const core = Object.fromEntries([...body.matchAll(/(\w+)\s*=\s*(\d+)/g)].map(([, n, v]) => [n, Number(v)]));
  assert.deepEqual(ours, core);
});

test('response-codes has every code and reason of the original', async () => {
  const { default: ours } = await import('wasm-web-phone/sip-message/response-codes');
  const { default: theirs } = await import('ringcentral-web-phone/sip-message/response-codes');
  for (const [code, reason] of Object.entries(theirs)) assert.equal(ours[code], reason, `code ${code}`);
  assert.equal(ours[486], 'Busy Here');
});

// --- utils -------------------------------------------------------------------

const utils = await import('wasm-web-phone/utils');
const original = await import('ringcentral-web-phone/utils');

test('uuid(): base36 time + counter + 6 random chars, unique', () => {
  const ids = Array.from({ length: 1000 }, () => utils.uuid());
  assert.equal(new Set(ids).size, ids.length);
  const time = Date.now().toString(36);
  for (const id of ids) {
    assert.match(id, /^[0-9a-z]+$/);
    assert.ok(id.length >= time.length + 1 + 6, id);
  }
  // Same layout as the original: only the counter part differs in length.
  assert.ok(Math.abs(utils.uuid().length - original.uuid().length) <= 2);
});

test('branch() carries the RFC 3261 magic cookie', () => {
  assert.match(utils.branch(), /^z9hG4bK-[0-9a-z]+$/);
  assert.notEqual(utils.branch(), utils.branch());
});

test('fakeDomain and fakeEmail are fixed .invalid names', async () => {
  assert.match(utils.fakeDomain, /^[0-9a-z]+\.invalid$/);
  assert.equal(utils.fakeEmail.split('@')[1], utils.fakeDomain);
  assert.equal((await import('wasm-web-phone/utils')).fakeDomain, utils.fakeDomain);
});

test('address helpers give the original results', () => {
  const samples = [
    '"Bob" <sip:101@sip.example.com>;tag=abc123',
    '<sip:+16505550100@sip.ringcentral.com>',
    '<sip:17206666666*115@sip.ringcentral.com:5060;transport=wss>;tag=x;foo=bar',
  ];
  for (const s of samples) {
    assert.equal(utils.withoutTag(s), original.withoutTag(s));
    assert.equal(utils.extractAddress(s), original.extractAddress(s));
    assert.equal(utils.extractNumber(s), original.extractNumber(s));
    if (s.includes(';tag=')) assert.equal(utils.extractTag(s), original.extractTag(s));
  }
  assert.equal(utils.extractTag(samples[2]), 'x;foo=bar');
  // Where the original fails with a TypeError on null, ours names what is missing.
  assert.throws(() => utils.extractTag(samples[1]), /extractTag: no match/);
  assert.throws(() => utils.extractAddress('sip:101@x'), /extractAddress: no match/);
  assert.throws(() => utils.extractNumber('<tel:101>'), /extractNumber: no match/);
});

test('generateAuthorization: a clear error before the core loads, then the original\'s exact value', async () => {
  const sipInfo = { authorizationId: '101', domain: 'example.test', password: 'secret' };
  assert.throws(() => utils.generateAuthorization(sipInfo, 'nonce', 'REGISTER'), /needs the wasm SIP core: await loadCore\(\)/);
  const { loadCore } = await import('wasm-web-phone/core/loader');
  await loadCore({ wasmBinary: readFileSync(`${root}/dist/sip-core.wasm`) });
  const original = await import('ringcentral-web-phone/utils');
  for (const method of ['REGISTER', 'INVITE']) {
    for (const nonce of ['abc', 'Y2k5NmU2ZTQtOGE1Ny00ZDhiLWEzYjUtNWM5N2Rk']) {
      assert.equal(utils.generateAuthorization(sipInfo, nonce, method), original.generateAuthorization(sipInfo, nonce, method));
    }
  }
  assert.throws(() => utils.generateAuthorization(sipInfo, 'bad\r\nX-Injected: 1', 'REGISTER'), /generateAuthorization: /);
});

// --- RequestMessage ----------------------------------------------------------

const { default: RequestMessage } = await import('wasm-web-phone/sip-message/outbound/request');
const { default: ResponseMessage } = await import('wasm-web-phone/sip-message/outbound/response');
const { default: OutboundMessage } = await import('wasm-web-phone/sip-message/outbound/index');
const { default: InboundMessage } = await import('wasm-web-phone/sip-message/inbound');
const { default: OriginalRequest } = await import('ringcentral-web-phone/sip-message/outbound/request');
const { default: OriginalResponse } = await import('ringcentral-web-phone/sip-message/outbound/response');
const { default: OriginalInbound } = await import('ringcentral-web-phone/sip-message/inbound');

const dialog = () => ({
  'Call-Id': 'c1',
  From: '<sip:101@example.test>;tag=f1',
  To: '<sip:102@example.test>',
  Via: 'SIP/2.0/WSS x.invalid;branch=z9hG4bK-first',
});
const headerLines = (text) => text.split('\r\n\r\n')[0].split('\r\n').slice(1);
const names = (text) => headerLines(text).map((l) => l.split(': ')[0]);

test('RequestMessage: headers in the original order, CSeq from one counter', () => {
  const a = new RequestMessage('MESSAGE sip:102@example.test SIP/2.0', dialog(), 'hi');
  const b = new RequestMessage('INFO sip:102@example.test SIP/2.0', dialog(), '');
  const [n, method] = a.headers.CSeq.split(' ');
  assert.equal(method, 'MESSAGE');
  assert.equal(b.headers.CSeq, `${Number(n) + 1} INFO`);
  assert.ok(Number(n) >= 1 && Number(n) <= 10000);
  const theirs = new OriginalRequest('MESSAGE sip:102@example.test SIP/2.0', dialog(), 'hi');
  assert.deepEqual(names(a.toString()), names(theirs.toString()));
  assert.equal(a.headers['Max-Forwards'], '70');
  assert.equal(a.direction, 'outbound');
  assert.ok(a.toString().endsWith('\r\n\r\nhi\r\n'));
});

test('RequestMessage keeps a given CSeq, in any spelling', () => {
  assert.equal(new RequestMessage('ACK sip:x SIP/2.0', { CSeq: '7 ACK' }).headers.CSeq, '7 ACK');
  const m = new RequestMessage('ACK sip:x SIP/2.0', { Cseq: '8 ACK' });
  assert.deepEqual(headerLines(m.toString()).filter((l) => /^cseq:/i.test(l)), ['Cseq: 8 ACK']);
});

test('RequestMessage: Content-Length counts UTF-8 bytes of the normalised body', () => {
  const m = new RequestMessage('MESSAGE sip:x SIP/2.0', {}, 'héllo\n\nwörld ☎\n');
  assert.equal(m.body, 'héllo\r\nwörld ☎\r\n');
  assert.equal(m.headers['Content-Length'], String(Buffer.byteLength(m.body)));
  assert.equal(m.headers['Content-Length'], '20');
  // The original counts UTF-16 code units.
  assert.equal(new OriginalRequest('MESSAGE sip:x SIP/2.0', {}, 'héllo\n\nwörld ☎\n').headers['Content-Length'], '16');
  assert.equal(new RequestMessage('BYE sip:x SIP/2.0', {}).headers['Content-Length'], '0');
});

test('RequestMessage.fork(): new CSeq, new branch in the top Via, the rest copied', () => {
  const m = new RequestMessage('INVITE sip:102@example.test SIP/2.0', { ...dialog(), 'Content-Type': 'application/sdp' }, 'v=0');
  m.headerList.push(['Via', 'SIP/2.0/WSS second.invalid;branch=z9hG4bK-second']);
  const f = m.fork();
  assert.ok(f instanceof RequestMessage);
  assert.equal(Number(f.headers.CSeq.split(' ')[0]), Number(m.headers.CSeq.split(' ')[0]) + 1);
  assert.match(f.headers.Via, /^SIP\/2\.0\/WSS x\.invalid;branch=z9hG4bK-[0-9a-z]+$/);
  assert.notEqual(f.headers.Via, m.headers.Via);
  const vias = headerLines(f.toString()).filter((l) => l.startsWith('Via: '));
  assert.deepEqual(vias, [`Via: ${f.headers.Via}`, 'Via: SIP/2.0/WSS second.invalid;branch=z9hG4bK-second']);
  assert.equal(f.getHeader('content-type'), 'application/sdp');
  assert.equal(f.body, m.body);
  assert.equal(m.headers.Via, dialog().Via, 'the original message is untouched');
});

test('RequestMessage rejects CR/LF in header names, values and the start line', () => {
  const subject = 'MESSAGE sip:x SIP/2.0';
  assert.throws(() => new RequestMessage(subject, { 'X-Note': 'a\r\nVia: evil' }), /CR, LF and NUL are not allowed/);
  assert.throws(() => new RequestMessage(subject, { 'X-Note': 'a\nb' }), /X-Note/);
  assert.throws(() => new RequestMessage(subject, { 'X-A\r\nVia': 'b' }), /Invalid SIP header name/);
  assert.throws(() => new RequestMessage(subject, { 'X A': 'b' }), /Invalid SIP header name/);
  assert.throws(() => new RequestMessage(`${subject}\r\nVia: evil`, {}), /start line/);
  // Headers edited after construction are checked when the message is serialised.
  const m = new RequestMessage(subject, {});
  m.headers['X-Late'] = 'ok\r\nContact: <sip:evil>';
  assert.throws(() => m.toString(), /X-Late/);
  // So is a line the constructor checked and the app then changed in place
  // (toString() skips only the lines left exactly as they were checked).
  const edited = new RequestMessage(subject, { 'X-Note': 'fine', To: '<sip:x>' });
  assert.doesNotThrow(() => edited.toString());
  const fresh = new RequestMessage(subject, { 'X-Note': 'fine', To: '<sip:x>' });
  fresh.headers['X-Note'] = 'bad\0byte';
  assert.throws(() => fresh.toString(), /X-Note/);
  const renamed = new RequestMessage(subject, { 'X-Note': 'fine' });
  delete renamed.headers['X-Note'];
  renamed.headers['X Note'] = 'fine';
  assert.throws(() => renamed.toString(), /Invalid SIP header name "X Note"/);
});

test('edits to headers after construction show in toString() and getHeader()', () => {
  const m = new RequestMessage('REGISTER sip:example.test SIP/2.0', dialog());
  m.headers.Authorization = 'Digest username="101"';
  delete m.headers['Max-Forwards'];
  m.headers['Call-Id'] = 'c2';
  assert.equal(m.getHeader('authorization'), 'Digest username="101"');
  const lines = headerLines(m.toString());
  assert.equal(lines.at(-1), 'Authorization: Digest username="101"');
  assert.ok(!lines.some((l) => l.startsWith('Max-Forwards')));
  assert.ok(lines.includes('Call-Id: c2'));
});

// --- ResponseMessage ---------------------------------------------------------

const inviteFromCore = async () => {
  const headers = [
    ['Via', 'SIP/2.0/WSS 10.0.0.1:8083;rport;branch=z9hG4bK-top'],
    ['Via', 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-second'],
    ['From', '<sip:#1024016@sip.ringcentral.com>;tag=93c4'],
    ['To', '<sip:101@sip.ringcentral.com>'],
    ['Call-ID', '0037695cd4ec'],
    ['CSeq', '218346883 INVITE'],
    ['Content-Type', 'application/sdp'],
    ['Content-Length', '4'],
  ];
  const text = ['INVITE sip:101@x.invalid SIP/2.0', ...headers.map(([n, v]) => `${n}: ${v}`), '', 'v=0\r\n'].join('\r\n');
  return InboundMessage.fromCore(await coreMessage(text));
};

/** The core's description of `text` (what the SDK hands fromCore for a frame). */
const { loadCore } = await import('wasm-web-phone/core/loader');
// Loaded on first use: the generateAuthorization test checks the error before it.
async function coreMessage(text) {
  const core = await loadCore({ wasmBinary: readFileSync(`${root}/dist/sip-core.wasm`) });
  const r = core.parseMessage(text);
  assert.ok(r.ok, r.message);
  return r.message;
}

test('ResponseMessage copies the whole Via stack and keeps the inbound spelling', async () => {
  const r = new ResponseMessage(await inviteFromCore(), { responseCode: 180, headers: { 'X-Extra': '1' } });
  assert.equal(r.subject, 'SIP/2.0 180 Ringing');
  assert.deepEqual(headerLines(r.toString()), [
    'X-Extra: 1',
    'Content-Length: 0',
    'User-Agent: wasm-web-phone',
    'Max-Forwards: 70',
    'Via: SIP/2.0/WSS 10.0.0.1:8083;rport;branch=z9hG4bK-top',
    'Via: SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-second',
    'From: <sip:#1024016@sip.ringcentral.com>;tag=93c4',
    'To: <sip:101@sip.ringcentral.com>',
    'Call-ID: 0037695cd4ec',
    'CSeq: 218346883 INVITE',
  ]);
  assert.equal(r.headers['Call-ID'], '0037695cd4ec');
  assert.equal(r.headers.Via, 'SIP/2.0/WSS 10.0.0.1:8083;rport;branch=z9hG4bK-top');
  assert.equal(r.getHeader('call-id'), '0037695cd4ec');
});

test('ResponseMessage: same header order as the original for a one-Via request', () => {
  const headers = { Via: 'SIP/2.0/WSS a;branch=z9hG4bK-1', From: '<sip:1@a>;tag=1', To: '<sip:2@a>;tag=2', 'Call-Id': 'c', CSeq: '1 BYE' };
  const ours = new ResponseMessage(new InboundMessage('BYE sip:2@a SIP/2.0', headers, ''), {
    responseCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok',
  });
  const theirs = new OriginalResponse(new OriginalInbound('BYE sip:2@a SIP/2.0', headers, ''), {
    responseCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'ok',
  });
  assert.deepEqual(names(ours.toString()), names(theirs.toString()));
  assert.equal(ours.subject, theirs.subject);
  assert.equal(ours.body, theirs.body);
});

test('ResponseMessage: unknown code gets reason "Unknown"; copied headers win over given ones', async () => {
  const r = new ResponseMessage(await inviteFromCore(), { responseCode: 299, headers: { 'call-id': 'mine', to: 'x' } });
  assert.equal(r.subject, 'SIP/2.0 299 Unknown');
  const lines = headerLines(r.toString());
  assert.deepEqual(lines.filter((l) => /^(call-id|to):/i.test(l)), ['To: <sip:101@sip.ringcentral.com>', 'Call-ID: 0037695cd4ec']);
});

test('OutboundMessage.fromCore keeps exactly what the core sent', async () => {
  const headers = [['Via', 'SIP/2.0/WSS a;branch=z9hG4bK-1'], ['Via', 'SIP/2.0/WSS b;branch=z9hG4bK-2'], ['CSeq', '1 OPTIONS']];
  const text = 'OPTIONS sip:a SIP/2.0\r\nVia: SIP/2.0/WSS a;branch=z9hG4bK-1\r\nVia: SIP/2.0/WSS b;branch=z9hG4bK-2\r\nCSeq: 1 OPTIONS\r\n\r\n';
  const m = OutboundMessage.fromCore(await coreMessage(text));
  assert.equal(m.toString(), text);
  assert.deepEqual(m.headers, { Via: 'SIP/2.0/WSS a;branch=z9hG4bK-1', CSeq: '1 OPTIONS' });
  assert.deepEqual(m.headerList, headers);
  assert.equal(m.getHeader('content-length'), undefined);
  assert.equal(m.direction, 'outbound');
  assert.equal(m.shortString, 'outbound - OPTIONS sip:a SIP/2.0');
});
