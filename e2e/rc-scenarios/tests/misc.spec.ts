// §11.2 misc/* scenarios plus registrar behaviour (603, expiry, takeover of an instance, outage).
import { test, expect, api, call, framesQuiet, SDK, OUT_TO_183 } from './fixtures';

test('register: start() again re-registers on a new socket (6 frames)', async ({ phones }) => {
  const p = await phones('101');
  await p.ev(() => (window as any).wp.start());
  expect(p.seq()).toEqual(['out REGISTER', 'in 100', 'in 401', 'out REGISTER', 'in 100', 'in 200']);
  expect(p.frames[0].msg.get('contact')).toMatch(/;expires=60$/);
  expect(p.frames[2].msg.get('www-authenticate')).toMatch(/^Digest realm="sip\.ringcentral\.com", nonce="[^"]+"$/);
  expect(p.frames[5].msg.get('contact')).toMatch(/;expires=60$/);
  // only one binding for the instance, now on the newer socket
  const regs = (await api('/api/registrations')).filter((r: any) => r.ext === '101');
  expect(regs).toHaveLength(1);
});

test('dispose: unregisters (expires=0) with the same challenge dance', async ({ phones }) => {
  const p = await phones('101');
  await p.ev(() => (window as any).wp.dispose());
  expect(p.seq()).toEqual(['out REGISTER', 'in 100', 'in 401', 'out REGISTER', 'in 100', 'in 200']);
  expect(p.frames[0].msg.get('contact')).toMatch(/;expires=0$/);
  expect((await api('/api/registrations')).filter((r: any) => r.ext === '101')).toHaveLength(0);
});

test('after dispose an outbound INVITE gets 403 (call() resolves, session stays in init)', async ({ phones }) => {
  const p = await phones('101');
  await p.ev(async () => {
    const w = (window as any).wp;
    await w.sipClient.unregister();
  });
  expect((await api('/api/registrations')).filter((r: any) => r.ext === '101')).toHaveLength(0);
  p.clear();
  if (SDK === 'ours') {
    // ours refuses locally, with a clear error, instead of sending an INVITE the edge must
    // reject (403, spec §12.14) and leaving a zombie session in `init` (spec §12)
    const r = await p.ev(() => (window as any).wp.call('102').then(() => 'resolved', (e: any) => String(e?.message ?? e)));
    expect(r).toMatch(/not registered/);
    await framesQuiet([p]);
    expect(p.seq()).toEqual([]);
    expect(await p.live()).toBe(0);
    return;
  }
  await p.ev(() => (window as any).wp.call('102'));
  expect(p.seq()).toEqual(['out INVITE', 'in 100', 'in 403']);
  expect(await p.ev(() => (window as any).wp.callSessions[0].state)).toBe('init');
});

test('6th instance of an extension gets 603 Too Many Contacts', async ({ phones }) => {
  const p = await phones('102', { instanceId: 'inst-1' });
  const results = await p.ev(async (si: any) => {
    const out = [];
    for (let i = 2; i <= 6; i++) out.push(await (window as any).h.extra(si, `inst-${i}`));
    return out;
  }, p.sipInfo);
  expect(results.slice(0, 4)).toEqual(['ok', 'ok', 'ok', 'ok']);
  expect(results[4]).toBe('Registration failed: SIP/2.0 603 Too Many Contacts');
  expect(p.seq().slice(-1)).toEqual(['in 603']);
});

