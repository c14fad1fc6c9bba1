// §11.2 answered/* scenarios plus park retrieval, warm-transfer cancel, takeover,
// ICE-restart re-INVITE, "switch call to this device" and private park.
import { test, expect, api, call, callAndAnswer, audioFlows, audioSilent, framesQuiet, type Phone, SDK, OUT_TO_183, inDialogRuri } from './fixtures';
import { AUDIO_POWER_MIN, expectDtmfDelivered, type MediaEnd } from '../../lib/media-checks';

/** a full outbound call up to the answer, as the caller sees it (ours ACKs the 407, RFC 3261 §17.1.1.3) */
const OUT_ANSWERED = [...OUT_TO_183, 'in 200', 'out ACK'];

const first = () => (window as any).wp.callSessions[0];

/** run a session method on the page's first live session, store the result in h.r */
async function act(p: Phone, method: string, ...args: any[]) {
  return p.ev(async ([m, a]: any) => {
    const h = (window as any).h;
    const r = await (window as any).wp.callSessions[0][m](...a);
    h.r = r;
    return r === undefined ? null : JSON.parse(JSON.stringify(r));
  }, [method, args]);
}
const sessionCount = (p: Phone) => p.live();

test('hang up (caller): BYE/200; callee BYE/200/MESSAGE(2)/200', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await callAndAnswer(caller, callee);
  await act(caller, 'hangup');
  expect(caller.seq()).toEqual(['out BYE', 'in 200']);
  // 2.5.4: BYE sip:<domain>; ours: the remote target from the 200's Contact (RFC 3261 §12.2.1.1)
  expect(caller.frames[0].subject).toBe(`BYE ${inDialogRuri(caller, 'BYE', 'sip:16505550102@sip.ringcentral.com')} SIP/2.0`);
  await callee.waitFrames(4);
  expect(callee.seq()).toEqual(['in BYE', 'out 200', 'in MESSAGE', 'out 200']);
  expect(callee.frames[2].rc.hdr.Cmd).toBe('2');
  expect(await sessionCount(caller)).toBe(0);
  expect(await sessionCount(callee)).toBe(0);
});

test('hang up (callee): caller gets BYE', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await callAndAnswer(caller, callee);
  await act(callee, 'hangup');
  await caller.waitFrames(2);
  expect(caller.seq()).toEqual(['in BYE', 'out 200']);
  expect(await sessionCount(caller)).toBe(0);
});

for (const side of ['caller', 'callee'] as const) {
  test(`${side} hold/unhold: re-INVITE answered locally (100/200/ACK), peer sees nothing`, async ({ phones }) => {
    const caller = await phones('101');
    const callee = await phones('102');
    await callAndAnswer(caller, callee);
    const [me, other] = side === 'caller' ? [caller, callee] : [callee, caller];
    await act(me, 'hold');
    await expect.poll(() => me.seq()).toEqual(['out INVITE', 'in 100', 'in 200', 'out ACK']);
    expect(me.frames[0].msg.body).toContain('a=sendonly');
    expect(me.frames[2].msg.body).toContain('a=recvonly');
    me.clear();
    await act(me, 'unhold');
    await expect.poll(() => me.seq()).toEqual(['out INVITE', 'in 100', 'in 200', 'out ACK']);
    expect(me.frames[0].msg.body).toContain('a=sendrecv');
    await framesQuiet([caller, callee]);
    await expect.poll(() => me.seq()).toEqual(['out INVITE', 'in 100', 'in 200', 'out ACK']);
    expect(other.seq()).toEqual([]);
    expect(await sessionCount(caller)).toBe(1);
    expect(await sessionCount(callee)).toBe(1);
    await audioFlows(other);
  });
}

test('mute/unmute and DTMF send no SIP', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await callAndAnswer(caller, callee);
  await act(callee, 'mute');
  expect(await callee.ev(() => (window as any).wp.callSessions[0].rtcPeerConnection?.getSenders()[0].track.enabled)).toBe(false);
  await act(callee, 'unmute');
  await act(callee, 'sendDtmf', '123#');
  await framesQuiet([caller, callee]);
  expect(caller.seq()).toEqual([]);
  expect(callee.seq()).toEqual([]);
  expect(await sessionCount(caller)).toBe(1);
  expect(await sessionCount(callee)).toBe(1);
});

/** A phone's first live call as the media checks need it. */
async function mediaEnd(p: Phone): Promise<MediaEnd> {
  return { page: p.page, pc: await p.page.evaluateHandle(() => (window as any).wp.callSessions[0].rtcPeerConnection as RTCPeerConnection | undefined) };
}

