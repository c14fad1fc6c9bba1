// Call-setup time, ours vs the published ringcentral-web-phone, side by side
// in one run against the same Kamailio: from webPhone.call() to the promise
// resolving with an answered session (the callee auto-answers at once via
// Alert-Info), then, on the same answered call, hold() and unhold() each to
// its promise resolving (a re-INVITE with a new offer, answered by the far
// side's SDK). Runs alternate between the SDKs so drift hits both alike.
// Writes bench/results/call-setup.md.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { test, expect, openPhone } from '../lib/fixtures';

const RUNS = Number(process.env.CALL_SETUP_RUNS || 9);
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

test('call setup: call() to answered', async ({ browser, baseURL, pageErrors }) => {
  const sdks = ['rc', 'ours'] as const;
  const pairs = {
    rc: [await openPhone(browser, baseURL, '101', {}, pageErrors), await openPhone(browser, baseURL, '102', {}, pageErrors)],
    ours: [await openPhone(browser, baseURL, '103', { sdk: 'ours', transport: 'wss' }, pageErrors),
      await openPhone(browser, baseURL, '104', { sdk: 'ours', transport: 'wss' }, pageErrors)],
  };
  const times: Record<string, number[]> = { rc: [], ours: [] };
  const okTimes: Record<string, number[]> = { rc: [], ours: [] };
  const holdTimes: Record<string, number[]> = { rc: [], ours: [] };
  const unholdTimes: Record<string, number[]> = { rc: [], ours: [] };
  for (let i = 0; i < RUNS + 1; i++) {
    for (const sdk of i % 2 ? [...sdks].reverse() : sdks) {
      const [a, b] = pairs[sdk];
      const callee = sdk === 'rc' ? '102' : '104';
      const [ms, okMs, holdMs, unholdMs] = await a.page.evaluate(async (to) => {
        const wp = (window as any).webPhone;
        let ok = NaN;   // when the INVITE's 200 OK arrived (both SDKs emit every inbound message)
        const on200 = (m: any) => { if (Number.isNaN(ok) && /^SIP\/2\.0 200 /.test(m.subject) && / INVITE$/.test(m.getHeader('CSeq') ?? '')) ok = performance.now() - t0; };
        wp.sipClient.on('inboundMessage', on200);
        const t0 = performance.now();
        const s = await wp.call(to, undefined, { headers: { 'Alert-Info': 'Auto Answer' } });
        const dt = performance.now() - t0;
        wp.sipClient.off('inboundMessage', on200);
        if (s.state !== 'answered') throw new Error(`not answered: ${s.state}`);
        const h0 = performance.now();
        await s.hold();
        const held = performance.now() - h0;
        const u0 = performance.now();
        await s.unhold();
        const unheld = performance.now() - u0;
        await s.hangup();
        return [dt, ok, held, unheld];
      }, callee);
      await b.waitForState('disposed');
      if (i > 0) { // the first round warms both up
        times[sdk].push(ms); okTimes[sdk].push(okMs); holdTimes[sdk].push(holdMs); unholdTimes[sdk].push(unholdMs);
      }
    }
  }
  for (const [a, b] of Object.values(pairs)) { await a.dispose(); await b.dispose(); await a.context.close(); await b.context.close(); }
  const name = (s: string) => (s === 'rc' ? 'ringcentral-web-phone 2.5.4' : 'wasm-web-phone');
  const stats = (xs: number[]) => `${median(xs).toFixed(1)} | ${Math.min(...xs).toFixed(1)} | ${Math.max(...xs).toFixed(1)}`;
  const rows = (t: Record<string, number[]>) => sdks.map((s) => `| ${name(s)} | ${stats(t[s])} | ${t[s].length} |`);
  const ratio = (t: Record<string, number[]>) => (median(t.ours) / median(t.rc)).toFixed(2);
  const md = [
    '# Call setup: `webPhone.call()` to answered (ms)', '',
    `Same run, same Kamailio (WSS), Debian Chromium, fake media, loopback; callee auto-answers; ${RUNS} runs each after one warm-up, alternating.`, '',
    '| SDK | median | min | max | runs |', '|:--|--:|--:|--:|--:|', ...rows(times), '',
    `ratio (ours / original, medians): ${ratio(times)}`, '',
    '## `webPhone.call()` to the INVITE\'s 200 OK arriving (ms)', '',
    'The signalling part of the same calls. The difference to the table above is what each SDK does',
    'before `call()` resolves. Both resolve once the ACK is out and apply the answer meanwhile',
    '(ours makes its later media steps, such as hold and reInvite, wait for that).', '',
    '| SDK | median | min | max | runs |', '|:--|--:|--:|--:|--:|', ...rows(okTimes), '',
    `ratio (ours / original, medians): ${ratio(okTimes)}`, '',
    '## `session.hold()` and `session.unhold()` to resolved (ms)', '',
    'On each answered call above, before it is hung up: each sends a re-INVITE with a new offer',
    '(sendonly, then sendrecv) and resolves when the far side\'s SDK has answered it.', '',
    '| SDK | hold median | min | max | unhold median | min | max | runs |', '|:--|--:|--:|--:|--:|--:|--:|--:|',
    ...sdks.map((s) => `| ${name(s)} | ${stats(holdTimes[s])} | ${stats(unholdTimes[s])} | ${holdTimes[s].length} |`), '',
    `ratio (ours / original, medians): hold ${ratio(holdTimes)}, unhold ${ratio(unholdTimes)}`, '',
  ].join('\n');
  console.log(md);
  fs.writeFileSync(fileURLToPath(new URL('../../bench/results/call-setup.md', import.meta.url)), md);
  expect(times.ours.length).toBe(RUNS);
  for (const s of sdks) expect(okTimes[s].every((t) => t > 0 && t <= Math.max(...times[s])), `${s}: a 200 OK seen for every call`).toBe(true);
});
