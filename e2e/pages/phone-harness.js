// Test hooks shared by rc-phone.html and ours-phone.html, driven by Playwright
// (page.evaluate). Both SDKs expose the ringcentral-web-phone 2.x API, so the
// same hooks work for both; the page only defines window.createWebPhone().
// Nothing here patches the SDK.
//
// window API (all async ones return plain JSON-able values):
//   setup(sipInfo, opts)   create the phone (opts: instanceId, debug, autoAnswer, ...)
//   start()                await webPhone.start()  -> 'registered' (rejects with the SDK's error message)
//   startPhone(sipInfo, opts) = setup + start
//   call(callee, headers?) -> { state, callId }  (settles when answered/failed; never for a cancelled call)
//   answer() / hangup() / decline() / toVoicemail() / cancel() / hold() / unhold()  on the current session
//   sessionState() 'none' | 'init' | 'ringing' | 'answered' | 'disposed' ...
//   sessionCount(), rtpStats() -> { inPackets, outPackets, inEnergy, inDuration, ice, conn, ... }, localSdp(), remoteSdp()
//   dispose()              await webPhone.dispose()
//   events  [{ t, name, ... }]   registered, inboundCall, outboundCall, ringing, progress, answered, failed, disposed, phoneDisposed
//   sipLog  ['>>> REGISTER sip:localhost SIP/2.0', '<<< SIP/2.0 200 OK', ...]  (first lines, in order)
//   sipMessages  full text of every message, same order
(() => {
  window.sipLog = [];
  window.sipMessages = [];
  window.events = [];
  const ev = (name, extra = {}) => window.events.push({ t: Date.now(), name, ...extra });
  let webPhone = null;

  const track = (s) => {
    for (const e of ['ringing', 'answered', 'failed', 'disposed', 'referred', 'replaced', 'mediaRecovering', 'mediaRecovered', 'mediaRecoveryFailed']) {
      s.on?.(e, () => ev(e, { direction: s.direction, state: s.state, callId: s.callId }));
    }
    // Provisional responses of an outbound call (our SDK only; README "Early media"),
    // with the signaling state the browser reached by then.
    s.on?.('progress', (p) => ev('progress', { status: p.status, reason: p.reason, earlyMedia: p.earlyMedia, signalingState: s.rtcPeerConnection?.signalingState }));
    // Device events carry what happened (our SDK only; README "Devices").
    for (const e of ['deviceLost', 'deviceSwitched', 'deviceSwitchFailed']) {
      s.on?.(e, (info) => ev(e, { kind: info && info.kind, deviceId: info && info.deviceId, from: info && info.from, error: info && info.error ? String(info.error.message) : undefined }));
    }
  };

  window.setup = (sipInfo, opts = {}) => {
    if (typeof window.createWebPhone !== 'function') throw new Error('page defines no createWebPhone()');
    webPhone = window.createWebPhone(sipInfo, opts);
    window.webPhone = webPhone;
    const sc = webPhone.sipClient;
    const logMsg = (dir) => (m) => {
      const text = typeof m === 'string' ? m : (m.toString?.() ?? String(m));
      window.sipLog.push(`${dir} ${m.subject ?? text.split('\r\n')[0]}`);
      window.sipMessages.push(`${dir} ${text}`);
    };
    sc?.on?.('inboundMessage', logMsg('<<<'));
    sc?.on?.('outboundMessage', logMsg('>>>'));
    webPhone.on('inboundCall', (s) => { window.session = s; ev('inboundCall', { from: s.remoteNumber, callId: s.callId }); track(s); });
    webPhone.on('outboundCall', (s) => { window.session = s; ev('outboundCall', { callId: s.callId }); track(s); });
    // autoRecover (our SDK only)
    webPhone.on('connectionStateChanged', (c) => ev('connectionStateChanged', { state: c.state, server: c.server, attempt: c.attempt, reason: c.reason }));
    webPhone.on('recovered', () => ev('recovered'));
    webPhone.on('failed', (e) => ev('recoveryFailed', { message: String(e?.message ?? e) }));
    sc?.on?.('registrationFailed', (e) => ev('registrationFailed', { message: String(e?.message ?? e) }));
    ev('setup');
    return true;
  };

  window.start = async () => {
    try {
      await webPhone.start();
    } catch (e) {
      ev('startFailed', { message: String(e?.message ?? e) });
      throw new Error(String(e?.message ?? e));   // keep the SDK's message, e.g. "Registration failed: SIP/2.0 401 ..."
    }
    ev('registered');
    return 'registered';
  };
  window.startPhone = async (sipInfo, opts) => { window.setup(sipInfo, opts); return window.start(); };

  // The session of the last call event, else the phone's first (a multi-tab
  // tab opened mid-call heard no event for it).
  const cur = () => {
    const s = window.session ?? webPhone?.callSessions?.[0];
    if (!s) throw new Error('no call session');
    return s;
  };
  window.call = async (callee, headers) => {
    const s = await webPhone.call(callee, undefined, headers ? { headers } : undefined);
    return { state: s.state, callId: s.callId };
  };
  window.answer = async () => { await cur().answer(); return cur().state; };
  window.hangup = async () => { await cur().hangup(); return cur().state; };
  window.decline = async () => { await cur().decline(); return cur().state; };
  window.toVoicemail = async () => { await cur().toVoicemail(); return cur().state; };
  window.cancel = async () => { await cur().cancel(); return cur().state; };
  window.hold = async () => { await cur().hold(); return cur().state; };
  window.unhold = async () => { await cur().unhold(); return cur().state; };
  window.sessionState = () => (window.session ?? webPhone?.callSessions?.[0])?.state ?? 'none';
  window.sessionCount = () => webPhone?.callSessions?.length ?? 0;
  window.localSdp = () => window.session?.rtcPeerConnection?.localDescription?.sdp;
  window.remoteSdp = () => window.session?.rtcPeerConnection?.remoteDescription?.sdp;

  window.rtpStats = async () => {
    const pc = (window.session ?? webPhone?.callSessions?.[0])?.rtcPeerConnection;
    if (!pc) return null;
    const out = { ice: pc.iceConnectionState, conn: pc.connectionState, inPackets: 0, outPackets: 0, inBytes: 0, inEnergy: 0, inDuration: 0 };
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') {
        out.inPackets = r.packetsReceived; out.inBytes = r.bytesReceived;
        out.inEnergy = r.totalAudioEnergy ?? 0; out.inDuration = r.totalSamplesDuration ?? 0;   // what it decoded for playout
      }
      if (r.type === 'outbound-rtp' && r.kind === 'audio') out.outPackets = r.packetsSent;
    });
    return out;
  };

  // idempotent: a second webPhone.dispose() would wait forever for the reply
  // to an unREGISTER on a closed socket (the RC SDK removed its listeners)
  let disposing = null;
  window.dispose = async () => {
    if (!webPhone) return 'none';
    if (disposing) return disposing;
    disposing = webPhone.dispose().then(() => 'disposed');
    await disposing;
    ev('phoneDisposed');
    return 'disposed';
  };
})();
