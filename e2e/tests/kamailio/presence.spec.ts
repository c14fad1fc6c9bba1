// Presence and busy-lamp field (issue #16, server side): Kamailio's presence
// server (presence + presence_xml, PIDF) and dialog-info (presence_dialoginfo
// fed by dialog + pua_dialoginfo), driven by raw SIP-over-WebSocket clients
// (e2e/lib/sip-ws-client.mjs); no browser. Every NOTIFY a test received is
// attached to the report (and printed when the test fails), so that the
// client-side engineers can see the exact XML Kamailio sends. Samples of
// both kinds: e2e/kamailio/samples/.
import { test, expect } from '../../lib/fixtures';
import { SipWsClient, FAKE_SDP } from '../../lib/sip-ws-client.mjs';

const clients: any[] = [];
const ua = async (ext: string, opts: Record<string, unknown> = {}) => {
  const c = new SipWsClient({ ext, ...opts });
  clients.push(c);
  await c.connect();
  expect((await c.register()).status).toBe(200);
  return c;
};

const pidf = (ext: string, note: string, basic = 'open') => [
  '<?xml version="1.0" encoding="UTF-8"?>',
  `<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:${ext}@localhost">`,
  `<tuple id="wwp-${ext}"><status><basic>${basic}</basic></status><note>${note}</note></tuple>`,
  '</presence>',
].join('\n');

const describeNotify = (m: any) =>
  `${m.first}\n${m.headers.map(([k, v]: string[]) => `${k}: ${v}`).join('\n')}\n\n${m.body}`;
/** <state> of the <dialog> with direction `dir` in a dialog-info body ('' if none). */
const dialogState = (body: string, dir = 'initiator') =>
  new RegExp(`<dialog [^>]*direction="${dir}"[^>]*>\\s*<state[^>]*>([^<]+)</state>`).exec(body)?.[1] ?? '';
const version = (body: string) => Number(/<dialog-info [^>]*version="(\d+)"/.exec(body)?.[1] ?? NaN);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test.afterEach(async ({}, testInfo) => {
  const notifies = clients.flatMap((c) => c.received.filter((m: any) => m.method === 'NOTIFY')
    .map((m: any) => `=== NOTIFY received by ${c.username}\n${describeNotify(m)}`));
  if (notifies.length) {
    await testInfo.attach('notifies.txt', { body: notifies.join('\n\n'), contentType: 'text/plain' });
    if (testInfo.status !== testInfo.expectedStatus) console.log(notifies.join('\n\n'));
  }
  for (const c of clients.splice(0)) {
    await c.unregister().catch(() => {});
    c.close();
  }
});

test('presence: PUBLISH PIDF, SUBSCRIBE gets it, a modifying PUBLISH is notified, unsubscribe terminates', async () => {
  const a = await ua('102');
  const b = await ua('103');

  const p1 = await a.publish(pidf('102', 'in a meeting'), { expires: 60 });
  expect(p1.res.status).toBe(200);
  expect(p1.res.get('expires')).toBe('60');
  expect(p1.etag).toBeTruthy();

  const sub = await b.subscribe('102', { event: 'presence', accept: 'application/pidf+xml', expires: 60 });
  expect([200, 202]).toContain(sub.res.status);
  expect(sub.res.get('expires')).toBe('60');
  const n1 = await b.waitForNotify(sub.callId);
  expect(n1.get('event')).toBe('presence');
  expect(n1.get('subscription-state')).toMatch(/^active;expires=\d+$/);
  expect(n1.get('content-type')).toBe('application/pidf+xml');
  expect(n1.body).toContain('entity="sip:102@localhost"');
  expect(n1.body).toMatch(/<basic>open<\/basic>/);
  expect(n1.body).toContain('<note>in a meeting</note>');
  // the NOTIFY came inside the subscription dialog (tags swapped) over 103's own WebSocket
  expect(n1.get('to')).toContain(`tag=${sub.dialog.localTag}`);
  expect(n1.get('from')).toBe(sub.dialog.remote);

  // modify the publication (SIP-If-Match): a new ETag and a new NOTIFY
  const p2 = await a.publish(pidf('102', 'back at my desk'), { expires: 60, ifMatch: p1.etag });
  expect(p2.res.status).toBe(200);
  expect(p2.etag).toBeTruthy();
  expect(p2.etag).not.toBe(p1.etag);
  const n2 = await b.waitForNotify(sub.callId);
  expect(n2.get('subscription-state')).toMatch(/^active/);
  expect(n2.body).toContain('<note>back at my desk</note>');
  expect(n2.body).not.toContain('in a meeting');
  expect(n2.cseq().n).toBeGreaterThan(n1.cseq().n);

  // a PUBLISH with an unknown ETag is refused (RFC 3903 wants 412; Kamailio 5.6
  // with the presentity in the database answers 500, "wrong etag" in its log)
  const wrongEtag = (await a.publish(pidf('102', 'x'), { ifMatch: 'no-such-etag' })).res.status;
  expect(wrongEtag).toBeGreaterThanOrEqual(400);

  // unsubscribe: 200 and a final NOTIFY with the current state
  const u = await b.unsubscribe(sub.dialog);
  expect([200, 202]).toContain(u.status);
  const n3 = await b.waitForNotify(sub.callId);
  expect(n3.get('subscription-state')).toMatch(/^terminated/);
  expect(n3.body).toContain('<note>back at my desk</note>');

  // remove the publication (Expires: 0 with its ETag)
  expect((await a.publish('', { expires: 0, ifMatch: p2.etag })).res.status).toBe(200);
});

