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
