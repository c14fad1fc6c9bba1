// A call's re-INVITEs, for CallSession: ours (hold and unhold, reInvite()'s
// ICE restart, the video renegotiation, the media restart of a call that
// survived a lost connection) and the peer's, which we answer. Apart from the
// 2.x class because how ours and the peer's cross (RFC 3261 §14.1) is a job
// of its own; the class keeps the public methods and the state these read.
//
// These are CallSession's own private methods, written as functions with a
// `this` parameter and called as `changeHold.call(this, …)`: the class keeps
// its declarations, and the minified code stays that of the methods it was.
// (Measured when the call-session helpers were split out: helper objects
// like CallVideo, or functions taking the session as an argument, made the
// script-tag build 100 to 155 B gzip larger, more than its budget had left
// (scripts/check-size.sh); written this way, the build grows only by the
// calls that now delegate to them.) The session's protected and private
// members are reached by index (`this['waitFor']`), TypeScript's typed way
// in from outside the class.
import type { CoreCallEvent } from '../core/sip-core.js';
import type { Logger } from '../log/logger.js';
import InboundMessage from '../sip-message/inbound.js';
import type CallSession from './index.js';

/** ICE-restart re-INVITEs tried after a recovered connection (autoRecover). */
const MEDIA_RECOVERY_ATTEMPTS = 3;
/** How long the caller leaves the callee to restart a recovered call's media first. */
const CALLER_RECOVERY_DELAY_MS = 1000;
/** reInvite() offers afresh this many times when the peer's re-INVITEs keep superseding ours. */
const REINVITE_SUPERSEDED_ATTEMPTS = 3;

/** hold() and unhold(). */
export async function changeHold(this: CallSession, hold: boolean): Promise<void> {
  const call = this['requireCall'](hold ? 'hold' : 'unhold');
  if (!hold && this.webRtcSession?.receiving?.() === false) {
    // The browser itself negotiated our side to send only (a sendonly
    // reInvite(false), or the re-INVITE that took over a held call from
    // another tab), so an answer the browser never sees would leave it
    // deaf: unhold with an offer it makes, whose answer it applies.
    await offerAnew.call(this, true, false, 'unhold');
    this.quality.localHeld = false;
    return;
  }
  const done = this['waitFor']((e) => e.name === 'reinviteDone' || e.name === 'callEnded');
  this.core.check(this.core.ua().hold(call, hold, performance.now()), hold ? 'hold' : 'unhold');
  const e = await done;
  if (e.name !== 'reinviteDone' || e.status >= 300)
    throw new Error(`${hold ? 'hold' : 'unhold'} failed: ${e.name === 'reinviteDone' ? e.statusLine : 'call ended'}`);
  this.quality.localHeld = hold;
  // The hold offer is our last SDP with its direction changed by the core;
  // the browser session did not make a new offer, so (as the original SDK
  // does, spec §7.7) the answer is not applied: the peer stops sending,
  // which is what hold means, and unhold restores it.
}

/** A re-INVITE with an offer the media session makes (`sendonly` unless `toReceive`), its answer applied. */
export async function offerAnew(this: CallSession, toReceive: boolean, iceRestart: boolean, what: string): Promise<void> {
  const call = this['requireCall'](what);
  await this['answerApplied'];
  for (let attempt = 1; ; attempt++) {
    const sdp = this['wireSdp'](await this['media']().createOffer({ iceRestart }), 'offer');
    const done = this['waitFor']((e) => e.name === 'reinviteDone' || e.name === 'callEnded');
    this.core.check(this.core.ua().reinvite(call, sdp, toReceive, performance.now()), what);
    const e = await done;
    // 491 here: ours met a 491 and, while it waited to be resent, the peer's
    // own re-INVITE came and is being answered, which replaced the offer we
    // made (RFC 3261 §14.1; the core says so rather than resend a stale
    // offer). Once that answer is given, offer afresh.
    if (e.name === 'reinviteDone' && e.status === 491 && attempt < REINVITE_SUPERSEDED_ATTEMPTS) {
      await this['peerOfferAnswered'];
      continue;
    }
    if (e.name !== 'reinviteDone' || e.status >= 300)
      throw new Error(`${what} failed: ${e.name === 'reinviteDone' ? e.statusLine : 'call ended'}`);
    await this['media']().applyAnswer(this['peerSdp'](e.sdp, 'answer'));
    return;
  }
}

/** Answer a re-INVITE from the other side (e.g. server takeover, spec §7.9). */
export async function answerReinvite(this: CallSession, e: CoreCallEvent & { name: 'reinviteOffer' }): Promise<void> {
  this.sipMessage = InboundMessage.fromCore(e.msg);
  await this['answerApplied'];
  if (!e.sdp) return offerForReinvite.call(this);
  let answer = '';
  try {
    // Video the peer adds is taken receive-only (the app may addVideo()),
    // or refused with port 0 when the phone's `acceptVideo` is false.
    // (An audio-only offer's answer goes untouched: nothing to refuse.)
    const refuse = this.webPhone.options.acceptVideo === false && !this._video.local && e.video !== '';
    answer = this['wireSdp'](await this['media']().createAnswer(this['peerSdp'](e.sdp, 'offer'), refuse ? { video: false } : undefined), 'answer', e.sdp, refuse);
  } catch {
    // Media (or a codec preference, or an SDP hook) refused the offer: an
    // empty answer makes the core reject it with 488.
  }
  try {
    this.core.check(this.core.ua().answerReinvite(this._call!, answer, performance.now(), this.held), 'answer re-INVITE');
    if (answer) this['peerReinviteAnsweredAt'] = performance.now();
  } catch {
    /* the call ended meanwhile */
  }
}