test('mute silences the far side; DTMF is heard there as the digits, sent as RFC 4733 events; no SIP', async ({ phones }, testInfo) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await callAndAnswer(caller, callee);
  await audioFlows(caller);
  await audioFlows(callee);
  await act(callee, 'mute');
  const muted = await audioSilent(caller);
  expect(muted).toBeLessThan(AUDIO_POWER_MIN);
  const seen = await expectDtmfDelivered(await mediaEnd(callee), await mediaEnd(caller), '159#', () => act(callee, 'sendDtmf', '159#', 200));
  testInfo.annotations.push({ type: 'far side while muted', description: `mean power ${muted}; RFC 4733 ${JSON.stringify(seen)}` });
  await act(callee, 'unmute');
  await audioFlows(caller);
  expect(caller.seq()).toEqual([]);
  expect(callee.seq()).toEqual([]);
});

test('recording: start/stop → INFO/200/INFO result/200 twice, code 0', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await callAndAnswer(caller, callee);
  expect(await act(caller, 'startRecording')).toEqual({ code: 0, description: 'Succeeded' });
  expect(await act(caller, 'startRecording')).toEqual({ code: -6, description: 'The same operation in progress' });
  caller.clear();
  expect(await act(caller, 'stopRecording')).toEqual({ code: 0, description: 'Succeeded' });
  expect(await act(caller, 'startRecording')).toEqual({ code: 0, description: 'Succeeded' });
  expect(caller.seq()).toEqual(['out INFO', 'in 200', 'in INFO', 'out 200', 'out INFO', 'in 200', 'in INFO', 'out 200']);
  expect(JSON.parse(caller.frames[2].msg.body)).toEqual({ response: { reqid: 3, command: 'stopcallrecord', result: { code: 0, description: 'Succeeded' } } });
  await framesQuiet([caller, callee]);
  expect(caller.seq()).toHaveLength(8);
  expect(callee.seq()).toEqual([]);
});

test('recording before answer → code -4', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await call(caller, callee);
  expect(await act(caller, 'startRecording')).toEqual({ code: -4, description: 'State is not accepted for processing' });
});

test('flip: result with number/target, flipper hangs up, target rings and takes the call', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  const other = await phones('103');
  await callAndAnswer(caller, callee);
  expect(await act(callee, 'flip', '103')).toEqual({ code: 0, description: 'Succeeded', number: '+16505550103', target: '103' });
  await act(callee, 'hangup');
  expect(callee.seq()).toEqual(['out INFO', 'in 200', 'in INFO', 'out 200', 'out BYE', 'in 200']);
  expect(caller.seq()).toEqual([]);
  expect(await sessionCount(caller)).toBe(1);
  expect(await sessionCount(callee)).toBe(0);
  await expect.poll(() => other.ev(() => (window as any).h.liveInbound().length)).toBe(1);
  await other.ev(() => (window as any).h.liveInbound()[0].answer());
  await caller.waitFrames(3);
  expect(caller.seq()).toEqual(['in INVITE', 'out 200', 'in ACK']); // 3PCC re-INVITE (see README)
  await audioFlows(caller);
  await audioFlows(other);
});

test('park: result with park extension, parker hangs up; *<ext> retrieves the parked call', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  const other = await phones('103');
  await callAndAnswer(caller, callee);
  const r = await act(callee, 'park') as any;
  expect(r).toEqual({ code: 0, description: 'Succeeded', 'park extension': '801' });
  await callee.waitFrames(6);
  expect(callee.seq()).toEqual(['out INFO', 'in 200', 'in INFO', 'out 200', 'out BYE', 'in 200']);
  expect(caller.seq()).toEqual([]);
  expect(await sessionCount(caller)).toBe(1);
  expect(await sessionCount(callee)).toBe(0);
  expect((await api('/api/parked')).map((p: any) => p.park)).toEqual(['801']);
  await other.ev(() => (window as any).h.callOut('*801'));
  await other.waitFor((f) => f.subject === 'SIP/2.0 200 OK');
  await expect.poll(() => other.seq()).toEqual(OUT_ANSWERED);
  expect(caller.seq()).toEqual(['in INVITE', 'out 200', 'in ACK']);
  await audioFlows(other);
  await audioFlows(caller);
  expect(await api('/api/parked')).toEqual([]);
});