test('dialog-info (BLF): a watcher sees trying/early/confirmed/terminated of caller and callee', async () => {
  const caller = await ua('102');
  const callee = await ua('103');
  const watcher = await ua('104');

  const accept = 'application/dialog-info+xml';
  const s102 = await watcher.subscribe('102', { event: 'dialog', accept, expires: 120 });
  const s103 = await watcher.subscribe('103', { event: 'dialog', accept, expires: 120 });
  expect([200, 202]).toContain(s102.res.status);
  expect([200, 202]).toContain(s103.res.status);
  // initial NOTIFY: 102 has no call, so no live dialog. Kamailio sends it
  // without a body, or, while an earlier test's call is still published
  // (pua keeps a terminated dialog for a while), with that one terminated.
  const first = await watcher.waitForNotify(s102.callId);
  expect(first.get('event')).toBe('dialog');
  expect(first.get('subscription-state')).toMatch(/^active/);
  const liveStates = [...first.body.matchAll(/<state[^>]*>([^<]*)</g)].map((m: RegExpMatchArray) => m[1].toLowerCase());
  expect(liveStates.filter((st) => st !== 'terminated')).toEqual([]);
  await watcher.waitForNotify(s103.callId);

  // 102 calls 103; 103 rings for a moment, then answers; 102 ACKs (in invite()), then hangs up
  let calleeDialog: any;
  callee.on('INVITE', async (req: any) => {
    const toTag = 'calleetag' + Date.now();
    callee.reply(req, 180, 'Ringing', { toTag });
    await sleep(300);
    callee.reply(req, 200, 'OK', { toTag, body: FAKE_SDP, headers: ['Content-Type: application/sdp'] });
    calleeDialog = { toTag };
  });
  const { res, dialog } = await caller.invite('103', FAKE_SDP);
  expect(res.status).toBe(200);
  const callId = dialog.callId;
  const early = await watcher.waitForNotify(s102.callId, (m: any) => dialogState(m.body) === 'early');
  const confirmed = await watcher.waitForNotify(s102.callId, (m: any) => dialogState(m.body) === 'confirmed');
  const calleeEarly = await watcher.waitForNotify(s103.callId, (m: any) => dialogState(m.body, 'recipient') === 'early');
  const calleeConfirmed = await watcher.waitForNotify(s103.callId, (m: any) => dialogState(m.body, 'recipient') === 'confirmed');
  expect((await caller.inDialog(dialog, 'BYE')).status).toBe(200);
  await watcher.waitForNotify(s102.callId, (m: any) => dialogState(m.body) === 'terminated');
  await watcher.waitForNotify(s103.callId, (m: any) => dialogState(m.body, 'recipient') === 'terminated');

  // caller (102): the states in order, without going back
  const callerNotifies = watcher.notifies(s102.callId).slice(1);
  const states = callerNotifies.map((m: any) => dialogState(m.body).toLowerCase());
  expect(states.length).toBeGreaterThanOrEqual(3);
  const order = ['trying', 'proceeding', 'early', 'confirmed', 'terminated'];
  const ranks = states.map((s: string) => order.indexOf(s));
  expect(ranks).not.toContain(-1);
  expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
  expect(states).toEqual(expect.arrayContaining(['early', 'confirmed', 'terminated']));
  // every document is full state, names 102, and its version grows by one per NOTIFY
  const versions = callerNotifies.map((m: any) => version(m.body));
  for (let i = 1; i < versions.length; i++) expect(versions[i]).toBe(versions[i - 1] + 1);
  for (const m of callerNotifies) {
    expect(m.get('content-type')).toBe(accept);
    expect(m.body).toMatch(/<dialog-info [^>]*state="full"/);
    expect(m.body).toMatch(/<dialog-info [^>]*entity="sip:102@localhost"/);
  }

  // every state carries the call-id and both identities (call pickup needs them); the
  // tags only come with "early": pua_dialoginfo (5.6) publishes trying, confirmed and
  // terminated without local-tag/remote-tag
  for (const m of callerNotifies) {
    expect(m.body).toContain(`call-id="${callId}"`);
    expect(m.body).toMatch(/<remote>\s*<identity[^>]*>sip:103@localhost<\/identity>/);
    expect(m.body).toMatch(/<local>\s*<identity[^>]*>sip:102@localhost<\/identity>/);
  }
  expect(early.body).toContain(`local-tag="${dialog.localTag}"`);
  expect(early.body).toContain(`remote-tag="${calleeDialog.toTag}"`);
  expect(confirmed.body).not.toContain('local-tag=');

  // callee (103): direction recipient, its tags the other way round
  for (const m of [calleeEarly, calleeConfirmed]) {
    expect(m.body).toMatch(/<dialog-info [^>]*entity="sip:103@localhost"/);
    expect(m.body).toContain(`call-id="${callId}"`);
    expect(m.body).toMatch(/<remote>\s*<identity[^>]*>sip:102@localhost<\/identity>/);
  }
  expect(calleeEarly.body).toContain(`local-tag="${calleeDialog.toTag}"`);
  expect(calleeEarly.body).toContain(`remote-tag="${dialog.localTag}"`);
  const calleeStates = watcher.notifies(s103.callId).slice(1).map((m: any) => dialogState(m.body, 'recipient').toLowerCase());
  expect(calleeStates).toEqual(expect.arrayContaining(['early', 'confirmed', 'terminated']));

  for (const s of [s102, s103]) {
    expect([200, 202]).toContain((await watcher.unsubscribe(s.dialog)).status);
    expect((await watcher.waitForNotify(s.callId, (m: any) => /^terminated/.test(m.get('subscription-state')))).get('event')).toBe('dialog');
  }
});

