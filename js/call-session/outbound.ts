// OutboundCallSession (spec §2.7, §7.1–7.2).
import CallSession from './index.js';
import type { CoreCallEvent } from '../core/sip-core.js';
import InboundMessage from '../sip-message/inbound.js';
import type WebPhone from '../web-phone.js';
import type { ProgressEvent } from '../types.js';

export default class OutboundCallSession extends CallSession {
  callee: string;
  /**
   * wasm-web-phone: the callee's early media plays: a 18x carried an early
   * answer (RFC 3261 §13.2.1) and the media session took it as `pranswer`.
   */
  earlyMedia = false;
  /** `progress` events wait for the early answer before them to apply. */
  private progressed: Promise<unknown> = Promise.resolve();

  constructor(webPhone: WebPhone, callee: string) {
    super(webPhone);
    this.callee = callee;
    this.direction = 'outbound';
    this.state = 'init';
  }

  override get remoteNumber(): string {
    return super.remoteNumber || this.callee;
  }

  /**
   * Send the INVITE (the core answers 401/407 challenges itself) and settle
   * with `true` when answered, `false` when the call failed or was cancelled.
   */
  async call(callerId?: string, options?: { headers?: Record<string, string> }): Promise<boolean | undefined> {
    if (this.state === 'disposed') return false; // hung up while the media was set up
    const offer = await this.media().createOffer({ iceRestart: true });
    // (A cast: TypeScript keeps the narrowing above across the await.)
    if ((this.state as string) === 'disposed') return false; // hung up during ICE gathering
    const sdp = this.wireSdp(offer, 'offer');
    const headers = Object.entries(options?.headers ?? {});
    const result = this.core.ua().invite({ callee: this.callee, callerId, headers, sdp }, performance.now());
    this.core.check(result, 'call');
    this.quality.timing.signal = performance.now();
    this._call = result.call;
    this._callId = result.callId;
    this.webPhone._registerSession(this);
    // One wait for the final outcome; 1xx are handled as they come
    // (_handleCoreEvent). A wait per event would miss a final response fed
    // in the same task as a 1xx (two frames in one socket read, as Node's
    // ws delivers them), and call() would never settle.
    const e = await this.waitFor((e) => e.name === 'callAnswered' || e.name === 'callFailed' || e.name === 'callEnded');
    if (e.name === 'callAnswered') return this.onAnswered(e);
    if (e.name === 'callFailed') {
      this.state = 'failed';
      this.emit('failed', e.statusLine);
    }
    this.webPhone._removeSession(this);
    this.dispose();
    return false;
  }

  /** @internal */
  override _handleCoreEvent(e: CoreCallEvent): void {
    super._handleCoreEvent(e); // the peer's identity first, as 'ringing' listeners read it
    if (e.name === 'callProgress') this.onProvisional(e);
  }

  private onProvisional(e: CoreCallEvent & { name: 'callProgress' }): void {
    if (this.state === 'init') {
      this.sipMessage = InboundMessage.fromCore(e.msg);
      this.state = 'ringing';
      this.emit('ringing');
    }
    // A fork's new early answer: applied as `pranswer` now (the 2xx's answer
    // may come in the next frame). `progress` says whether media plays once
    // it is applied; a browser that refuses it (no `pranswer`) plays none,
    // and the 2xx's answer applies as usual.
    const media = this.webRtcSession;
    // (An sdpHandler that throws rejects it too: the executor catches.)
    const applying = e.early && media?.applyEarlyAnswer
      ? new Promise((resolve) => resolve(media.applyEarlyAnswer!(this.peerSdp(e.sdp, 'answer'))))
        .then(() => (this.earlyMedia = true), () => undefined)
      : undefined;
    const status = e.status;
    const reason = e.msg.reason;
    // In order, each once the early answer before it applied; none after the
    // answer (RingCentral sends its 183 and 200 at once).
    this.progressed = this.progressed.then(() => applying).then(() => {
      if (this.state !== 'ringing') return;
      try {
        this.emit('progress', { status, reason, earlyMedia: this.earlyMedia } satisfies ProgressEvent);
      } catch (err) {
        // An app's throwing listener is its own uncaught error, as in a DOM
        // event listener; the later provisionals' events still come.
        queueMicrotask(() => {
          throw err;
        });
      }
    });
  }

  private async onAnswered(e: CoreCallEvent & { name: 'callAnswered' }): Promise<boolean> {
    if (this.state === 'init') this.sipMessage = InboundMessage.fromCore(e.msg);
    this.state = 'answered';
    this.emit('answered');
    // As the original SDK does, call() resolves once the 2xx is handled (the
    // core has sent the ACK) while the browser applies the answer; every
    // later media step waits for it (`answerApplied`). An answer the browser
    // refuses cannot carry audio, so the call is ended rather than left silent.
    // The answer starts to apply now, in this task, and the pending flag
    // clears in the first reaction to it: a media session that applies at
    // once (the test kit's fake) is done before call()'s caller resumes, so
    // DTMF sent right after `await call()` goes straight to it.
    let applying: Promise<void>;
    try {
      applying = Promise.resolve(this.media().applyAnswer(this.peerSdp(e.sdp, 'answer')));
    } catch (err) {
      applying = Promise.reject(err); // an sdpHandler threw
    }
    this.answerPending = true;
    this.answerApplied = applying.then(
      () => {
        this.answerPending = false;
      },
      async (err: unknown) => {
        this.answerPending = false;
        this.emit('mediaError', err);
        await this.hangup().catch(() => undefined);
      },
    );
    return true;
  }

  /** CANCEL a ringing call (RFC 3261 §9.1); resolves when the call is over. */
  async cancel(): Promise<void> {
    await this.hangup();
  }
}