test('cold transfer: REFER/202/NOTIFY×2/BYE; transferee connected to the target', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  const other = await phones('103');
  await callAndAnswer(caller, callee);
  await act(callee, 'transfer', '103');
  await callee.waitFrames(8);
  expect(callee.seq()).toEqual(['out REFER', 'in 202', 'in NOTIFY', 'out 200', 'in NOTIFY', 'out 200', 'in BYE', 'out 200']);
  // RFC 3515 §2.1 allows name-addr or addr-spec; 2.5.4 writes the bare addr-spec, ours
  // always the name-addr form (mandatory once the URI carries parameters or headers)
  expect(callee.frames[0].msg.get('refer-to')).toBe(SDK === 'ours' ? '<sip:103@sip.ringcentral.com>' : 'sip:103@sip.ringcentral.com');
  expect(callee.frames[2].msg.body).toContain('SIP/2.0 100 Trying');
  expect(callee.frames[4].msg.body).toContain('SIP/2.0 200 OK');
  expect(caller.seq()).toEqual([]);
  expect(await sessionCount(caller)).toBe(1);
  expect(await sessionCount(callee)).toBe(0);
  await expect.poll(() => other.ev(() => (window as any).h.liveInbound().length)).toBe(1);
  expect(other.frames[0].msg.get('p-rc')).toContain(`Phn="+${caller.ext.number}"`);
  await other.ev(() => (window as any).h.liveInbound()[0].answer());
  await caller.waitFrames(3);
  expect(caller.seq()).toEqual(['in INVITE', 'out 200', 'in ACK']);
  await audioFlows(caller);
  await audioFlows(other);
});

async function startWarm(caller: Phone, callee: Phone, other: Phone) {
  await callAndAnswer(caller, callee);
  await callee.ev(() => {
    const h = (window as any).h;
    h.wt = (window as any).wp.callSessions[0].warmTransfer('103');
    h.wt.then((w: any) => (h.warm = w));
  });
  await expect.poll(() => other.ev(() => (window as any).h.liveInbound().length)).toBe(1);
  await other.ev(() => (window as any).h.liveInbound()[0].answer());
  // the edge's Cmd 7 (AlreadyProcessed) for the consultation reaches the target
  // after its 200; wait for it so it cannot land in the sequences checked next
  await other.waitFor((f) => f.rc?.hdr?.Cmd === '7');
  await expect.poll(() => callee.ev(() => !!(window as any).h.warm)).toBe(true);
  // 4 hold frames + 8 outbound-call frames, as in the live test
  expect(callee.seq()).toEqual(['out INVITE', 'in 100', 'in 200', 'out ACK', ...OUT_ANSWERED]);
  callee.clear(); caller.clear(); other.clear();
}

test('warm transfer complete: REFER(Replaces)/202/NOTIFY/BYE consult/NOTIFY/BYE original', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  const other = await phones('103');
  await startWarm(caller, callee, other);
  const legsBefore = await api('/api/calls');
  await callee.ev(() => (window as any).h.warm.complete());
  await callee.waitFrames(10);
  expect(callee.seq()).toEqual(['out REFER', 'in 202', 'in NOTIFY', 'out 200', 'in BYE', 'out 200', 'in NOTIFY', 'out 200', 'in BYE', 'out 200']);
  const referTo = callee.frames[0].msg.get('refer-to');
  // 2.5.4: display name + `;transport=wss`; ours: `<remote URI of the consultation dialog?Replaces=…>`
  // (RFC 3515 §2.1 name-addr, RFC 3891 §3 Replaces as an escaped URI header, RFC 3261 §19.1.1)
  if (SDK === 'ours') expect(referTo).toMatch(/^<sip:103@sip\.ringcentral\.com\?Replaces=[^%>]+%3Bto-tag%3D[^%>]+%3Bfrom-tag%3D[^%>]+>$/);
  else expect(referTo).toMatch(/^"103@sip\.ringcentral\.com" <sip:103@sip\.ringcentral\.com;transport=wss\?Replaces=[^%]+%3Bto-tag%3D\S+%3Bfrom-tag%3D\S+>$/);
  const consultId = await callee.ev(() => (window as any).h.warm.newSession.callId);
  // Replaces names the consultation dialog as the transferor sees it: to-tag = target's tag (RFC 3891 §3)
  const consultLeg = legsBefore.find((l: any) => l.callId === consultId && l.ext === '102');
  expect(consultLeg).toBeTruthy();
  const replaces = decodeURIComponent(/\?Replaces=([^>]+)>$/.exec(referTo)![1]);
  expect(replaces).toBe(`${consultId};to-tag=${consultLeg.toTag};from-tag=${consultLeg.fromTag}`);
  expect(callee.frames[4].msg.callId).toBe(consultId);
  expect(await sessionCount(callee)).toBe(0);
  expect(await sessionCount(caller)).toBe(1);
  // transferee: one re-INVITE on its existing dialog; target: a new auto-answered INVITE replacing the consultation
  await caller.waitFrames(3);
  expect(caller.seq()).toEqual(['in INVITE', 'out 200', 'in ACK']);
  await other.waitFor((f) => f.msg?.method === 'BYE');
  const inv = other.frames.find((f) => f.msg?.method === 'INVITE')!;
  expect(inv.msg.get('replaces')).toMatch(/;to-tag=\S+;from-tag=\S+/);
  expect(inv.msg.get('alert-info')).toBe('Auto Answer');
  expect(await sessionCount(other)).toBe(1);
  await audioFlows(caller);
  await audioFlows(other);
});

