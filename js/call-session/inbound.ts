// InboundCallSession (spec §2.6, §7.3–7.5). On a RingCentral server (the
// INVITE carries `P-rc`) the pre-answer actions are x-rc commands built by the
// core; on a standard server decline() rejects with 603 and the RingCentral-
// only actions reject with a clear error.
import CallSession from './index.js';
import type { CoreCallEvent, CoreCallResult, RcCommandName, RcCommandOptions } from '../core/sip-core.js';
import RcMessage from '../rc-message/rc-message.js';
import InboundMessage from '../sip-message/inbound.js';
import type WebPhone from '../web-phone.js';
import type { AnswerOptions } from '../types.js';

/**
 * reply() waits this long for the server's SessionClose (Cmd 9): the caller
 * hears the text and then presses a key. The original waits forever.
 */
const REPLY_TIMEOUT_MS = 120_000;

type IncomingCall = CoreCallEvent & { name: 'incomingCall' };
type AdoptedCall = CoreCallEvent & { name: 'callAdopted' };

export type ReplyOptions =
  | { type: 'callYouBack'; direction: 'toCaller' | 'fromCaller'; delay: number; unit: 'minutes' | 'hours' | 'days' }
  | { type: 'callYouBackLater'; direction: 'toCaller' | 'fromCaller' }
  | { type: 'onMyWay' | 'onOtherLine' | 'inAMeeting' | 'onOtherLineNoCall' };

export default class InboundCallSession extends CallSession {
  /** SID of the INVITE's `P-rc`: reply()'s SessionClose carries it ("" off RingCentral). */
  private readonly rcSid: string;

  constructor(webPhone: WebPhone, e: IncomingCall | AdoptedCall) {
    super(webPhone);
    this.direction = 'inbound';
    if (e.name === 'callAdopted') {
      // Answered in another tab (multi-tab takeover): WebPhone calls _adopt().
      this.rcSid = '';
      return;
    }
    this.state = 'ringing';
    this._call = e.call;
    this._callId = e.callId;
    this.sipMessage = InboundMessage.fromCore(e.msg);
    this.offer = e.sdp;
    this.rcSid = e.rcSid;
    this._video.peer = e.video;
    this.updatePeer(e as unknown as Record<string, string>);
    this.emit('ringing'); // as the original: emitted in the constructor
  }

  /** The INVITE's offer as the core found it (its body, or the SDP part of a multipart one). */
  private offer = '';

  /** Our answer already sent as early media by progress(): the 200 repeats it. */
  private earlyAnswer = '';

  /**
   * wasm-web-phone: send 183 Session Progress while the call rings. With
   * `earlyMedia: true` it carries our answer to the caller's offer (made now,
   * media and all): the caller hears us before answer(), e.g. an IVR or an
   * announcement. answer() then sends the same SDP in its 200 (RFC 3261
   * §13.2.1): no new offer/answer, the media goes on as it is, so the
   * offered video is taken or refused here (`video`, as for answer()).
   * @throws Error when the call is not ringing, or for early media when the
   * INVITE has no offer (ours would be an offer, which a 183 may not carry).
   */
  async progress(options: { earlyMedia?: boolean } & AnswerOptions = {}): Promise<void> {
    if (this.state !== 'ringing') throw new Error(`progress: the call is ${this.state}, not ringing`);
    if (options.earlyMedia && !this.earlyAnswer) {
      if (this.offerless) throw new Error('progress: early media needs an offer in the INVITE');
      this.earlyAnswer = await this.makeAnswerOnce(options);
    }
    this.core.check(this.core.ua().answer(this._call!, this.earlyAnswer, performance.now(), true), 'progress');
  }

  private get offerless(): boolean {
    return this.offer.trim() === '';
  }

  /**
   * One media session and one answer however many ask: progress() with early
   * media and an answer() that does not wait for it (autoAnswer, a click)
   * share it, and the 200 repeats the 183's SDP (RFC 3261 §13.2.1). A failed
   * attempt may be tried again.
   */
  private makeAnswerOnce(options?: AnswerOptions): Promise<string> {
    this.answerMade ??= this.makeAnswer(options).catch((e) => {
      this.answerMade = undefined;
      throw e;
    });
    return this.answerMade;
  }
  private answerMade: Promise<string> | undefined;

  /**
   * Media ready, and our answer to the INVITE's offer (or our offer when it
   * has none). `video` sends our camera on the offered video; without it the
   * offered video is refused (port 0, RFC 3264 §6).
   */
  private async makeAnswer(options?: AnswerOptions): Promise<string> {
    this.quality.timing = { start: performance.now() };
    const offer = this.offer;
    const offerless = this.offerless;
    const video = options?.video && (offerless || this.hasRemoteVideo) ? options.video : undefined;
    await this.init(video);
    return offerless
      ? this.wireSdp(await this.media().createOffer({ iceRestart: true }), 'offer')
      : this.wireSdp(await this.media().createAnswer(this.peerSdp(offer, 'offer'), this.hasRemoteVideo ? { video: !!video } : undefined),
        'answer', offer, !video && this.hasRemoteVideo);
  }

  /**
   * Answer with our media (offer/answer, or an offer of ours for an offerless
   * INVITE). wasm-web-phone: `{ video: true }` (or camera constraints) sends
   * our camera on the offered video; without it the offered video is refused
   * (port 0, RFC 3264 §6). An offer without video gets none (addVideo() later).
   * After progress({ earlyMedia: true }) the 200 repeats that answer, and
   * `video` has no effect: the early answer decided it.
   */
  answer(options?: AnswerOptions): Promise<void> {
    // A second answer() while the first opens the microphone (a double
    // click, autoAnswer plus the app's own) shares it: one media session.
    this.answering ??= this.answerOnce(options).finally(() => (this.answering = undefined));
    return this.answering;
  }
  private answering: Promise<void> | undefined;

