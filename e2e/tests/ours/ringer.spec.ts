// The opt-in ringer (README "Devices", js/ringer.ts) in Debian Chromium: it
// plays its ringtone while an inbound call rings, on the output the app chose,
// and stops when the call is answered or declined. The page loads the add-on
// by script tag (dist/iife/wasm-web-phone-ringer.js), as a script-tag app does.
import { test, expect, type Phone } from '../../lib/fixtures';

const ours = { sdk: 'ours' as const, transport: 'ws' as const };

/** The ringtone's element as the test sees it: playing, and how far it got. */
const ringtone = (p: Phone) => p.page.evaluate(() => {
  const r = (window as any).ringer;
  const el: HTMLAudioElement | undefined = r.audio;
  return { ringing: r.ringing as boolean, playing: !!el && !el.paused, at: el?.currentTime ?? 0, sink: (el as any)?.sinkId ?? '' };
});

/**
 * Phone `ext` with a Ringer on output `deviceId`. The ringtone is 1 s of a
 * 440 Hz tone made in the page (a WAV blob URL). The page is clicked first:
 * browsers let a page the user has interacted with play sound (autoplay rules).
 */
async function phoneWithRinger(phonePage: (ext: string, o: object) => Promise<Phone>, ext: string, deviceId: string) {
  const p = await phonePage(ext, { ...ours, start: false });
  await p.page.addScriptTag({ url: '/dist/iife/wasm-web-phone-ringer.js' });
  await p.page.click('body');
  await p.page.evaluate((deviceId) => {
    const w = window as any;
    const rate = 8000;
    const view = new DataView(new ArrayBuffer(44 + rate * 2));
    const text = (at: number, s: string) => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
    text(0, 'RIFF'); view.setUint32(4, 36 + rate * 2, true); text(8, 'WAVEfmt ');
    view.setUint32(16, 16, true); view.setUint16(20, 1, true); view.setUint16(22, 1, true);
    view.setUint32(24, rate, true); view.setUint32(28, rate * 2, true); view.setUint16(32, 2, true); view.setUint16(34, 16, true);
    text(36, 'data'); view.setUint32(40, rate * 2, true);
    for (let i = 0; i < rate; i++) view.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), true);
    const src = URL.createObjectURL(new Blob([view.buffer], { type: 'audio/wav' }));
    w.ringerErrors = [];
    w.ringer = new w.WebPhone.Ringer({ src, deviceId, volume: 0.5 });
    w.ringer.on('error', (e: any) => w.ringerErrors.push(`${e.code ?? e.name}: ${e.message}`));
    // The harness made the phone without a ringer; make it again with one (not started yet).
    w.setup(w.webPhone.options.sipInfo, { instanceId: w.webPhone.options.instanceId, ringer: w.ringer });
  }, deviceId);
  await p.start();
  return p;
}

test('the ringer plays while an inbound call rings and stops when it is answered; a second call rings again and stops on decline', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phoneWithRinger(phonePage, '102', 'default');
  expect((await ringtone(b)).playing).toBe(false);

  const first = a.call('102');
  await b.waitForState('ringing');
  await expect.poll(async () => { const r = await ringtone(b); return r.ringing && r.playing && r.at > 0.2; }, { message: 'the ringtone plays' }).toBe(true);
  expect((await ringtone(b)).sink).toBe('default');
  await b.answer();
  await first.done;
  await expect.poll(async () => (await ringtone(b)).playing, { message: 'the ringtone stops on answer' }).toBe(false);
  expect((await ringtone(b)).ringing).toBe(false);
  await b.hangup();
  await b.waitForState('disposed');

  const second = a.call('102');
  await expect.poll(async () => (await ringtone(b)).playing, { message: 'it rings again' }).toBe(true);
  await b.decline();
  await second.done.catch(() => undefined);
  await expect.poll(async () => (await ringtone(b)).playing, { message: 'the ringtone stops on decline' }).toBe(false);
  expect(await b.page.evaluate(() => (window as any).ringerErrors)).toEqual([]);
});

test('a ringer on an output that does not exist reports NotFound once and rings on the default output', async ({ phonePage }) => {
  const a = await phonePage('101', ours);
  const b = await phoneWithRinger(phonePage, '102', 'no-such-output');
  const call = a.call('102');
  await b.waitForState('ringing');
  await expect.poll(async () => (await ringtone(b)).playing, { message: 'the ringtone plays' }).toBe(true);
  await expect.poll(() => b.page.evaluate(() => (window as any).ringerErrors)).toEqual([expect.stringMatching(/^NotFound: /)]);
  expect(await b.page.evaluate(() => (window as any).ringer.deviceId)).toBe('');
  await b.answer();
  await call.done;
  await expect.poll(async () => (await ringtone(b)).playing).toBe(false);
  await a.hangup();
});
