// Test harness used by e2e/rc-scenarios. Public WebPhone 2.x API only, so the
// same page drives the published SDK and our drop-in.
window.h = {
  /** every session ever seen by the main phone, in creation order */
  sessions: [],
  /** the harness's own errors; each also fails the test (h.fail) */
  errors: [],
  /** Record an error the harness caught, and report it to the test, which fails
   *  at teardown (e2e/lib/page-errors.ts) unless it declared it expected. */
  fail(message) {
    h.errors.push(message);
    if (window.wwpHarnessError) window.wwpHarnessError(message).catch(() => {}); // a closing page cannot report
  },
  /** Create window.wp and start() it. */
  /** Our SDK's log entries (every phone of the page, at debug), the messages its
   *  sipClient events handed the page: read by the secrets check (issue 14) at teardown. */
  sdkLog: [],
  eventTrace: [],
  /** Options that make our SDK log everything into h.sdkLog (none for the published SDK). */
  logOptions() {
    // Both of ours: the multi-tab mode's leader tab logs through the same options.
    return window.sdkName?.startsWith('ours') ? { logLevel: 'debug', logHandler: (entry) => h.sdkLog.push(entry) } : {};
  },
  /** Keep the text of every message `p`'s sipClient events hand the page. */
  traceEvents(p) {
    if (window.sdkName !== 'ours') return;
    for (const ev of ['inboundMessage', 'outboundMessage']) p.sipClient.on(ev, (m) => h.eventTrace.push(String(m)));
  },
  async setup(sipInfo, opts = {}) {
    await window.sdkReady;
    const wp = new WebPhone({ sipInfo, instanceId: opts.instanceId, debug: !!opts.debug, ...h.logOptions(),
      ...(opts.autoAnswer === undefined ? {} : { autoAnswer: opts.autoAnswer }),
      ...(opts.autoRecover === undefined ? {} : { autoRecover: opts.autoRecover }) });
    h.recovery = [];
    /** autoRecover events with their time (Date.now()), for tests that inject faults */
    h.flow = [];
    for (const ev of ['recovered', 'reconnecting']) wp.on(ev, () => { h.recovery.push(ev); h.flow.push({ name: ev, t: Date.now() }); });
    wp.on('connectionStateChanged', (e) => h.flow.push({ name: 'connectionStateChanged', state: e && e.state, reason: e && e.reason, server: e && e.server, t: Date.now() }));
    window.wp = wp;
    h.traceEvents(wp);
    wp.on('inboundCall', (s) => h.track(s));
    wp.on('outboundCall', (s) => h.track(s));
    await wp.start();
    return true;
  },
  /** An extra WebPhone on this page (own socket), for multi-instance tests. */
  async extra(sipInfo, instanceId) {
    await window.sdkReady;
    const p = new WebPhone({ sipInfo, instanceId, ...h.logOptions() });
    h.traceEvents(p);
    (h.extras ||= []).push(p);
    try { await p.start(); return 'ok'; } catch (e) { return String(e && e.message || e); }
  },
  track(s) {
    if (h.sessions.includes(s)) return;
    s.events = [];
    for (const ev of ['ringing', 'answered', 'failed', 'disposed', 'mediaRecovered', 'mediaRecoveryFailed']) s.on(ev, (arg) => s.events.push(arg && typeof arg === 'string' ? `${ev}:${arg}` : ev));
    for (const ev of ['mediaRecovering', 'mediaRecovered', 'mediaRecoveryFailed']) s.on(ev, (arg) => (h.flow || []).push({ name: ev, callId: s.callId, error: arg ? String(arg.message || arg) : undefined, t: Date.now() }));
    h.sessions.push(s);
  },
  /** Start a call without awaiting it (the edge sends 200 OK only on answer). */
  callOut(number, callerId, headers) {
    h.callDone = wp.call(number, callerId, headers ? { headers } : undefined)
      .then((s) => (h.callResult = 'returned'))
      .catch((e) => { h.fail(`call(${number}) rejected: ${e && e.message || e}`); h.callResult = 'error'; });
    return h.sessions.length - 1;
  },
  live() { return wp.callSessions.length; },
  liveInbound() { return wp.callSessions.filter((s) => s.direction === 'inbound'); },
  liveOutbound() { return wp.callSessions.filter((s) => s.direction === 'outbound'); },
  last(dir) { return [...h.sessions].reverse().find((s) => !dir || s.direction === dir); },
  info(s) {
    return s && { state: s.state, direction: s.direction, callId: s.callId, sessionId: s.sessionId, partyId: s.partyId,
      remoteNumber: s.remoteNumber, localNumber: s.localNumber, events: s.events, remoteTag: s.remoteTag, localTag: s.localTag };
  },
  /** inbound-rtp packetsReceived of a session (0 if no peer connection) */
  async rtp(s) {
    const pc = s && s.rtcPeerConnection;
    if (!pc) return -1;
    let n = 0;
    (await pc.getStats()).forEach((r) => { if (r.type === 'inbound-rtp' && r.kind === 'audio') n += r.packetsReceived; });
    return n;
  },
  /** inbound-rtp audio counters of a session: packets, and the energy and duration
   *  of the audio it decoded for playout (totalAudioEnergy, totalSamplesDuration) */
  async audio(s) {
    const pc = s && s.rtcPeerConnection;
    const out = { packets: 0, energy: 0, duration: 0 };
    if (!pc) return out;
    (await pc.getStats()).forEach((r) => {
      if (r.type !== 'inbound-rtp' || r.kind !== 'audio') return;
      out.packets += r.packetsReceived; out.energy += r.totalAudioEnergy || 0; out.duration += r.totalSamplesDuration || 0;
    });
    return out;
  },
  /** packetsReceived increases by > min within ms (ok), and the mean power of what was decoded meanwhile */
  async flowing(s, ms = 1200, min = 10) {
    const a = await h.audio(s);
    await new Promise((r) => setTimeout(r, ms));
    const b = await h.audio(s);
    const d = b.duration - a.duration;
    return { before: a.packets, after: b.packets, ok: b.packets - a.packets > min, power: d > 0 ? (b.energy - a.energy) / d : 0 };
  },
  /** Texts the secrets check searches: the log, the event trace, each phone's diagnostics bundle. */
  async secretTexts() {
    const all = [window.wp, ...(h.extras || [])].filter(Boolean);
    const bundles = await Promise.all(all.map((p) => (p.diagnostics ? p.diagnostics().catch((e) => `diagnostics failed: ${e}`) : null)));
    return { 'SDK log': JSON.stringify(h.sdkLog), 'event trace': h.eventTrace.join('\n'), diagnostics: JSON.stringify(bundles) };
  },
  /** Dispose every phone of the page; resolves with the reasons of those whose dispose() rejected. */
  async teardown() {
    const all = [wp, ...(h.extras || [])].filter(Boolean);
    const failed = await Promise.all(all.map((p) => (p.disposed ? null : p.dispose().then(() => null, (e) => String(e && e.message || e)))));
    return failed.filter(Boolean);
  },
};
// Listed here for whoever looks at the page; the test hears of unhandled
// rejections through Playwright's pageerror already, so not through h.fail.
window.addEventListener('unhandledrejection', (e) => h.errors.push(`unhandled: ${e.reason && e.reason.message || e.reason}`));
