// Early media (README "Early media", issue 15 item 1) with our SDK through
// Kamailio in Debian Chromium with fake media: the callee's
// progress({ earlyMedia: true }) is heard before answer() and the 200 keeps
// it; sipp answering with 183+SDP then 200; and forked early dialogs, two
// phones of one extension, one with early media, the other answering.
import { test, expect, expectAudio, type Phone } from '../../lib/fixtures';
import { runSipp } from '../../lib/sipp.mjs';

const ours = { sdk: 'ours' as const, transport: 'ws' as const };

type Progress = { name: string; status: number; reason: string; earlyMedia: boolean; signalingState?: string };
const progressEvents = async (p: Phone) => (await p.events()).filter((e) => e.name === 'progress') as unknown as Progress[];
const signalingState = (p: Phone) => p.page.evaluate(() => (window as any).session?.rtcPeerConnection?.signalingState as string | undefined);
/** INVITEs inside a dialog (To with a tag) that `p` sent: re-INVITEs. */
const reinvitesSent = async (p: Phone) => (await p.sipMessages()).filter((m) => /^>>> INVITE /.test(m) && /\r\nTo:[^\r]*;tag=/i.test(m)).length;
const earlyProgress = (p: Phone) => p.page.evaluate(() => (window as any).session.progress({ earlyMedia: true }));

test('ours ⇄ ours: the callee\'s early media is heard while the call rings; answer keeps it, no re-INVITE', async ({ phonePage, expectPageErrors }) => {
  const a = await phonePage('101', ours);
  const b = await phonePage('102', ours);
  // An app listener that throws at the first progress (the 180's) is the page's
  // own uncaught error; the 183's progress must still come.
  expectPageErrors(/app's progress listener failed/);
  await a.page.evaluate(() => (window as any).webPhone.on('outboundCall', (s: any) => {
    let thrown = false;
    s.on('progress', () => { if (!thrown) { thrown = true; throw new Error("app's progress listener failed"); } });
  }));
  const call = a.call('102');
  await b.waitForInboundCall();
  await a.waitForState('ringing');
  expect(await a.inPackets()).toBe(0);
  await earlyProgress(b);
  // B's audio reaches A before anybody answered.
  await expect.poll(() => a.inPackets(), { timeout: 10_000, message: 'early media into 101' }).toBeGreaterThan(10);
  expect(await a.state()).toBe('ringing');
  expect(await b.state()).toBe('ringing');
  const early = (await progressEvents(a)).find((p) => p.earlyMedia);
  expect(early).toMatchObject({ status: 183, reason: 'Session Progress', signalingState: 'have-remote-pranswer' });
  expect(await a.page.evaluate(() => (window as any).session.earlyMedia)).toBe(true);

  await b.answer();
  await call.done;
  await a.waitForState('answered');
  expect(await signalingState(a)).toBe('stable');   // the 200's answer completed the offer/answer
  await expectAudio([a, b]);
  // The 200 carried the 183's SDP: nothing to renegotiate, either way.
  const fromB = (await b.sipMessages()).filter((m) => /^>>> SIP\/2\.0 (183|200) /.test(m) && /\r\nCSeq: \d+ INVITE/i.test(m));
  const body = (m: string) => m.slice(m.indexOf('\r\n\r\n') + 4);
  expect(fromB.map((m) => m.slice(4, 15))).toEqual(['SIP/2.0 183', 'SIP/2.0 200']);
  expect(body(fromB[1])).toBe(body(fromB[0]));
  expect(await reinvitesSent(a)).toBe(0);
  expect(await reinvitesSent(b)).toBe(0);
  await a.hangup();
  await b.waitForState('disposed');
});

test('sipp answers our call with 183+SDP then 200: progress with early media on a pranswer, then answered', async ({ phonePage }) => {
  const sippPort = ['-p', '5074'];
  const reg = await runSipp({ scenario: 'uac-register.xml', service: '104', caller: '104', args: [...sippPort, '-key', 'expires', '60'] });
  expect(reg.code, `sipp REGISTER exit code\n${reg.stderr}\n${reg.errors}`).toBe(0);
  try {
    const a = await phonePage('101', ours);
    const uas = runSipp({ scenario: 'uas-early-media.xml', service: '104', caller: '104', args: sippPort });
    await new Promise((r) => setTimeout(r, 500));   // sipp listens before the INVITE comes
    const call = a.call('104');
    await expect.poll(async () => (await progressEvents(a)).some((p) => p.earlyMedia), { timeout: 10_000 }).toBe(true);
    const early = (await progressEvents(a)).find((p) => p.earlyMedia)!;
    expect(early).toMatchObject({ status: 183, earlyMedia: true, signalingState: 'have-remote-pranswer' });
    expect(await a.state()).toBe('ringing');
    await call.done;
    await a.waitForState('answered');
    expect(await signalingState(a)).toBe('stable');
    expect(await a.eventNames()).toEqual(expect.arrayContaining(['ringing', 'progress', 'answered']));
    const r = await uas;   // its scenario ends with the 200 (e2e/sipp/uas-early-media.xml says why)
    expect(r.code, `sipp UAS exit code\n${r.stderr}\n${r.errors}`).toBe(0);
    await a.hangup();
  } finally {
    await runSipp({ scenario: 'uac-register.xml', service: '104', caller: '104', args: [...sippPort, '-key', 'expires', '0'] });
  }
});

test('forked early dialogs: two phones of 102, one plays early media, the other answers; the caller ends up with the answerer', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b1 = await phonePage('102', ours);
  const b2 = await phonePage('102', ours);
  const call = a.call('102');
  await Promise.all([b1.waitForInboundCall(), b2.waitForInboundCall()]);   // Kamailio forks to both bindings
  await earlyProgress(b1);
  await expect.poll(() => a.inPackets(), { timeout: 10_000, message: 'early media from the first fork' }).toBeGreaterThan(10);
  expect(await a.state()).toBe('ringing');

  await b2.answer();
  await call.done;
  await a.waitForState('answered');
  await b1.waitForState('disposed');   // the proxy CANCELled the other fork
  await b2.waitForState('answered');
  expect(await signalingState(a)).toBe('stable');
  await expectAudio([a, b2]);
  // The caller's dialog is the answerer's: its ACK and BYE carry b2's To tag.
  const b2Tag = await b2.page.evaluate(() => (window as any).session.localTag as string);
  await a.hangup();
  await b2.waitForState('disposed');
  const fromA = await a.sipMessages();
  for (const method of ['ACK', 'BYE']) {
    const m = fromA.filter((x) => x.startsWith(`>>> ${method} `)).at(-1)!;
    expect(m, method).toMatch(new RegExp(`\\r\\nTo:[^\\r]*;tag=${b2Tag}`, 'i'));
  }
});
