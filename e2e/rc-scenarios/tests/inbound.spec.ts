// §11.2 inbound/* scenarios (callee side, before answer) plus reply outcomes and call-out auto-answer.
import { test, expect, api, call, audioFlows, framesQuiet, UAS_487, ACK_NON2XX } from './fixtures';

const inb = () => (window as any).h.liveInbound()[0];

test('answer: callee 200/ACK/MESSAGE(7)/200, caller connected', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await call(caller, callee);
  await callee.ev(() => (window as any).h.liveInbound()[0].answer());
  await callee.waitFrames(4);
  expect(callee.seq()).toEqual(['out 200', 'in ACK', 'in MESSAGE', 'out 200']);
  expect(callee.frames[2].rc.hdr.Cmd).toBe('7');
  expect(callee.frames[2].rc.bdy.Cln).toBe(callee.sipInfo.authorizationId);
  expect(await callee.live()).toBe(1);
  expect(await caller.live()).toBe(1);
  // Vodafone-style edge: the caller learns about the answer now (200 OK + ACK).
  await caller.waitFrames(2);
  await expect.poll(() => caller.seq()).toEqual(['in 200', 'out ACK']);
  await audioFlows(callee);
});

for (const [name, fn, cmd] of [['decline', 'decline', '12'], ['voicemail', 'toVoicemail', '11']] as const) {
  test(`${name}: MESSAGE Cmd ${cmd}, then CANCEL; caller keeps ringing, later 480`, async ({ phones }) => {
    await api('/api/config', { unansweredFinalMs: 2500 });
    const caller = await phones('101');
    const callee = await phones('102');
    await call(caller, callee);
    await callee.ev((f: string) => (window as any).h.liveInbound()[0][f](), fn);
    expect(callee.seq().slice(0, 3)).toEqual(['out MESSAGE', 'in 100', 'in 200']);
    expect(callee.frames[0].rc.hdr.Cmd).toBe(cmd);
    const cancelAt = callee.frames.findIndex((f) => f.msg?.method === 'CANCEL');
    expect(cancelAt).toBeGreaterThanOrEqual(3);
    expect(await callee.live()).toBe(0);
    expect(caller.seq()).toEqual([]);
    expect(await caller.live()).toBe(1);
    await caller.waitFor((f) => /^SIP\/2\.0 480/.test(f.subject), 6000);
    expect(await caller.live()).toBe(0);
  });
}

test('forward: Cmd 10 with Phn, CANCEL to callee, target rings with the same offer and connects', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  const other = await phones('103');
  await call(caller, callee);
  await callee.ev(() => (window as any).h.liveInbound()[0].forward('103'));
  expect(callee.frames[0].rc.hdr.Cmd).toBe('10');
  expect(callee.frames[0].rc.bdy).toMatchObject({ FwdDly: '0', Phn: '103', PhnTp: '3' });
  expect(callee.seq().slice(0, 3)).toEqual(['out MESSAGE', 'in 100', 'in 200']);
  expect(callee.frames.findIndex((f) => f.msg?.method === 'CANCEL')).toBeGreaterThanOrEqual(3);
  expect(await callee.live()).toBe(0);
  expect(await caller.live()).toBe(1);
  expect(caller.seq()).toEqual([]);
  await expect.poll(() => other.ev(() => (window as any).h.liveInbound().length)).toBe(1);
  const prc = other.frames[0].msg.get('p-rc');
  expect(prc).toContain(`Phn="+${caller.ext.number}"`);
  expect(other.frames[0].msg.body).toContain('a=fingerprint');
  await other.ev(() => (window as any).h.liveInbound()[0].answer());
  await caller.waitFor((f) => f.subject === 'SIP/2.0 200 OK');
  // The ACK follows the 200 (a CI run under load checked before its frame was seen).
  await expect.poll(() => caller.seq()).toEqual(['in 200', 'out ACK']);
  await audioFlows(caller);
  await audioFlows(other);
});

test('start reply: Cmd 13 → 100/200 only, both sessions stay', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await call(caller, callee);
  await callee.ev(() => (window as any).h.liveInbound()[0].startReply());
  await framesQuiet([caller, callee]);
  expect(callee.seq()).toEqual(['out MESSAGE', 'in 100', 'in 200']);
  expect(callee.frames[0].rc.hdr.Cmd).toBe('13');
  expect(caller.seq()).toEqual([]);
  expect(await caller.live()).toBe(1);
  expect(await callee.live()).toBe(1);
});