test('warm transfer cancel: consultation hung up, original unheld (sendrecv)', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  const other = await phones('103');
  await startWarm(caller, callee, other);
  await callee.ev(() => (window as any).h.warm.cancel());
  await expect.poll(() => callee.seq()).toEqual(['out BYE', 'in 200', 'out INVITE', 'in 100', 'in 200', 'out ACK']);
  expect(callee.frames[2].msg.body).toContain('a=sendrecv');
  expect(await callee.ev(() => (window as any).h.warm.newSession.state)).toBe('disposed');
  expect(await sessionCount(callee)).toBe(1);
  await other.waitFrames(4);
  await framesQuiet([caller, callee, other]);
  expect(other.seq()).toEqual(['in BYE', 'out 200', 'in MESSAGE', 'out 200']);
  await expect.poll(() => callee.seq()).toEqual(['out BYE', 'in 200', 'out INVITE', 'in 100', 'in 200', 'out ACK']);
  expect(caller.seq()).toEqual([]);
  await audioFlows(caller);
  await audioFlows(callee);
});

test('takeover (*83): supervisor connected to the customer, re-INVITE from *83 with the same Call-ID, agent dropped', async ({ phones }) => {
  const customer = await phones('101');
  const agent = await phones('102');
  const sup = await phones('104');
  await callAndAnswer(customer, agent);
  await sup.ev(() => (window as any).h.callOut('*83'));
  await sup.waitFor((f) => /^SIP\/2\.0 183/.test(f.subject));
  const r = await api('/api/takeover', { agent: '102' }); // stands in for the DTMF "102#"
  expect(r.ok).toBe(true);
  await sup.waitFrames(OUT_ANSWERED.length + 3);
  expect(sup.seq()).toEqual([...OUT_ANSWERED, 'in INVITE', 'out 200', 'in ACK']);
  const reinv = sup.frames[OUT_ANSWERED.length].msg;
  expect(reinv.callId).toBe(sup.frames[0].msg.callId);
  expect(reinv.get('from')).toMatch(/^<sip:\*83@sip\.ringcentral\.com>;tag=/);
  // 2.5.4 treats it as a re-INVITE: still one session, answered, no inboundCall
  expect(await sup.ev(() => (window as any).h.sessions.length)).toBe(1);
  expect(await sup.ev(() => (window as any).wp.callSessions[0].state)).toBe('answered');
  await agent.waitFrames(4);
  expect(agent.seq()).toEqual(['in BYE', 'out 200', 'in MESSAGE', 'out 200']);
  expect(await sessionCount(agent)).toBe(0);
  expect(customer.seq()).toEqual(['in INVITE', 'out 200', 'in ACK']);
  await audioFlows(sup);
  await audioFlows(customer);
});

test('reInvite() (ICE restart) is relayed to the peer and its answer applied', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await callAndAnswer(caller, callee);
  await act(caller, 'reInvite');
  await expect.poll(() => caller.seq()).toEqual(['out INVITE', 'in 100', 'in 200', 'out ACK']);
  // The edge relays the ACK after the caller's reInvite() has resolved.
  await expect.poll(() => callee.seq()).toEqual(['in INVITE', 'out 200', 'in ACK']);
  const uf = (s: string) => /a=ice-ufrag:(\S+)/.exec(s)?.[1];
  expect(uf(caller.frames[2].msg.body)).toBe(uf(callee.frames[1].msg.body));
  await audioFlows(caller);
  await audioFlows(callee);
});