  private async answerOnce(options?: AnswerOptions): Promise<void> {
    if (this.state !== 'ringing') throw new Error(`answer: the call is ${this.state}, not ringing`);
    const offerless = this.offerless;
    // After early media the browser already has our answer and plays it.
    const sdp = this.earlyAnswer || (await this.makeAnswerOnce(options));
    const confirmed = offerless ? this.waitFor((e) => e.name === 'callConfirmed' || e.name === 'callEnded') : undefined;
    this.core.check(this.core.ua().answer(this._call!, sdp, performance.now()), 'answer');
    this.quality.timing.signal = performance.now();
    if (confirmed) {
      const e = await confirmed;
      if (e.name !== 'callConfirmed') throw new Error('answer: the call ended before it was confirmed');
      this.sipMessage = InboundMessage.fromCore(e.msg);
      await this.media().applyAnswer(this.peerSdp(e.sdp, 'answer'));
    }
    this.state = 'answered';
    this.emit('answered');
  }

  /** Parsed `p-rc-api-call-info` of the INVITE (spec §8.4), or undefined. */
  get rcApiCallInfo(): Record<string, string> | undefined {
    if (this._call === undefined) return undefined;
    const pairs = this.core.ua().rcApiCallInfo(this._call);
    return pairs ? Object.fromEntries(pairs) : undefined;
  }

  /** Tell RingCentral this device got the call (Cmd 17); sent automatically on arrival. */
  async confirmReceive(): Promise<void> {
    await this.rcCommand('confirm');
  }

  /** Reject: Cmd 12 on RingCentral (the server then CANCELs), 603 Decline elsewhere. */
  async decline(): Promise<void> {
    if (this.state !== 'ringing') throw new Error(`decline: the call is ${this.state}, not ringing`);
    const call = this.requireCall('decline');
    const ended = this.waitFor((e) => e.name === 'callEnded');
    // The core picks RingCentral's Cmd 12 or a standard 603 Decline.
    await this.ending('decline', () => this.awaitRequest(this.core.ua().decline(call, performance.now()), 'decline', true));
    await ended;
  }

  /** Send the caller to voicemail (Cmd 11); resolves when the server CANCELs the INVITE. */
  async toVoicemail(): Promise<void> {
    const ended = this.waitFor((e) => e.name === 'callEnded');
    await this.ending('voicemail', () => this.rcCommand('voicemail', {}, true));
    await ended;
  }

  /** Forward the ringing call (Cmd 10); resolves when the server CANCELs the INVITE. */
  async forward(target: string): Promise<void> {
    const ended = this.waitFor((e) => e.name === 'callEnded');
    await this.ending('forward', () => this.rcCommand('forward', { target: String(target) }, true));
    await ended;
  }

  /** Ask for more time to pick a reply (Cmd 13). */
  async startReply(): Promise<void> {
    await this.rcCommand('startReply');
  }

  /**
   * Reply with a text or a canned answer (Cmd 14); resolves with the server's
   * SessionClose (Cmd 9: `Sts`, `Resp`, `ExtNfo`, `Phn`, `Nm`) for this call.
   */
  async reply(arg: string | ReplyOptions): Promise<RcMessage> {
    const reply = typeof arg === 'string' ? { type: 'text', text: arg } : { ...(arg as Record<string, unknown>) };
    const sid = this.rcSid;
    const closed = this.webPhone._waitRcMessage((e) => e.cmd === 9 && e.sid === sid, REPLY_TIMEOUT_MS);
    try {
      // RingCentral CANCELs the INVITE before the SessionClose: that ends the call, not the reply
      await this.ending('reply', () => this.rcCommand('reply', { reply: reply as RcCommandOptions['reply'] }, true));
    } catch (err) {
      closed.cancel();
      throw err;
    }
    try {
      const e = await closed;
      return RcMessage.fromPairs(e.hdr, e.bdy);
    } catch (err) {
      if ((err as Error).message !== 'timeout') throw err;
      throw new Error(`reply: no SessionClose from the server within ${REPLY_TIMEOUT_MS / 1000} s`);
    }
  }


  /** Send one x-rc command and wait for its MESSAGE's final response. */
  protected async rcCommand(command: RcCommandName, options: RcCommandOptions = {}, endsCall = false): Promise<void> {
    if (this._call === undefined) throw new Error(`${command}: the call has ended`);
    const r = this.core.ua().rcCommand(this._call, command, options, performance.now());
    await this.awaitRequest(r, command === 'reply' ? '' : command, endsCall);
  }

  /**
   * Check a command's result; if it sent a request (`request` > 0), wait for
   * its final response. For a command the server carries out by CANCELing
   * the INVITE (`endsCall`), that CANCEL may come before the MESSAGE's 200
   * and ends the call: it counts as done.
   */
  private async awaitRequest(r: CoreCallResult, action: string, endsCall = false): Promise<void> {
    const done = r.request
      ? this.waitFor((e) => (e.name === 'requestDone' && e.request === r.request) || (endsCall && e.name === 'callEnded'))
      : undefined;
    this.core.check(r, action);
    if (!done) return;
    const e = await done;
    if (e.name === 'requestDone' && e.status >= 300) throw new Error(`${action || 'reply'} failed: ${e.statusLine}`);
  }
}
