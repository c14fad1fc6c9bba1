// A small RFC 3261/7118 SIP-over-WebSocket user agent (Node, `ws`) for tests:
// a "standard UA" peer that behaves the way a correct SDK must (full Via
// stack, route sets from Record-Route, Contact in 2xx, digest with or without
// qop). Adapted from the shared e2e recipe (../shared/e2e-recipe/lib/sip-ws-client.mjs); not a full
// stack (no retransmissions: WS is reliable; no forking; no PRACK).
//
//   const ua = new SipWsClient({ ext: '104' });            // from users.json, ws:// by default
//   await ua.connect(); await ua.register();
//   const { res, dialog } = await ua.invite('105', FAKE_SDP);
//   ua.on('INVITE', (req) => ua.answer(req, FAKE_SDP));    // callee side
//   await ua.inDialog(dialog, 'BYE');
//   const { res: p } = await ua.publish(PIDF, { expires: 60 });           // presence: p.get('sip-etag')
//   const sub = await ua.subscribe('102', { event: 'dialog' });          // sub.dialog, sub.callId
//   const n = await ua.waitForNotify(sub.callId, (m) => /confirmed/.test(m.body));
import WebSocket from 'ws';
import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { DOMAIN, WS_URL, WSS_URL, user as userOf } from './users.mjs';

const md5 = (s) => crypto.createHash('md5').update(s).digest('hex');
const rnd = () => crypto.randomBytes(6).toString('hex');
const COMPACT = { v: 'via', f: 'from', t: 'to', i: 'call-id', m: 'contact', l: 'content-length', c: 'content-type' };

/** Parse a SIP message: { first, status?, reason?, method?, uri?, headers: [[lname, value]], body, get, all, cseq } */
export function parseSip(text) {
  const idx = text.indexOf('\r\n\r\n');
  const head = idx >= 0 ? text.slice(0, idx) : text;
  const body = idx >= 0 ? text.slice(idx + 4) : '';
  const [first, ...lines] = head.split('\r\n');
  const headers = [];
  for (const l of lines) {
    if (/^[ \t]/.test(l) && headers.length) { headers[headers.length - 1][1] += ' ' + l.trim(); continue; }
    const c = l.indexOf(':');
    const name = l.slice(0, c).trim().toLowerCase();
    headers.push([COMPACT[name] || name, l.slice(c + 1).trim()]);
  }
  const m = { first, headers, body };
  const status = first.match(/^SIP\/2\.0 (\d{3}) (.*)$/);
  if (status) { m.status = Number(status[1]); m.reason = status[2]; } else {
    const [method, uri] = first.split(' '); m.method = method; m.uri = uri;
  }
  m.get = (n) => headers.find(([k]) => k === n.toLowerCase())?.[1];
  // all values of a header, split at top-level commas for the list-valued ones
  m.all = (n) => headers.filter(([k]) => k === n.toLowerCase()).map(([, v]) => v)
    .flatMap((v) => (/^(via|record-route|route)$/i.test(n) ? v.split(/,(?=\s*(?:<|SIP\/))/i).map((s) => s.trim()) : [v]));
  m.cseq = () => { const [num, meth] = (m.get('cseq') || '').split(/\s+/); return { n: Number(num), method: meth }; };
  return m;
}

export function digestResponse({ user, password, realm, nonce, method, uri, qop, opaque }) {
  const ha1 = md5(`${user}:${realm}:${password}`);
  const ha2 = md5(`${method}:${uri}`);
  let h = `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}"`;
  if (qop && qop.split(',').map((s) => s.trim()).includes('auth')) {
    const cnonce = rnd(); const nc = '00000001';
    h += `, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${md5(`${ha1}:${nonce}:${nc}:${cnonce}:auth:${ha2}`)}"`;
  } else h += `, response="${md5(`${ha1}:${nonce}:${ha2}`)}"`;
  if (opaque) h += `, opaque="${opaque}"`;
  return h + ', algorithm=MD5';
}
// a header parameter; (?:^|[\s,;]) so that `branch=` after `;rport=..;received=..` matches (recipe pitfall 5)
export const param = (s, p) => {
  const m = (s || '').match(new RegExp(`(?:^|[\\s,;])${p}=(?:"([^"]*)"|([^",;\\s>]+))`, 'i'));
  return m ? (m[1] ?? m[2]) : undefined;
};
const uriOf = (nameAddr) => (nameAddr || '').match(/<([^>]+)>/)?.[1] ?? (nameAddr || '').split(';')[0].trim();