const outcomes = [
  { name: 'yes', arg: 'Hello world!', bdy: { RepTp: '0', Bdy: 'Hello world!' }, api: { resp: 'yes' }, expect: { Sts: '0', Resp: '1' } },
  { name: 'urgent', arg: 'Hello world!', bdy: { RepTp: '0' }, api: { resp: 'urgent', extNfo: '16505550103' }, expect: { Sts: '0', Resp: '3', ExtNfo: '16505550103' } },
  { name: 'no (callYouBack option)', arg: { type: 'callYouBack', direction: 'toCaller', delay: 5, unit: 'minutes' }, bdy: { RepTp: '1', Dir: '0', Vl: '5', Units: '0' }, api: { resp: 'no' }, expect: { Sts: '0', Resp: '2' } },
  { name: 'yes (inAMeeting option)', arg: { type: 'inAMeeting' }, bdy: { RepTp: '5' }, api: { resp: 'yes' }, expect: { Sts: '0', Resp: '1' } },
];
for (const o of outcomes) {
  test(`reply with ${o.name}: Cmd 14, CANCEL, SessionClose (Cmd 9) chosen via control API`, async ({ phones }) => {
    const caller = await phones('101');
    const callee = await phones('102');
    await call(caller, callee);
    await callee.ev(() => (window as any).h.liveInbound()[0].startReply());
    callee.clear();
    await callee.ev((arg: any) => {
      const h = (window as any).h;
      h.replyDone = h.liveInbound()[0].reply(arg).then((m: any) => (h.replyResult = m));
    }, o.arg);
    // The callee has answered the CANCEL (and, ours, its INVITE with 487) before the
    // reply is chosen, so that the edge's SessionClose comes after them in the sequence.
    await expect.poll(() => callee.seq()).toEqual(['out MESSAGE', 'in 100', 'in 200', 'in CANCEL', 'out 200', ...UAS_487]);
    const r = await api('/api/reply', o.api);
    expect(r.ok).toBe(true);
    await expect.poll(() => callee.ev(() => (window as any).h.replyResult?.headers?.Cmd)).toBe('9');
    // ours answers the CANCELled INVITE with 487 (RFC 3261 §9.2), which the edge ACKs (§17.1.1.3)
    expect(callee.seq()).toEqual(['out MESSAGE', 'in 100', 'in 200', 'in CANCEL', 'out 200', ...UAS_487, 'in MESSAGE', 'out 200']);
    expect(callee.frames[0].rc.hdr.Cmd).toBe('14');
    expect(callee.frames[0].rc.bdy).toMatchObject(o.bdy);
    const result = await callee.ev(() => (window as any).h.replyResult) as any;
    expect(result.body).toMatchObject({ ...o.expect, Phn: `+${caller.ext.number}`, Nm: 'Alice Caller' });
    // Whether the 480 (and, from ours, its ACK: RFC 3261 §17.1.1.3) is already there is a race.
    expect(caller.seq().filter((s) => !/^in 480$/.test(s) && !ACK_NON2XX.includes(s))).toEqual([]);
    expect(await callee.live()).toBe(0);
  });
}

test('reply: caller hangs up before answering → SessionClose with Sts="1"', async ({ phones }) => {
  const caller = await phones('101');
  const callee = await phones('102');
  await call(caller, callee);
  await callee.ev(() => { const h = (window as any).h; h.liveInbound()[0].reply({ type: 'onMyWay' }).then((m: any) => (h.replyResult = m)); });
  await callee.waitFor((f) => f.msg?.method === 'CANCEL');
  await caller.ev(() => (window as any).h.liveOutbound()[0].cancel());
  await expect.poll(() => callee.ev(() => (window as any).h.replyResult?.body?.Sts)).toBe('1');
});

test('auto-answer call-out with Answer-After delay (offer-less INVITE, answer in ACK)', async ({ phones }) => {
  const device = await phones('101');
  const callee = await phones('102');
  const r = await api('/api/callout', { ext: '101', to: '102', answerAfter: 1500 });
  expect(r.ok).toBe(true);
  await device.waitFor((f) => f.dir === 'outbound' && f.subject === 'SIP/2.0 200 OK', 8000);
  const inv = device.frames[0];
  expect(inv.msg.method).toBe('INVITE');
  expect(inv.msg.get('alert-info')).toBe('Auto Answer');
  expect(inv.msg.get('call-info')).toMatch(/;purpose=info;Answer-After=1500$/);
  expect(inv.msg.body).toBe('');
  const ok = device.frames.find((f) => f.dir === 'outbound' && f.subject === 'SIP/2.0 200 OK')!;
  // Answer-After is milliseconds in the SDK. Timed on the edge's own trace: it
  // stamps the INVITE just before sending and the 200 on arrival, so the gap
  // can only overstate the phone's delay (the page's CDP frame events can
  // reach the test late and understate it).
  const trace: Array<{ t: number; dir: string; line: string; text: string }> = await api('/api/trace?ext=101');
  const callId = inv.msg.callId;
  const sent = trace.find((e) => e.dir === 'out' && e.line.startsWith('INVITE ') && e.text.includes(callId))!;
  const answered = trace.find((e) => e.dir === 'in' && e.line === 'SIP/2.0 200 OK' && e.text.includes(callId) &&
    /^CSeq:\s*\d+\s+INVITE\s*$/im.test(e.text))!;
  expect(answered.t - sent.t).toBeGreaterThanOrEqual(1499);
  expect(ok.msg.body).toContain('a=fingerprint');
  // the target rings with the device's offer
  await expect.poll(() => callee.ev(() => (window as any).h.liveInbound().length)).toBe(1);
  await callee.ev(() => (window as any).h.liveInbound()[0].answer());
  await device.waitFor((f) => f.msg?.method === 'ACK' && f.msg.body.includes('a=fingerprint'));
  await expect.poll(() => device.ev(() => (window as any).h.liveInbound()[0]?.state)).toBe('answered');
  await audioFlows(device);
  await audioFlows(callee);
});