/**
 * A re-INVITE without SDP asks for a new offer (RFC 3261 §14.2; a server
 * moving the media elsewhere, RFC 3725): the browser makes it (same ICE), it
 * goes in our 2xx, and the answer comes in the ACK (`callConfirmed`), which
 * the browser then applies, or the call would go silent. No offer (media
 * gone, an SDP hook threw): the core answers 488 and the session stays.
 */
async function offerForReinvite(this: CallSession): Promise<void> {
  let offer = '';
  try {
    offer = this['wireSdp'](await this['media']().createOffer({ iceRestart: false }), 'offer');
  } catch {
    /* 488 below */
  }
  const acked = offer ? this['waitFor']((x) => x.name === 'callConfirmed' || x.name === 'callEnded') : undefined;
  try {
    this.core.check(this.core.ua().answerReinvite(this._call!, offer, performance.now(), this.held), 'answer re-INVITE');
  } catch {
    return; /* the call ended meanwhile */
  }
  const e = await acked?.catch(() => undefined);
  if (e?.name !== 'callConfirmed') return;
  this.sipMessage = InboundMessage.fromCore(e.msg);
  this['peerReinviteAnsweredAt'] = performance.now();
  // RFC 3261 §13.2.1: the ACK must carry the answer; without one the browser
  // keeps its offer pending, and the next offer either way replaces it.
  const log = (this.webPhone.sipClient as { log?: Logger }).log;
  if (!e.sdp) return log?.warn('call', 'the ACK to our offer in a re-INVITE\'s 2xx had no answer (RFC 3261 §13.2.1)');
  await this['media']().applyAnswer(this['peerSdp'](e.sdp, 'answer'))
    .catch((err) => log?.warn('media', `the answer in the ACK did not apply: ${err instanceof Error ? err.message : String(err)}`));
}

/**
 * The phone's socket is down and `autoRecover` is bringing it back: the core
 * asks this call for `recoverMedia` itself once registered again, and a
 * re-INVITE tried now fails at once (503).
 */
export function awaitingReconnect(session: CallSession): boolean {
  const state = (session.webPhone.sipClient as { connectionState?: string }).connectionState;
  return state === 'waiting' || state === 'connecting';
}

/**
 * The phone lost its connection and registered again (`autoRecover`); this
 * call survived. Restart its media through the new connection: an ICE
 * restart re-INVITE, which also tells the server where the call now is.
 */
export async function recoverMedia(this: CallSession): Promise<void> {
  if (this['mediaRecovery']) return; // one at a time; a second outage finds this one still trying
  this['mediaRecovery'] = true;
  this.emit('mediaRecovering');
  const started = performance.now();
  let error: unknown;
  try {
    // Both ends recover at once. The end that did not start the call goes
    // first; the caller waits a moment, and if the callee's re-INVITE came
    // meanwhile, that one exchange restarted ICE on both sides and, its 2xx
    // carrying our Contact, refreshed our target at the peer too (RFC 3261
    // §12.2.1.2): no second re-INVITE, no glare (§14.1).
    if (this.direction === 'outbound' && !this['adopted']) {
      await new Promise((r) => setTimeout(r, CALLER_RECOVERY_DELAY_MS));
      if (this.state === 'disposed') return;
      if (this['peerReinviteAnsweredAt'] >= started) {
        this.emit('mediaRecovered');
        return;
      }
    }
    // Both ends of a call usually recover at once: their re-INVITEs cross
    // (491, retried by the core, RFC 3261 §14.1), or one reaches a peer not
    // registered again yet (404/408). A few tries, further apart each time.
    for (let attempt = 1; attempt <= MEDIA_RECOVERY_ATTEMPTS; attempt++) {
      try {
        await this.reInvite(!this.held); // a call on hold stays on hold (RFC 3264 §8.4)
        this.emit('mediaRecovered');
        return;
      } catch (e) {
        error = e;
        if (this.state === 'disposed') return; // the core ended it (a 481: the dialog is gone), with a reason
        // The socket went too (ICE failed first): no failure to report, the
        // core's recoverMedia comes once the phone is registered again.
        if (awaitingReconnect(this)) return;
        if (attempt < MEDIA_RECOVERY_ATTEMPTS) await new Promise((r) => setTimeout(r, 1000 * attempt));
      }
    }
    if (this.state !== 'disposed') this.emit('mediaRecoveryFailed', error instanceof Error ? error : new Error(String(error)));
  } finally {
    this['mediaRecovery'] = false;
  }
}