export class SipWsClient extends EventEmitter {
  /**
   * opts: { ext } (reads users.json) or { username, authorizationId, password };
   *       url (default ws://127.0.0.1:25080; transport 'wss' picks wss://localhost:25443),
   *       domain, userAgent, log (fn; E2E_SIP_DEBUG=1 logs first lines),
   *       autoReply (default true: 200 to BYE/INFO/MESSAGE/NOTIFY/OPTIONS, 481 to other non-INVITE requests)
   */
  constructor(opts = {}) {
    super();
    const u = opts.ext ? userOf(opts.ext) : {};
    Object.assign(this, {
      domain: DOMAIN, userAgent: 'wwp-e2e-node-ua', autoReply: true,
      url: opts.transport === 'wss' ? WSS_URL : WS_URL,
      username: u.username, authorizationId: u.authorizationId, password: u.password,
    }, opts);
    this.authorizationId ??= this.username;
    this.log = opts.log || (process.env.E2E_SIP_DEBUG ? (...a) => console.log(`[${this.username}]`, ...a) : () => {});
    this.cseq = 1;
    this.transactions = new Map();   // branch -> { resolve, method }
    this.received = [];              // every parsed inbound message, for assertions
    this.host = `${rnd()}.invalid`;
    this.transport = this.url.startsWith('wss') ? 'wss' : 'ws';
    this.contactUri = `sip:${this.username}@${this.host};transport=${this.transport}`;
    this.contact = `<${this.contactUri}>`;
  }

  connect() {
    return new Promise((resolve, reject) => {
      // rejectUnauthorized: false = accept Kamailio's self-signed wss cert
      this.ws = new WebSocket(this.url, 'sip', { rejectUnauthorized: false });
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
      this.ws.on('message', (data) => this.onMessage(data.toString()));
    });
  }
  close() { this.ws?.close(); }
  sendRaw(text) { this.log('>>>', text.split('\r\n')[0]); this.ws.send(text); }

