// The same server seen by standard RFC 3261 UAs (Node SIP-over-WS clients,
// e2e/lib/sip-ws-client.mjs): proper proxy behaviour, none of the RC
// workarounds leak onto them, and interop between a standard UA and the
// published RC SDK (which is what our SDK meets when it calls an RC phone).
import { test, expect } from '../../lib/fixtures';
import { SipWsClient, FAKE_SDP, webrtcSdp } from '../../lib/sip-ws-client.mjs';
import { registrations, registeredAors, rpc } from '../../lib/kamailio.mjs';

const ua = async (ext: string, transport: 'ws' | 'wss' = 'ws') => {
  const c = new SipWsClient({ ext, transport });
  await c.connect();
  expect((await c.register()).status).toBe(200);
  return c;
};

test('control interface: RPC works, bindings appear and disappear', async () => {
  expect(await rpc('core.version')).toMatch(/^kamailio 5\.6/);
  const c = await ua('104', 'wss');
  const [b] = await registrations('sip:104@localhost');
  expect(b.contact).toBe(c.contactUri);
  expect(b.userAgent).toBe('wwp-e2e-node-ua');
  expect(await registeredAors()).toContain('104');
  expect((await c.unregister()).status).toBe(200);
  expect(await registrations('104')).toEqual([]);
  c.close();
});

test('registrar: digest user must own the AoR; wrong password is challenged again', async () => {
  const c = new SipWsClient({ ext: '104', password: 'nope' });
  await c.connect();
  expect((await c.register()).status).toBe(401);
  c.close();
  const d = new SipWsClient({ ext: '104', authorizationId: '105001', password: 'pw-105' });  // 105's credentials for 104
  await d.connect();
  expect((await d.register()).status).toBe(403);
  d.close();
  const e = new SipWsClient({ ext: '104', authorizationId: '104' });   // bare extension as digest user
  await e.connect();
  expect((await e.register()).status).toBe(200);
  await e.unregister();
  e.close();
});

test('standard UA -> standard UA (ws -> wss): 407, full Via stack, Record-Route, route set, strict in-dialog routing', async () => {
  const a = await ua('104', 'ws');
  const b = await ua('105', 'wss');
  let bDialog: any;
  const gotInvite = b.waitFor('INVITE').then((req: any) => { bDialog = b.answer(req, FAKE_SDP); return req; });
  const { res, dialog } = await a.invite('105', FAKE_SDP);
  const invite = await gotInvite;
  expect(res.status).toBe(200);
  expect(a.received.some((m: any) => m.status === 407)).toBe(true);       // initial INVITE challenged
  expect(invite.all('via').length).toBe(2);                                // caller's Via kept (no RC1)
  expect(invite.all('record-route').length).toBe(2);                       // ws -> wss: double Record-Route
  expect(invite.get('p-rc')).toBeUndefined();                              // no RC6 header
  expect(invite.headers.find(([k]: string[]) => k === 'call-id')).toBeTruthy();
  expect(dialog.route.length).toBe(2);
  expect(res.get('contact')).toContain(';alias=');                         // callee's WS contact aliased
  await b.waitFor('ACK');

  // callee -> caller along its route set
  expect((await b.inDialog(bDialog, 'INFO', { body: 'x', headers: ['Content-Type: text/plain'] })).status).toBe(200);
  // a standard UA that forgets its route set is NOT rescued (no RC2 for it)
  expect((await a.inDialog(dialog, 'INFO', { route: [] })).status).toBe(404);
  expect((await a.inDialog(dialog, 'BYE')).status).toBe(200);
  a.close(); b.close();
});

test('standard UA calls the RC SDK: RC1/RC4 applied only towards the RC phone', async ({ phonePage }) => {
  const rc = await phonePage('102');
  const a = await ua('104', 'ws');
  const { res, dialog } = await a.invite('102', webrtcSdp('offer'), ['Alert-Info: Auto Answer']);
  expect(res.status).toBe(200);
  // the RC SDK's 2xx has no Contact/Record-Route; Kamailio made up a Contact pointing at itself
  expect(res.get('contact')).toMatch(/^<sip:102@127\.0\.0\.1:25080;transport=ws;rc4>$/);
  expect(res.all('via').length).toBe(1);          // the caller's own Via came back (restored after RC1)
  const inv = (await rc.sipMessages()).find((m) => m.startsWith('<<< INVITE '))!;
  expect(inv.match(/^Via:/gm)?.length).toBe(1);   // RC1: the RC phone saw only Kamailio's Via
  expect(inv).toMatch(/^Call-Id: /m);             // the spelling the SDK looks up
  expect(inv).toMatch(/^P-rc: <Msg>/m);           // RC6
  await rc.waitForState('answered');
  expect((await a.inDialog(dialog, 'BYE')).status).toBe(200);   // to the rc4 Contact, no Route
  await rc.waitForState('disposed');
  a.close();
});

test('RC SDK calls a standard UA: RC2 for its route-less ACK/BYE; the standard UA sees normal SIP', async ({ phonePage }) => {
  const rc = await phonePage('101');
  const b = await ua('105', 'wss');
  let bDialog: any;
  const gotInvite = b.waitFor('INVITE').then((req: any) => { bDialog = b.answer(req, webrtcSdp('answer')); return req; });
  const ack = b.waitFor('ACK');
  const call = rc.call('105');
  const invite = await gotInvite;
  expect(invite.all('via').length).toBe(2);       // standard callee: Via stack intact
  expect(invite.get('p-rc')).toBeUndefined();
  expect((await call.done).state).toBe('answered');
  await ack;                                       // RC's ACK (no Route) reached the callee (RC2)
  const bye = b.waitFor('BYE');
  await rc.hangup();
  await bye;
  await rc.waitForState('disposed');
  b.close();
});

