// DTMF for CallSession.sendDtmf, whose comment is the contract: RFC 4733
// telephone-events through the media session, or one SIP INFO per digit
// built and queued by the core. Apart from the 2.x class because the checks,
// the wait for an answer still being applied and the INFO round trips are a
// job of their own.
//
// Written as CallSession's own methods (functions with a `this` parameter,
// called as `doSendDtmf.call(this, …)`), for the reasons call-reinvite.ts
// gives: the class keeps its declarations and the script-tag build its size.
// Protected members are reached by index (`this['waitFor']`).
import type { SendDtmfOptions } from '../types.js';
import type CallSession from './index.js';

/** sendDtmf(): throws at once what it cannot send. */
export function doSendDtmf(this: CallSession, tones: string, duration?: number, interToneGapOrOptions?: number | SendDtmfOptions): Promise<void> {
  const options = typeof interToneGapOrOptions === 'object' && interToneGapOrOptions !== null
    ? interToneGapOrOptions : { interToneGap: interToneGapOrOptions };
  const interToneGap = options.interToneGap;
  const transport = options.transport ?? this.webPhone.options.dtmfTransport ?? 'rfc4733';
  if (transport === 'info') return sendDtmfInfo.call(this, tones, duration ?? 100);
  if (transport !== 'rfc4733') throw new Error(`sendDtmf: unknown DTMF transport "${String(transport)}"`);
  if (!/^[0-9A-D#*,]*$/i.test(tones)) throw new Error(`sendDtmf: invalid DTMF tones "${tones}"`);
  if (this.state === 'disposed' || this.state === 'failed') throw new Error(`sendDtmf: the call has ended (state: ${this.state})`);
  const media = this.webRtcSession;
  if (!media) throw new Error(`sendDtmf: the call has no media yet (state: ${this.state})`);
  if (this['answerPending']) {
    // call() resolved before the browser applied the answer (as in the
    // original); like hold() and reInvite(), the tones wait for it.
    // The answer takes milliseconds to apply; if the tones still cannot go
    // then, there is no caller left to throw to, so it is a mediaError.
    void this['answerApplied'].then(() => {
      if (this.state !== 'answered') return;
      try {
        media.sendDtmf(tones, duration, interToneGap);
      } catch (e) {
        this.emit('mediaError', e);
      }
    });
    return Promise.resolve();
  }
  media.sendDtmf(tones, duration, interToneGap);
  return Promise.resolve();
}

/** One INFO per digit, built and queued by the core (core/call/call_dtmf.cpp). */
function sendDtmfInfo(this: CallSession, tones: string, duration: number): Promise<void> {
  const call = this['requireCall']('sendDtmf');
  const r = this.core.ua().sendDtmfInfo(call, tones, Math.round(duration), performance.now());
  if (!r.ok) this.core.check(r, 'sendDtmf'); // throws: bad digits, no dialog
  const done = this['waitFor']((e) => (e.name === 'requestDone' && e.request === r.request) || e.name === 'callEnded');
  done.catch(() => {});
  this.core.check(r, 'sendDtmf');
  return done.then((e) => {
    if (e.name !== 'requestDone' || e.status < 200 || e.status >= 300)
      throw new Error(`sendDtmf: ${e.name === 'requestDone' ? e.statusLine : 'the call ended'}`);
  });
}