  build(startLine, headers, body = '') {
    return [startLine, ...headers.filter(Boolean), 'Max-Forwards: 70', `User-Agent: ${this.userAgent}`,
      `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
  }

  /**
   * Send a request; resolves with the final response (res.provisional = 1xx list).
   * Retries once with credentials on 401/407 (ACKing a 407/401 to INVITE).
   */
  request(method, uri, { headers = [], body = '', callId = `${rnd()}@${this.host}`, fromTag = rnd(), to,
    route = [], cseq, contact = /^(REGISTER|INVITE|REFER|SUBSCRIBE)$/.test(method) } = {}) {
    const send = (authHeader) => new Promise((resolve) => {
      const branch = `z9hG4bK${rnd()}`;
      const n = cseq ?? this.cseq++;
      const hdrs = [
        `Via: SIP/2.0/${this.transport.toUpperCase()} ${this.host};branch=${branch};rport`,
        ...route.map((r) => `Route: ${r}`),
        `From: <sip:${this.username}@${this.domain}>;tag=${fromTag}`,
        `To: ${to || `<${uri}>`}`,
        `Call-ID: ${callId}`, `CSeq: ${n} ${method}`,
        contact ? `Contact: ${this.contact}` : null,
        authHeader, ...headers,
      ];
      const provisional = [];
      this.transactions.set(branch, { method, provisional, resolve: (r) => { r.provisional = provisional; resolve(r); } });
      this.lastRequest = { method, uri, branch, callId, fromTag, cseq: n, to: to || `<${uri}>`, route };
      this.sendRaw(this.build(`${method} ${uri} SIP/2.0`, hdrs, body));
    });
    return (async () => {
      let res = await send();
      if (res.status === 401 || res.status === 407) {
        const ch = res.get(res.status === 401 ? 'www-authenticate' : 'proxy-authenticate');
        if (method === 'INVITE') this.ackNon2xx(res, uri, route);
        const auth = digestResponse({ user: this.authorizationId, password: this.password, realm: param(ch, 'realm'),
          nonce: param(ch, 'nonce'), method, uri, qop: param(ch, 'qop'), opaque: param(ch, 'opaque') });
        res = await send(`${res.status === 401 ? 'Authorization' : 'Proxy-Authorization'}: ${auth}`);
      }
      res.callId = callId; res.fromTag = fromTag;
      return res;
    })();
  }

  // ACK for a non-2xx final response: same branch/Via as the INVITE, hop by hop
  ackNon2xx(res, uri, route = []) {
    this.sendRaw(this.build(`ACK ${uri} SIP/2.0`, [`Via: ${res.all('via')[0]}`, ...route.map((r) => `Route: ${r}`),
      `From: ${res.get('from')}`, `To: ${res.get('to')}`, `Call-ID: ${res.get('call-id')}`, `CSeq: ${res.cseq().n} ACK`]));
  }

  register(expires = 300) {
    return this.request('REGISTER', `sip:${this.domain}`, {
      to: `<sip:${this.username}@${this.domain}>`, headers: [`Expires: ${expires}`] });
  }
  unregister() { return this.register(0); }

  /**
   * Outgoing call. Resolves with { res, dialog } on the final response; on 2xx
   * the ACK is sent along the route set (reversed Record-Route) to the Contact.
   */
  async invite(target, sdp, extraHeaders = []) {
    const uri = target.startsWith('sip:') ? target : `sip:${target}@${this.domain}`;
    const res = await this.request('INVITE', uri, { body: sdp, headers: ['Content-Type: application/sdp', ...extraHeaders] });
    if (res.status < 200 || res.status >= 300) return { res };
    const dialog = {
      callId: res.callId, localTag: res.fromTag, local: `<sip:${this.username}@${this.domain}>;tag=${res.fromTag}`,
      remote: res.get('to'), remoteTarget: uriOf(res.get('contact')) || uri,
      route: res.all('record-route').reverse(), cseq: res.cseq().n,
    };
    this.sendAck(dialog);
    return { res, dialog };
  }

  sendAck(dialog) {
    this.sendRaw(this.build(`ACK ${dialog.remoteTarget} SIP/2.0`, [
      `Via: SIP/2.0/${this.transport.toUpperCase()} ${this.host};branch=z9hG4bK${rnd()};rport`,
      ...dialog.route.map((r) => `Route: ${r}`), `From: ${dialog.local}`, `To: ${dialog.remote}`,
      `Call-ID: ${dialog.callId}`, `CSeq: ${dialog.cseq} ACK`]));
  }

  /** In-dialog request (BYE, INFO, re-INVITE, re-SUBSCRIBE...) to the remote target along the route set. */
  inDialog(dialog, method, { headers = [], body = '', route = dialog.route } = {}) {
    dialog.cseq += 1;
    return this.request(method, dialog.remoteTarget, { callId: dialog.callId, fromTag: dialog.localTag,
      to: dialog.remote, route, cseq: dialog.cseq, headers, body, contact: /^(INVITE|SUBSCRIBE)$/.test(method) });
  }

  /**
   * PUBLISH (RFC 3903) of our own state; resolves with { res, etag } (etag: the
   * SIP-ETag to refresh/modify with). opts: { event = 'presence', expires = 60,
   * ifMatch (the SIP-ETag of the publication to modify), contentType }.
   */
  async publish(body, { event = 'presence', expires = 60, ifMatch, contentType = 'application/pidf+xml', target = this.username } = {}) {
    const uri = target.startsWith('sip:') ? target : `sip:${target}@${this.domain}`;
    const res = await this.request('PUBLISH', uri, { body, headers: [`Event: ${event}`, `Expires: ${expires}`,
      ifMatch ? `SIP-If-Match: ${ifMatch}` : null, body ? `Content-Type: ${contentType}` : null] });
    return { res, etag: res.get('sip-etag') };
  }

  /**
   * SUBSCRIBE (RFC 6665) to `target`'s `event`. Resolves with { res, callId, dialog }
   * (dialog: for re-SUBSCRIBE/unsubscribe with inDialog(), or this.unsubscribe()).
   * The NOTIFYs are in this.received; see waitForNotify().
   */
  async subscribe(target, { event = 'presence', accept, expires = 60, headers = [] } = {}) {
    const uri = target.startsWith('sip:') ? target : `sip:${target}@${this.domain}`;
    const callId = `${rnd()}@${this.host}`;
    const res = await this.request('SUBSCRIBE', uri, { callId, headers: [`Event: ${event}`, `Expires: ${expires}`,
      accept ? `Accept: ${accept}` : null, ...headers] });
    if (res.status < 200 || res.status >= 300) return { res, callId };
    const dialog = {
      callId, localTag: res.fromTag, local: `<sip:${this.username}@${this.domain}>;tag=${res.fromTag}`,
      remote: res.get('to'), remoteTarget: uriOf(res.get('contact')) || uri,
      route: res.all('record-route').reverse(), cseq: res.cseq().n, event,
    };
    return { res, callId, dialog };
  }

  /** Unsubscribe (in-dialog SUBSCRIBE with Expires: 0); resolves with the response. */
  unsubscribe(dialog, { event = dialog.event ?? 'presence' } = {}) {
    return this.inDialog(dialog, 'SUBSCRIBE', { headers: [`Event: ${event}`, 'Expires: 0'] });
  }

  /** NOTIFYs received so far in the subscription with this Call-ID, oldest first. */
  notifies(callId) {
    return this.received.filter((m) => m.method === 'NOTIFY' && m.get('call-id') === callId);
  }

  /**
   * The first NOTIFY of the subscription `callId` satisfying `pred` that has not
   * been returned by waitForNotify() before (already received or still to come).
   */
  waitForNotify(callId, pred = () => true, timeout = 5000) {
    this.seenNotifies ??= new Set();
    const ok = (m) => m.method === 'NOTIFY' && m.get('call-id') === callId && !this.seenNotifies.has(m) && pred(m);
    const take = (m) => { this.seenNotifies.add(m); return m; };
    const got = this.received.find(ok);
    if (got) return Promise.resolve(take(got));
    return this.waitFor('NOTIFY', ok, timeout).then(take).catch((e) => {
      const seen = this.notifies(callId).map((m, i) => `--- NOTIFY #${i + 1} (${m.get('subscription-state')})\n${m.body}`).join('\n');
      e.message += ` (subscription ${callId}); NOTIFYs received:\n${seen || '(none)'}`;
      throw e;
    });
  }

  /** Send a response to `req`. A 2xx to INVITE carries Contact + the Record-Route copy (RFC 3261 12.1.1). */
  reply(req, status, reason, { headers = [], body = '', toTag } = {}) {
    let to = req.get('to');
    if (toTag && !/;tag=/.test(to)) to += `;tag=${toTag}`;
    const dialogForming = status >= 101 && status < 300 && req.method === 'INVITE';
    this.sendRaw(this.build(`SIP/2.0 ${status} ${reason}`, [
      ...req.all('via').map((v) => `Via: ${v}`),
      ...(dialogForming ? req.all('record-route').map((v) => `Record-Route: ${v}`) : []),
      `From: ${req.get('from')}`, `To: ${to}`, `Call-ID: ${req.get('call-id')}`, `CSeq: ${req.get('cseq')}`,
      dialogForming ? `Contact: ${this.contact}` : null, ...headers], body));
  }

  /**
   * UAS: answer an INVITE (180, then 200 + SDP); returns the dialog (route set =
   * Record-Route in order). The 180 is on by default because a real phone rings
   * first, and ringcentral-web-phone's call() needs it: it takes the first
   * non-100 response as "progress" and then waits for ANOTHER response with the
   * INVITE's CSeq, so a bare 200 (not retransmitted: we never retransmit) leaves it hanging.
   */
  answer(req, sdp, { headers = [], ring = true } = {}) {
    const toTag = rnd();
    if (ring) this.reply(req, 180, 'Ringing', { toTag });
    this.reply(req, 200, 'OK', { toTag, body: sdp, headers: ['Content-Type: application/sdp', ...headers] });
    return {
      callId: req.get('call-id'), localTag: toTag, local: `${req.get('to')};tag=${toTag}`, remote: req.get('from'),
      remoteTarget: uriOf(req.get('contact')), route: req.all('record-route'), cseq: 1000,
    };
  }

  /** Resolve with the next inbound request of `method` (optionally matching pred). */
  waitFor(method, pred = () => true, timeout = 5000) {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => { this.off(method, h); reject(new Error(`${this.username}: no ${method} within ${timeout} ms`)); }, timeout);
      const h = (m) => { if (!pred(m)) return; clearTimeout(t); this.off(method, h); resolve(m); };
      this.on(method, h);
    });
  }

  onMessage(text) {
    const m = parseSip(text);
    this.received.push(m);
    this.log('<<<', m.first);
    if (m.status) {
      const t = this.transactions.get(param(m.all('via')[0], 'branch'));
      if (!t) return;
      if (m.status < 200) { t.provisional.push(m); this.emit('provisional', m); return; }
      this.transactions.delete(param(m.all('via')[0], 'branch'));
      t.resolve(m);
      return;
    }
    this.emit('request', m);
    this.emit(m.method, m);
    // listeners only observe; replies to everything but INVITE/ACK are automatic
    // unless autoReply is false (then the test answers with ua.reply()).
    if (this.autoReply && m.method !== 'ACK' && m.method !== 'INVITE') {
      this.reply(m, /^(BYE|INFO|MESSAGE|NOTIFY|OPTIONS)$/.test(m.method) ? 200 : 481,
        /^(BYE|INFO|MESSAGE|NOTIFY|OPTIONS)$/.test(m.method) ? 'OK' : 'Call/Transaction Does Not Exist');
    }
  }
}

