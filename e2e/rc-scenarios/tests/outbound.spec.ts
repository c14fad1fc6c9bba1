// §11.2 misc/call, outbound/* and caller-side behaviour.
import { test, expect, call, api, callAndAnswer, audioFlows, SDK, ACK_NON2XX, OUT_TO_183, AUTH_INVITE_AT, inDialogRuri, UAS_487, type Frame } from './fixtures';

/** ours' ACK for a non-2xx final (RFC 3261 §17.1.1.3): same Call-ID, CSeq number and
 *  Via branch as the INVITE, R-URI of the INVITE, To (with tag) of the response. */
function expectNon2xxAck(inv: Frame, resp: Frame, ack: Frame) {
  expect(ack.subject).toBe(inv.subject.replace(/^INVITE /, 'ACK '));
  expect(ack.msg.callId).toBe(inv.msg.callId);
  expect(ack.msg.get('cseq')).toBe(`${inv.msg.cseqNum} ACK`);
  const branch = (f: Frame) => /;branch=([^;\s]+)/.exec(f.msg.get('via'))?.[1];
  expect(branch(ack)).toBe(branch(inv));
  expect(ack.msg.get('to')).toBe(resp.msg.get('to'));
}

test('call: caller INVITE/407/INVITE/183, callee INVITE/100/180/MESSAGE(17)', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await call(caller, callee, true, caller.ext.number);
  // The edge sends 200 OK only when the callee answers (Vodafone-style, spec §12.2),
  // so before answer the caller has 6 of the 8 frames of the live test.
  // ours also ACKs the 407 (RFC 3261 §17.1.1.3), see OUT_TO_183
  expect(caller.seq()).toEqual(OUT_TO_183);
  if (SDK === 'ours') expectNon2xxAck(caller.frames[0], caller.frames[2], caller.frames[3]);
  const pa = caller.frames[2].msg.get('proxy-authenticate');
  expect(pa).toMatch(/^Digest realm="sip\.ringcentral\.com", nonce="[^"]+"$/);
  const p183 = caller.frames[OUT_TO_183.length - 1].msg;
  expect(p183.get('p-rc-api-ids')).toMatch(/^party-id=p-[0-9a-f]+-\d;session-id=s-[0-9a-f]+$/);
  expect(p183.get('to')).toMatch(/;tag=/);
  expect(new Set(caller.frames.map((f) => f.msg.get('call-id'))).size).toBe(1);
  // the edge spells "Call-Id" (spec §3.7); 2.5.4 copies that spelling, ours writes the
  // canonical "Call-ID" (RFC 3261 §20.8; header names are case-insensitive, §7.3.1)
  for (const f of caller.frames) {
    const spelling = f.dir === 'inbound' || SDK !== 'ours' ? 'Call-Id' : 'Call-ID';
    expect(f.msg.headers.filter((h: any) => h.name.toLowerCase() === 'call-id').map((h: any) => h.name)).toEqual([spelling]);
  }
  expect(await caller.live()).toBe(1);

  expect(callee.seq()).toEqual(['in INVITE', 'out 100', 'out 180', 'out MESSAGE', 'in 100', 'in 200']);
  const inv = callee.frames[0];
  expect(inv.text).toMatch(/\r\nCall-Id: /);
  expect(inv.msg.getAll('via')).toHaveLength(1);
  expect(inv.msg.get('from')).toMatch(/^"Alice Caller" <sip:\+16505550101@sip\.ringcentral\.com>;tag=\S+$/);
  expect(inv.msg.get('to')).toMatch(/^"Bob Callee" <sip:16505550102@sip\.ringcentral\.com>$/);
  const prc = inv.msg.get('p-rc');
  expect(prc).toContain('Cmd="6"');
  expect(prc).toContain(`Phn="+${caller.ext.number}"`);
  expect(prc).toContain(`ToPhn="+${callee.ext.number}"`);
  expect(inv.msg.get('p-rc-api-ids')).toMatch(/^party-id=p-[0-9a-f]+-\d;session-id=s-[0-9a-f]+$/);
  expect(inv.msg.get('content-type')).toBe('application/sdp');
  expect(callee.frames[3].rc.hdr.Cmd).toBe('17');
  expect(new Set(callee.frames.map((f) => f.msg.get('call-id'))).size).toBe(1);
  expect(await callee.live()).toBe(1);
  const info = await callee.ev(() => { const h = (window as any).h; return h.info(h.liveInbound()[0]); }) as any;
  expect(info.remoteNumber).toBe(`+${caller.ext.number}`);
  expect(info.sessionId).toMatch(/^s-/);
  expect(info.partyId).toMatch(/^p-.*-\d$/);
});

test('answered outbound call: 200 OK + ACK on answer, audio both ways', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await call(caller, callee);
  await callee.ev(() => (window as any).h.liveInbound()[0].answer());
  await caller.waitFrames(2);
  await expect.poll(() => caller.seq()).toEqual(['in 200', 'out ACK']);
  expect(caller.frames[0].subject).toBe('SIP/2.0 200 OK');
  // 2.5.4: ACK R-URI = To URI; ours: the remote target from the 200's Contact (RFC 3261 §13.2.2.4, §12.2.1.1)
  expect(caller.frames[1].subject).toBe(`ACK ${inDialogRuri(caller, 'ACK', 'sip:16505550102@sip.ringcentral.com')} SIP/2.0`);
  await audioFlows(caller);
  await audioFlows(callee);
  const ev = await caller.ev(() => (window as any).h.liveOutbound()[0].events);
  expect(ev).toEqual(['ringing', 'answered']);
  // the outbound session's ids come from the 183
  const ids = await caller.ev(() => { const s = (window as any).h.liveOutbound()[0]; return [s.sessionId, s.partyId]; }) as any;
  expect(ids[0]).toMatch(/^s-[0-9a-f]+$/);
  expect(ids[1]).toMatch(/^p-[0-9a-f]+-1$/);
});

