// The demo's call list: every call of the phone as a card with its state,
// duration and actions (README "Calls", "Transfers", "RingCentral call
// control"). One call is current: the keypad's DTMF and the device pickers
// act on it, and switching to another call holds the current one (call waiting).
// The video controls are in video.js.
import { VIDEO_ACTIONS, updateVideo, watchVideo } from './video.js';

// Hold and mute are the session's own (s.held, s.muted): in multi-tab mode
// another tab can change them, and a refused hold leaves the call unheld.
const calls = new Map(); // CallSession → { s, el, recording, consult, answeredAt }
let current;
let diagnosticsBox;
const list = () => document.getElementById('calls');

export function setRingCentral(on) { document.body.dataset.rc = on ? '1' : '0'; }
export function setDiagnosticsBox(el) { diagnosticsBox = el; }
export const currentCall = () => current?.s;

/** Send a keypad digit as DTMF on the current answered call; false when there is none. */
export function sendDigit(key) {
  if (!current || current.s.state !== 'answered') return false;
  run(current, 'DTMF', async () => { await current.s.sendDtmf(key); return `sent DTMF ${key}`; }); // by INFO: answered
  return true;
}

const q = (meta, selector) => meta.el.querySelector(selector);
const action = (meta, name) => q(meta, `[data-action="${name}"]`);

function setResult(meta, text, error = false) {
  const p = q(meta, '.result');
  p.textContent = text;
  if (error) p.dataset.error = ''; else delete p.dataset.error;
  // Also outside the card, which goes away with its call (park, transfer).
  document.getElementById('last-result').textContent = `${meta.s.remoteNumber || 'call'}: ${text}`;
}

/**
 * Run an action of a call; its result or its error shows on the call's card.
 * The card's buttons wait for it, except while a reply waits for the caller
 * (the call can still be answered, declined or sent on meanwhile).
 */
async function run(meta, what, fn, block = true) {
  if (block) for (const b of meta.el.querySelectorAll('button')) b.disabled = true;
  meta.running = (meta.running ?? 0) + 1;
  try {
    const text = await fn();
    if (text) setResult(meta, text);
  } catch (e) {
    setResult(meta, `${what}: ${e.message}`, true);
  } finally {
    meta.running--;
    for (const b of meta.el.querySelectorAll('button')) b.disabled = false;
    // An action on one call can change another (hold, switch, consult).
    for (const m of calls.values()) update(m);
  }
}