/** A plain (non-WebRTC) audio offer: enough for signalling tests between Node UAs. */
export const FAKE_SDP = [
  'v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0',
  'm=audio 40000 RTP/AVP 0', 'a=rtpmap:0 PCMU/8000', 'a=sendrecv', '',
].join('\r\n');

/**
 * WebRTC-shaped SDP (ICE ufrag/pwd, DTLS fingerprint, UDP/TLS/RTP/SAVPF) that a
 * browser SDK accepts in setRemoteDescription(); no media will flow (nothing
 * answers ICE). webrtcSdp('offer') has a=setup:actpass, 'answer' a=setup:active.
 */
export function webrtcSdp(kind = 'offer') {
  return [
    'v=0', 'o=- 2 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'a=msid-semantic: WMS',
    'm=audio 9 UDP/TLS/RTP/SAVPF 0 101', 'c=IN IP4 127.0.0.1', 'a=rtcp:9 IN IP4 0.0.0.0',
    'a=ice-ufrag:node', 'a=ice-pwd:nodenodenodenodenodenode',
    'a=fingerprint:sha-256 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF',
    `a=setup:${kind === 'offer' ? 'actpass' : 'active'}`, 'a=mid:0', 'a=sendrecv', 'a=rtcp-mux',
    'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', '',
  ].join('\r\n');
}
