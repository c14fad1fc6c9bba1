// SipMessage.fromString (spec §2.10) reads text with the core's own parser.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { default: InboundMessage } = await import('wasm-web-phone/sip-message/inbound');
const { loadCore } = await import('wasm-web-phone/core/loader');

const text = [
  'INVITE sip:101@example.test SIP/2.0',
  'v: SIP/2.0/WSS proxy.test;branch=z9hG4bKtop',
  'Via: SIP/2.0/WSS edge.test;branch=z9hG4bKlow',
  'f: "Bob" <sip:102@example.test>;tag=b1',
  't: <sip:101@example.test>',
  'i: call-1',
  'CSeq: 4 INVITE',
  'Subject: folded',
  '  across lines',
  'l: 4',
  '',
  'abcd',
].join('\r\n');

test('fromString: a clear error until the core is loaded', () => {
  assert.throws(() => InboundMessage.fromString(text), /needs the wasm SIP core: await loadCore\(\)/);
});

test('fromString: RFC 3261 reading (compact forms, Via stack, folding), no invented To tag', async () => {
  await loadCore({ wasmBinary: readFileSync(`${root}/dist/sip-core.wasm`) });
  const m = InboundMessage.fromString(text);
  assert.ok(m instanceof InboundMessage);
  assert.equal(m.direction, 'inbound');
  assert.equal(m.subject, 'INVITE sip:101@example.test SIP/2.0');
  assert.equal(m.getHeader('Call-ID'), 'call-1');
  assert.equal(m.getHeader('from'), '"Bob" <sip:102@example.test>;tag=b1');
  assert.equal(m.getHeader('To'), '<sip:101@example.test>');
  // wire names are kept (`v` stays `v`); the stack is whole and in order
  assert.deepEqual(m.headerList.filter(([n]) => /^(v|via)$/i.test(n)).map(([n, v]) => `${n}: ${v}`),
    ['v: SIP/2.0/WSS proxy.test;branch=z9hG4bKtop', 'Via: SIP/2.0/WSS edge.test;branch=z9hG4bKlow']);
  assert.equal(m.getHeader('VIA'), 'SIP/2.0/WSS proxy.test;branch=z9hG4bKtop');
  assert.equal(m.getHeader('subject'), 'folded across lines');
  // names that are keys of every JS object are header names like any other
  assert.equal(m.getHeader('constructor'), undefined);
  assert.equal(m.getHeader('__proto__'), undefined);
  assert.equal(m.body, 'abcd');
  assert.throws(() => InboundMessage.fromString('hello world'), /fromString: malformed SIP message/);
  assert.throws(() => InboundMessage.fromString(text.replace('l: 4', 'l: 40')), /fromString: malformed SIP message/);
});

test('fromString output can be edited, and ResponseMessage copies compact-form headers', async () => {
  await loadCore({ wasmBinary: readFileSync(`${root}/dist/sip-core.wasm`) });
  const { default: RequestMessage } = await import('wasm-web-phone/sip-message/outbound/request');
  const { default: ResponseMessage } = await import('wasm-web-phone/sip-message/outbound/response');
  const req = RequestMessage.fromString(text.replace(/^INVITE sip:\S+/, 'MESSAGE sip:102@example.test').replace('4 INVITE', '4 MESSAGE'));
  req.headers['X-Added'] = 'yes';
  assert.match(req.toString(), /\r\nX-Added: yes\r\n/, 'an edit after fromString reaches the wire text');
  const ok = new ResponseMessage(InboundMessage.fromString(text), { responseCode: 200 });
  const copied = ok.headerList.map(([n, v]) => `${n}: ${v}`);
  for (const line of ['v: SIP/2.0/WSS proxy.test;branch=z9hG4bKtop', 'Via: SIP/2.0/WSS edge.test;branch=z9hG4bKlow',
    'f: "Bob" <sip:102@example.test>;tag=b1', 't: <sip:101@example.test>', 'i: call-1', 'CSeq: 4 INVITE']) {
    assert.ok(copied.includes(line), `${line} copied: ${copied.join(' | ')}`);
  }
  assert.equal(InboundMessage.fromString(ok.toString()).getHeader('Call-ID'), 'call-1', 'the response reparses');
});

test('an app-built message counts Content-Length in UTF-8 bytes (accents, emoji, a lone surrogate)', async () => {
  const { default: OutboundMessage } = await import(`${root}/dist/es/sip-message/outbound/index.js`);
  for (const body of ['', 'abc', 'héllo wörld', '你好', 'wave 👋 end', 'lone \ud800 surrogate', 'end \udc00']) {
    const m = new OutboundMessage('MESSAGE sip:a@b SIP/2.0', {}, body);
    assert.equal(m.headers['Content-Length'], String(Buffer.byteLength(m.body)), JSON.stringify(body));
  }
});

// `headers` is the editable view, as in the original, where getHeader() and
// toString() read it: edits (and new subject/body) show in both, for a
// message the app built and for one read from the core (a review found
// both ignoring them: the line list and the wire text were cached).
test('edits to headers, body and subject show in getHeader() and toString()', async () => {
  await loadCore({ wasmBinary: readFileSync(`${root}/dist/sip-core.wasm`) });
  const built = new InboundMessage('SIP/2.0 200 OK', { 'Call-ID': 'x' }, '');
  assert.equal(built.getHeader('call-id'), 'x'); // the line list is made here
  built.headers['X-Added'] = 'yes';
  built.headers['Call-ID'] = 'y';
  assert.equal(built.getHeader('X-Added'), 'yes');
  assert.equal(built.getHeader('i'), 'y');
  assert.match(built.toString(), /\r\nX-Added: yes\r\n/);
  assert.match(built.toString(), /\r\nCall-ID: y\r\n/);

  const parsed = InboundMessage.fromString(text);
  assert.equal(parsed.toString().includes('X-Added'), false);
  // Read only: nothing changes.
  void parsed.headers;
  assert.equal(parsed.getHeader('Call-ID'), 'call-1');
  const wire = InboundMessage.fromString(text);
  void wire.headers;
  void wire.body;
  assert.equal(wire.toString(), InboundMessage.fromString(text).toString());
  // Edited: both see it; the second Via line stays.
  parsed.headers['X-Added'] = 'yes';
  delete parsed.headers.Subject;
  assert.equal(parsed.getHeader('X-Added'), 'yes');
  assert.equal(parsed.getHeader('Subject'), undefined);
  const out = parsed.toString();
  assert.match(out, /\r\nX-Added: yes\r\n/);
  assert.doesNotMatch(out, /Subject/);
  assert.match(out, /\r\nVia: SIP\/2\.0\/WSS edge\.test;branch=z9hG4bKlow\r\n/);
  const rebodied = InboundMessage.fromString(text);
  rebodied.body = 'wxyz';
  assert.ok(rebodied.toString().endsWith('\r\n\r\nwxyz'));
  const resubjected = InboundMessage.fromString(text);
  resubjected.subject = 'INVITE sip:102@example.test SIP/2.0';
  assert.ok(resubjected.toString().startsWith('INVITE sip:102@example.test SIP/2.0\r\n'));
});