test('MESSAGE between registered users; an offline user gets 404', async () => {
  const a = await ua('102');
  const b = await ua('103');
  const got = b.waitFor('MESSAGE');
  const r = await a.request('MESSAGE', 'sip:103@localhost', { body: 'hello 103', headers: ['Content-Type: text/plain'] });
  expect(r.status).toBe(200);
  expect(a.received.some((m: any) => m.status === 407)).toBe(true);   // challenged like other requests
  const m = await got;
  expect(m.body).toBe('hello 103');
  expect(m.get('from')).toContain('sip:102@localhost');
  const off = await a.request('MESSAGE', 'sip:105@localhost', { body: 'anyone?', headers: ['Content-Type: text/plain'] });
  expect([404, 480]).toContain(off.status);
});

test('PUBLISH/SUBSCRIBE: wrong credentials, foreign identities and unknown events are refused; the server keeps serving', async () => {
  // wrong password: challenged again (407), never accepted
  const bad = new SipWsClient({ ext: '102', password: 'wrong' });
  clients.push(bad);
  await bad.connect();
  expect((await bad.publish(pidf('102', 'spoofed'))).res.status).toBe(407);
  expect((await bad.subscribe('103', { event: 'presence' })).res.status).toBe(407);
  // 105's credentials used for 102 (From): 403
  const other = new SipWsClient({ ext: '102', authorizationId: '105001', password: 'pw-105' });
  clients.push(other);
  await other.connect();
  expect((await other.publish(pidf('102', 'spoofed'))).res.status).toBe(403);
  expect((await other.subscribe('103', { event: 'dialog' })).res.status).toBe(403);

  const a = await ua('102');
  // publishing somebody else's state: 403
  expect((await a.publish(pidf('103', 'spoofed'), { target: '103' })).res.status).toBe(403);
  // a PUBLISH of an event the presence server does not serve is not accepted (it is
  // routed like any other request, here to 102 itself, which answers 481)
  expect((await a.publish('x', { event: 'no-such-event', contentType: 'text/plain' })).res.status).toBeGreaterThanOrEqual(400);

  // still alive: a normal publication works
  const ok = await a.publish(pidf('102', 'still here'));
  expect(ok.res.status).toBe(200);
  expect((await a.publish('', { expires: 0, ifMatch: ok.etag })).res.status).toBe(200);
});