test('invalid number: 7 frames ending in 486, session disposed', async ({ phones }) => {
  const p = await phones('101');
  await p.ev(() => (window as any).wp.call('78654'));
  // ours ACKs the 407 and the 486 (RFC 3261 §17.1.1.3): 9 frames instead of 7
  await p.waitFrames(OUT_TO_183.length + 1 + ACK_NON2XX.length);
  expect(p.seq()).toEqual([...OUT_TO_183, 'in 486', ...ACK_NON2XX]);
  const r486 = OUT_TO_183.length;
  expect(p.frames[r486].subject).toBe('SIP/2.0 486 Busy Here');
  if (SDK === 'ours') expectNon2xxAck(p.frames[AUTH_INVITE_AT], p.frames[r486], p.frames[r486 + 1]);
  expect(await p.live()).toBe(0);
  expect(await p.ev(() => (window as any).h.sessions[0].events)).toEqual(['ringing', 'failed:SIP/2.0 486 Busy Here', 'disposed']);
});

test('custom header on both INVITEs', async ({ phones }) => {
  const p = await phones('101');
  await p.ev(() => (window as any).wp.call('78654', undefined, { headers: { 'X-Custom-Header': 'test' } }));
  expect(p.frames[0].msg.get('x-custom-header')).toBe('test');
  const auth = p.frames[AUTH_INVITE_AT];
  expect(auth.subject).toMatch(/^INVITE /);
  expect(auth.msg.get('x-custom-header')).toBe('test');
  const pz = auth.msg.get('proxy-authorization');
  // the digest parameters both SDKs must send, answering the 407's challenge
  const nonce = /nonce="([^"]+)"/.exec(p.frames[2].msg.get('proxy-authenticate'))![1];
  for (const re of [/username="800000000101"/, /realm="sip\.ringcentral\.com"/, new RegExp(`nonce="${nonce}"`), /response="[0-9a-f]{32}"/])
    expect(pz).toMatch(re);
  // digest-uri: 2.5.4 always uses `sip:<domain>`; ours the Request-URI, as RFC 2617 §3.2.2
  // defines it (the edge verifies the hash with the uri as sent)
  const digestUri = SDK === 'ours' ? auth.subject.split(' ')[1] : 'sip:sip.ringcentral.com';
  expect(pz).toContain(`uri="${digestUri}"`);
  if (SDK === 'ours') expect(digestUri).toBe('sip:78654@sip.ringcentral.com');
  // Parameter order is free (RFC 3261 §25.1 digest-response is a comma list). 2.5.4 writes
  // `algorithm="MD5"` first and quoted; ours starts with username and writes the algorithm
  // as the unquoted token RFC 2617 §3.2.1/§3.2.2 specify (`algorithm=MD5`).
  if (SDK === 'ours') expect(pz).toMatch(/^Digest username="800000000101", .*\balgorithm=MD5(,|$)/);
  else expect(pz).toMatch(/^Digest algorithm="MD5", username="800000000101"/);
});

test('caller cancels a ringing call: CANCEL/200(/487), callee gets CANCEL', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await call(caller, callee);
  await caller.ev(() => (window as any).h.liveOutbound()[0].cancel());
  // ours ACKs the 487 (RFC 3261 §17.1.1.3)
  await caller.waitFrames(3 + ACK_NON2XX.length);
  expect(caller.seq()).toEqual(['out CANCEL', 'in 200', 'in 487', ...ACK_NON2XX]);
  // ours answers the CANCELled INVITE with 487 (RFC 3261 §9.2), which the edge ACKs (§17.1.1.3)
  await callee.waitFrames(2 + UAS_487.length);
  expect(callee.seq()).toEqual(['in CANCEL', 'out 200', ...UAS_487]);
  expect(await caller.live()).toBe(0);
  expect(await callee.live()).toBe(0);
});

test('all instances ring; answering on one CANCELs the other and sends Cmd 7 to both', async ({ phones }) => {
  const caller = await phones('101');
  const c1 = await phones('102', { instanceId: 'desk' });
  const c2 = await phones('102', { instanceId: 'laptop' });
  await caller.ev(() => (window as any).h.callOut('102'));
  await expect.poll(() => c2.ev(() => (window as any).h.liveInbound().length)).toBe(1);
  await expect.poll(() => c1.ev(() => (window as any).h.liveInbound().length)).toBe(1);
  await c1.waitFrames(6); await c2.waitFrames(6);
  c1.clear(); c2.clear();
  await c2.ev(() => (window as any).h.liveInbound()[0].answer());
  await c2.waitFrames(4);
  expect(c2.seq()).toEqual(['out 200', 'in ACK', 'in MESSAGE', 'out 200']);
  await c1.waitFor((f) => f.msg?.method === 'CANCEL');
  await c1.waitFor((f) => f.rc?.hdr?.Cmd === '7');
  expect(c1.cmds()).toContain('in Cmd 7');
  expect(await c1.live()).toBe(0);
  await audioFlows(caller);
});