function duration(meta) {
  if (!meta.answeredAt) return '';
  const s = Math.floor((Date.now() - meta.answeredAt) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function update(meta) {
  const { s } = meta;
  const ringingIn = s.direction === 'inbound' && s.state === 'ringing';
  const live = s.state !== 'disposed' && s.state !== 'failed';
  meta.el.setAttribute('aria-current', String(current === meta));
  q(meta, '.select').setAttribute('aria-pressed', String(current === meta));
  q(meta, '.peer').textContent = s.remoteNumber || '…';
  q(meta, '.direction').textContent = s.direction === 'inbound' ? 'incoming' : 'outgoing';
  q(meta, '.state').textContent = s.held && s.state === 'answered' ? 'on hold' : s.state === 'init' ? 'calling'
    : s.state === 'ringing' && (s.earlyMedia || meta.early) ? 'ringing · early media' : s.state;
  action(meta, 'earlyMedia').hidden = !!meta.early;
  q(meta, '.duration').textContent = duration(meta);
  q(meta, '.incoming').hidden = !ringingIn;
  q(meta, '.in-call').hidden = ringingIn || !live;
  const answered = s.state === 'answered';
  for (const b of q(meta, '.in-call').querySelectorAll('button')) if (b.dataset.action !== 'hangup') b.hidden = !answered;
  action(meta, 'hold').textContent = s.held ? 'Resume' : 'Hold';
  action(meta, 'mute').textContent = s.muted ? 'Unmute' : 'Mute';
  action(meta, 'record').textContent = meta.recording ? 'Stop recording' : 'Record';
  action(meta, 'complete').hidden = action(meta, 'cancelConsult').hidden = !(answered && meta.consult);
  action(meta, 'consult').hidden = !answered || !!meta.consult;
  updateVideo(meta, q);
  document.getElementById('no-calls').hidden = calls.size > 0;
}

/**
 * Make `meta` the current call: hold every other live call, resume this one.
 * `current` moves only once the others are on hold, so that a failed hold
 * leaves the keypad and devices on the call that still has the media.
 */
async function switchTo(meta) {
  await holdAllBut(meta);
  current = meta;
  if (meta.s.held && meta.s.state === 'answered') await meta.s.unhold();
}

/** Call waiting: every answered call but `meta` on hold (before a new call or a switch). */
export async function holdAllBut(meta) {
  for (const other of calls.values()) {
    if (other !== meta && other.s.state === 'answered' && !other.s.held) await other.s.hold();
  }
}

const ACTIONS = {
  answer: async (m) => {
    await switchTo(m); // call waiting: the call in progress goes on hold first
    await m.s.answer();
  },
  decline: (m) => m.s.decline(),
  // README "Early media": 183 with our answer; Answer then sends the same SDP.
  earlyMedia: async (m) => {
    await m.s.progress({ earlyMedia: true });
    m.early = true;
    return 'the caller hears this tab (early media); Answer to talk';
  },
  toVoicemail: async (m) => { await m.s.toVoicemail(); return 'sent to voicemail'; },
  forward: async (m) => {
    const to = q(m, '.forward-to').value.trim();
    if (!to) throw new Error('type a number to forward to');
    await m.s.forward(to);
    return `forwarded to ${to}`;
  },
  reply: async (m) => {
    const template = q(m, '.reply-template').value;
    const text = q(m, '.reply-text').value.trim();
    const arg = template === 'text' ? text
      : template === 'callYouBack' ? { type: 'callYouBack', direction: 'toCaller', delay: 5, unit: 'minutes' } : { type: template };
    if (arg === '') throw new Error('type the reply text, or pick a template');
    setResult(m, 'reply sent; waiting for the caller to answer it…');
    const close = await m.s.reply(arg);
    const resp = { 1: 'yes', 2: 'no', 3: 'urgent' }[close.body?.Resp] ?? close.body?.Resp;
    return `the caller answered: ${resp}${close.body?.ExtNfo ? ` (${close.body.ExtNfo})` : ''}`;
  },
  hold: async (m) => {
    if (m.s.held) { await switchTo(m); return 'resumed'; } // the other calls go on hold
    await m.s.hold();
    return 'on hold';
  },
  mute: async (m) => {
    await (m.s.muted ? m.s.unmute() : m.s.mute()); // a promise in multi-tab mode: the leader tab mutes
    return m.s.muted ? 'microphone muted' : 'microphone on';
  },
  hangup: (m) => m.s.hangup(),
  record: async (m) => {
    const r = m.recording ? await m.s.stopRecording() : await m.s.startRecording();
    if (r.code === 0) m.recording = !m.recording;
    return `recording: ${r.code} ${r.description}${r.code === 0 ? (m.recording ? ' (on)' : ' (off)') : ''}`;
  },
  park: async (m) => {
    const r = await m.s.park();
    return r.code === 0 ? `parked at ${r['park extension']}` : `park: ${r.code} ${r.description}`;
  },
  // A held call stays held: the ICE-restart offer keeps it sendonly.
  reInvite: async (m) => { await m.s.reInvite(!m.s.held); return 'media renegotiated (ICE restart)'; },
  diagnostics: async (m) => {
    const text = JSON.stringify(await m.s.diagnostics(), null, 2);
    diagnosticsBox.value = text;
    diagnosticsBox.hidden = false;
    await navigator.clipboard?.writeText(text).catch(() => {}); // the box has it if the clipboard is refused
    return `diagnostics: ${text.length} characters, also in the box below the calls`;
  },
  transfer: async (m) => {
    const to = target(m);
    await m.s.transfer(to);
    return `transferred to ${to}`;
  },
  consult: async (m) => {
    const to = target(m);
    const wt = await m.s.warmTransfer(to); // holds this call first, even if the consultation then fails
    if (wt.newSession.state !== 'answered') {
      // Declined or not answered: nothing to complete; this call stays on hold for Resume.
      return `${to} did not answer the consultation (${wt.newSession.state}); this call is on hold`;
    }
    m.consult = wt;
    const consultation = calls.get(wt.newSession);
    if (consultation) current = consultation;
    // The consultation may end before the transfer: then there is nothing to complete.
    wt.newSession.on('disposed', () => { if (m.consult === wt) { m.consult = undefined; update(m); } });
    return `on hold while you talk to ${to}: complete or cancel the transfer here`;
  },
  complete: async (m) => { const wt = m.consult; await wt.complete(); m.consult = undefined; return 'transfer completed'; },
  cancelConsult: async (m) => {
    const wt = m.consult;
    await wt.cancel();
    m.consult = undefined;
    current = m;
    return 'consultation ended, call resumed';
  },
  ...VIDEO_ACTIONS,
  answerVideo: (m) => VIDEO_ACTIONS.answerVideo(m, switchTo), // call waiting, as Answer
  flip: async (m) => {
    const to = target(m);
    const r = await m.s.flip(to);
    return `flip to ${to}: ${r.code} ${r.description}`;
  },
};
function target(m) {
  const to = q(m, '.target').value.trim();
  if (!to) throw new Error('type the target number first');
  return to;
}

export function showCall(phone, s) {
  if (calls.has(s)) return;
  const el = document.getElementById('call-template').content.firstElementChild.cloneNode(true);
  const meta = { s, el, recording: false, consult: undefined, answeredAt: 0 };
  calls.set(s, meta);
  list().append(el);
  if (!current || current.s.state !== 'answered') current = meta;
  // Selecting an answered call switches to it (the others go on hold); a
  // call not answered yet only becomes the one the keypad and devices act on.
  q(meta, '.select').addEventListener('click', () => run(meta, 'switch', () => (s.state === 'answered' ? switchTo(meta) : (current = meta, undefined))));
  for (const b of el.querySelectorAll('[data-action]')) {
    b.addEventListener('click', () => run(meta, b.textContent, () => ACTIONS[b.dataset.action](meta), b.dataset.action !== 'reply'));
  }
  s.on('answered', () => { meta.answeredAt = Date.now(); update(meta); });
  for (const e of ['ringing', 'failed', 'progress']) s.on(e, () => update(meta));
  s.on('failed', (line) => setResult(meta, `call failed: ${line}`, true));
  // README "Calls": an unplugged microphone or speaker is replaced by another one.
  const device = (kind) => (kind === 'audiooutput' ? 'speaker' : kind === 'videoinput' ? 'camera' : 'microphone');
  s.on('deviceLost', ({ kind, label }) => setResult(meta, `${device(kind)} ${label || ''} disconnected`));
  s.on('deviceSwitched', ({ kind, label }) => setResult(meta, `${device(kind)} disconnected: now using ${label || 'another one'}`));
  s.on('deviceSwitchFailed', ({ kind, error }) => setResult(meta, `${device(kind)} disconnected, no other one: ${error.message}`, true));
  // README "Self-healing": the call's media lost and restarted, or given up.
  s.on('mediaError', (e) => setResult(meta, `media failed: ${e?.message ?? e}`, true));
  s.on('mediaRecovering', () => setResult(meta, 'media lost: restarting it (ICE restart)…'));
  s.on('mediaRecovered', () => setResult(meta, 'media restored'));
  s.on('mediaRecoveryFailed', (e) => setResult(meta, `media not restored: ${e?.message ?? e}`, true));
  // README "DTMF": keys the other side sent by SIP INFO, as they come.
  s.on('dtmf', ({ digit }) => {
    const p = q(meta, '.dtmf-in');
    p.hidden = false;
    p.querySelector('output').textContent += digit;
  });
  watchVideo(meta, q, update, setResult);
  showQuality(meta);
  s.on('disposed', (reason) => {
    // Why it ended, once its card is gone (README "Calls": endReason),
    // unless an action of the call still has its say (a reply's answer).
    const why = reason ?? s.endReason;
    if (why && !meta.running) document.getElementById('last-result').textContent = `${s.remoteNumber || 'call'}: ended (${why})`;
    calls.delete(s);
    el.remove();
    if (current === meta) current = [...calls.values()].at(-1);
    for (const m of calls.values()) update(m);
    document.getElementById('no-calls').hidden = calls.size > 0;
  });
  update(meta);
}

// README "Call quality": MOS, RTT, loss and jitter from qualityReport; the
// watchdog's verdicts as a warning.
function showQuality(meta) {
  const stalls = new Map();
  const warn = () => { q(meta, '.media-warning').textContent = [...stalls.values()].join('; '); };
  meta.s.on('qualityReport', (r) => {
    if (r.mos === undefined) return;
    const parts = [`MOS ${r.mos.toFixed(1)}`];
    if (r.rttMs !== undefined) parts.push(`RTT ${Math.round(r.rttMs)} ms`);
    parts.push(`loss ${r.inbound.lossPercent} %`);
    if (r.inbound.jitterMs !== undefined) parts.push(`jitter ${Math.round(r.inbound.jitterMs)} ms`);
    q(meta, '.quality').textContent = parts.join(' · ');
    q(meta, '.quality').dataset.level = r.mos >= 4 ? 'good' : r.mos >= 3.6 ? 'fair' : 'poor';
  });
  meta.s.on('mediaStalled', ({ direction, reason }) => {
    stalls.set(direction, reason === 'silence' ? 'the other side is silent' : `no ${direction === 'inbound' ? 'incoming' : 'outgoing'} audio`);
    warn();
  });
  meta.s.on('mediaResumed', ({ direction }) => { stalls.delete(direction); warn(); });
}

/** The phone went away (unregister, another registration): its cards go too. */
export function clearCalls() {
  for (const m of calls.values()) m.el.remove();
  calls.clear();
  current = undefined;
  document.getElementById('no-calls').hidden = false;
}

// Each second: the durations, and anything another tab changed (multi-tab
// mode: hold or mute from there arrives without an event).
setInterval(() => { for (const m of calls.values()) update(m); }, 1000);