test('an instance that stops refreshing expires and frees its slot', async ({ phones }) => {
  const grantMs = 5000, graceMs = 500;
  await api('/api/config', { grantExpires: grantMs / 1000, expiryGraceMs: graceMs });
  const p = await phones('102', { instanceId: 'inst-1' });
  expect(p.frames.length).toBe(0);
  const r1 = await p.ev(async (si: any) => {
    const out = [];
    for (let i = 2; i <= 5; i++) out.push(await (window as any).h.extra(si, `inst-${i}`));
    out.push(await (window as any).h.extra(si, 'inst-6'));
    return out;
  }, p.sipInfo);
  expect(r1).toEqual(['ok', 'ok', 'ok', 'ok', 'Registration failed: SIP/2.0 603 Too Many Contacts']);
  // inst-5 vanishes without unregistering (socket dropped, its refreshes go nowhere)
  const dropped = await api('/api/drop', { ext: '102', instanceId: 'inst-5' });
  expect(dropped.dropped).toHaveLength(1);
  expect(await p.ev((si: any) => (window as any).h.extra(si, 'inst-7'), p.sipInfo)).toMatch(/603/);
  // The edge's trace says when inst-5's binding expired: polled for, and then
  // checked to be on time, the grant (+ grace) after its last 200 OK.
  type TraceEntry = { t: number; dir: string; line: string; text: string; instance?: string };
  const trace = (): Promise<TraceEntry[]> => api('/api/trace?ext=102');
  const isExpiry = (e: TraceEntry) => e.dir === 'event' && e.line === 'binding inst-5 expired';
  await expect.poll(async () => (await trace()).some(isExpiry), { message: "inst-5's binding expired", timeout: grantMs + graceMs + 5000 }).toBe(true);
  const entries = await trace();
  const lastOk = entries.filter((e) => e.dir === 'out' && e.instance === 'inst-5' && e.line === 'SIP/2.0 200 OK' && /^CSeq:\s*\d+\s+REGISTER\s*$/im.test(e.text)).at(-1)!;
  const expiredAfter = entries.find(isExpiry)!.t - lastOk.t;
  expect(expiredAfter).toBeGreaterThanOrEqual(grantMs);
  expect(expiredAfter).toBeLessThan(grantMs + graceMs + 1000);
  expect(await p.ev((si: any) => (window as any).h.extra(si, 'inst-7'), p.sipInfo)).toBe('ok');
  const regs = (await api('/api/registrations')).filter((r: any) => r.ext === '102' && r.live);
  expect(regs.map((r: any) => r.instanceId).sort()).toEqual(['inst-1', 'inst-2', 'inst-3', 'inst-4', 'inst-7']);
  // the surviving instances keep refreshing (granted 5 s → refresh every 2 s): a
  // challenge is seen within 2.5 s, and every one of them refreshes its binding
  // (a higher CSeq at the edge) before it would expire
  p.clear();
  await expect.poll(() => p.seq().includes('in 401'), { message: 'a refresh within 2.5 s', timeout: 2500, intervals: [100] }).toBe(true);
  const cseqs = new Map(regs.map((r: any) => [r.instanceId, r.cseq]));
  await expect.poll(async () => (await api('/api/registrations')).filter((r: any) => r.ext === '102' && r.live && r.cseq > cseqs.get(r.instanceId)!).map((r: any) => r.instanceId).sort(),
    { message: 'every surviving instance refreshed', timeout: grantMs + graceMs }).toEqual(['inst-1', 'inst-2', 'inst-3', 'inst-4', 'inst-7']);
});

test('same instance from a newer socket takes over inbound calls', async ({ phones }) => {
  const caller = await phones('101');
  const old = await phones('102', { instanceId: 'same-instance' });
  const newer = await phones('102', { instanceId: 'same-instance' });
  const regs = (await api('/api/registrations')).filter((r: any) => r.ext === '102');
  expect(regs).toHaveLength(1);
  await call(caller, newer);
  expect(await old.ev(() => (window as any).h.live())).toBe(0);
  expect(old.seq()).toEqual([]);
  // the older instance can still place calls
  await old.ev(() => (window as any).h.callOut('103'));
  await old.waitFor((f) => /^SIP\/2\.0 (183|480)/.test(f.subject));
  await old.waitFrames(OUT_TO_183.length);
  expect(old.seq().slice(0, OUT_TO_183.length)).toEqual(OUT_TO_183);
});

test('outage: unanswered REGISTER → the SDK watchdog closes the socket after 5 s', async ({ phones }) => {
  const p = await phones('101');
  await api('/api/outage', { on: true });
  const closed = await p.ev(() => new Promise((resolve) => {
    const w = (window as any).wp;
    w.start().catch(() => {});
    const t0 = Date.now();
    const check = setInterval(() => { if (w.sipClient.wsc.readyState === 3) { clearInterval(check); resolve(Date.now() - t0); } }, 100);
  }));
  expect(closed as number).toBeGreaterThan(4500);
  expect(p.seq()).toEqual(['out REGISTER']);
  await api('/api/outage', { on: false });
  await p.ev(() => (window as any).wp.start());
  expect(p.seq().slice(-1)).toEqual(['in 200']);
});