test('both ends reInvite() at once: the re-INVITEs cross (491, RFC 3261 §14.1), the refused one is retried or superseded, both resolve, audio goes on', async ({ phones }) => {
  test.skip(SDK !== 'ours', 'ringcentral-web-phone does not retry a 491 (its reInvite() rejects)');
  const caller = await phones('101');
  const callee = await phones('102');
  await callAndAnswer(caller, callee);
  // The edge holds each ICE-restart re-INVITE 400 ms before relaying it, so
  // both phones have theirs out when the other's arrives: each answers the
  // other 491, the edge passes the 491 back, and each retries after its
  // back-off. (The edge used to answer such a re-INVITE itself from the last
  // SDP it had sent that phone, which was the crossing *offer*: Chrome then
  // refused every later offer, "Answerer must use either active or passive".)
  await api('/api/config', { reinviteRelayDelayMs: 400 });
  const results = await Promise.all([caller, callee].map((p) => p.ev(() => (window as any).wp.callSessions[0].reInvite()
    .then(() => 'ok', (e: Error) => `rejected: ${e.message}`))));
  expect(results).toEqual(['ok', 'ok']);
  // They crossed: at least one was refused 491 (both are when each reaches a
  // phone whose own is still out; one is when the other's comes while the
  // refused one waits to be resent, and is answered).
  expect([...caller.seq(), ...callee.seq()].filter((x) => x === 'in 491').length).toBeGreaterThanOrEqual(1);
  await api('/api/config', { reinviteRelayDelayMs: 0 });
  // Both sessions are still usable: one more ICE restart each, one at a time.
  for (const p of [caller, callee]) expect(await p.ev(() => (window as any).wp.callSessions[0].reInvite().then(() => 'ok', (e: Error) => e.message))).toBe('ok');
  await audioFlows(caller);
  await audioFlows(callee);
});

test('switch call to this device: INVITE with Replaces moves the call, old device gets BYE', async ({ phones }) => {
  const caller = await phones('101');
  const desk = await phones('102', { instanceId: 'desk' });
  await callAndAnswer(caller, desk);
  const laptop = await phones('102', { instanceId: 'laptop' });
  const leg = (await api('/api/calls')).find((l: any) => l.ext === '102' && l.state === 'confirmed');
  await laptop.ev(([sid, to, from]: any) => (window as any).h.callOut('whatever', undefined, { Replaces: `${sid};to-tag=${to};from-tag=${from};early-only` }), [leg.sessionId, leg.toTag, leg.fromTag]);
  await laptop.waitFor((f) => f.subject === 'SIP/2.0 200 OK');
  await expect.poll(() => laptop.seq()).toEqual(OUT_ANSWERED);
  await desk.waitFrames(2);
  expect(desk.seq().slice(0, 2)).toEqual(['in BYE', 'out 200']);
  expect(await sessionCount(desk)).toBe(0);
  expect(caller.seq()).toEqual(['in INVITE', 'out 200', 'in ACK']);
  await audioFlows(laptop);
  await audioFlows(caller);
});

test('private park: transfer("prk<id>") then INVITE prk<id> with Replaces (swapped tags) retrieves', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  const other = await phones('103');
  await callAndAnswer(caller, callee);
  await act(callee, 'transfer', 'prk555');
  expect(callee.seq()).toEqual(['out REFER', 'in 202', 'in NOTIFY', 'out 200', 'in NOTIFY', 'out 200', 'in BYE', 'out 200']);
  const [p] = await api('/api/parked');
  expect(p).toMatchObject({ park: 'prk555', kind: 'private' });
  await other.ev(([sid, to, from]: any) => (window as any).h.callOut('prk555', undefined, { Replaces: `${sid};to-tag=${from};from-tag=${to};early-only` }), [p.telephonySessionId, p.sipData.toTag, p.sipData.fromTag]);
  await other.waitFor((f) => f.subject === 'SIP/2.0 200 OK');
  expect(caller.seq()).toEqual(['in INVITE', 'out 200', 'in ACK']);
  await audioFlows(other);
  await audioFlows(caller);
});

test('server-initiated BYE (control API) ends both legs; trace shows it per extension', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await callAndAnswer(caller, callee);
  const sessionId = await callee.ev(() => (window as any).wp.callSessions[0].sessionId);
  const r = await api('/api/hangup', { sessionId });
  expect(r.ok).toBe(true);
  await caller.waitFrames(2);
  await callee.waitFrames(4);
  expect(caller.seq()).toEqual(['in BYE', 'out 200']);
  expect(callee.seq()).toEqual(['in BYE', 'out 200', 'in MESSAGE', 'out 200']);
  expect(await sessionCount(caller)).toBe(0);
  expect(await sessionCount(callee)).toBe(0);
  const trace = await api('/api/trace?ext=102');
  expect(trace.some((t: any) => t.dir === 'out' && /^BYE sip:\S+ SIP\/2\.0$/.test(t.line))).toBe(true);
  expect(trace.some((t: any) => t.dir === 'in' && t.line === 'SIP/2.0 200 OK')).toBe(true);
});
