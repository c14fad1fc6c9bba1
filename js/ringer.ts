// `wasm-web-phone/ringer` (README "Devices"): a ringtone for inbound calls on
// an output of the app's choice, e.g. the laptop speaker while the call
// itself goes to a headset. Off unless the app passes one, as
// ringcentral-web-phone plays nothing. Kept out of the main bundle; script
// tags: dist/iife/wasm-web-phone-ringer.js (`WebPhone.Ringer`).
//
//   import { Ringer } from 'wasm-web-phone/ringer';
//   const ringer = new Ringer({ src: '/ring.mp3', deviceId: speakerId, volume: 0.8 });
//   const webPhone = new WebPhone({ sipInfo, ringer });
//   ringer.on('error', (e) => console.warn('ringer:', e.message)); // DeviceError, or autoplay refused
import EventEmitter from './event-emitter.js';
import { setSink, type DeviceError } from './device-error.js';
import type CallSession from './call-session/index.js';
import type WebPhone from './web-phone.js';

export interface RingerOptions {
  /** The ringtone's URL; it loops while a call rings. */
  src: string;
  /** The output to ring on; default '' (the browser's default output). */
  deviceId?: string;
  /** 0 to 1; default 1. */
  volume?: number;
}

/**
 * Rings while an inbound call of the phone rings: from `inboundCall` until
 * the call is answered (its microphone opens), declined, cancelled or ends.
 * Never throws from the phone's events: a device it cannot use (a browser
 * without `setSinkId`: it rings on the default output) or a ringtone the
 * browser refuses to play (autoplay policy) is an `error` event, a
 * `NotSupported` DeviceError only once.
 */
export class Ringer extends EventEmitter {
  /** The ringtone's element, made at the first ring or `setDevice()`. */
  audio: HTMLAudioElement | undefined;
  /** The output it rings on ('' = the default). */
  deviceId: string;
  private readonly calls = new Set<CallSession>();
  private reported = false;

  constructor(private readonly options: RingerOptions) {
    super();
    if (typeof options?.src !== 'string' || !options.src) throw new Error('Ringer: options.src (the ringtone URL) is required');
    const volume = options.volume ?? 1;
    if (!(volume >= 0 && volume <= 1)) throw new Error('Ringer: options.volume must be between 0 and 1');
    this.deviceId = options.deviceId ?? '';
  }

  /** Whether it is ringing for a call now. */
  get ringing(): boolean {
    return this.calls.size > 0;
  }

  /** Ring on `deviceId` from now on. Rejects with a DeviceError (NotSupported, NotFound, NotAllowed). */
  async setDevice(deviceId: string): Promise<void> {
    await setSink(this.element(), deviceId);
    this.deviceId = deviceId;
  }

  /** Ring for `phone`'s inbound calls; returns a function that stops it. The phone does this for `options.ringer`. */
  attach(phone: Pick<WebPhone, 'on' | 'off'>): () => void {
    const inbound = (session: CallSession) => this.ring(session);
    phone.on('inboundCall', inbound);
    return () => phone.off('inboundCall', inbound);
  }

  /** Ring until `session` (a ringing inbound call) is answered or ends. */
  ring(session: CallSession): void {
    if (session.state !== 'ringing' || this.calls.has(session)) return;
    const events = ['mediaStreamSet', 'answered', 'disposed'];
    const done = () => {
      for (const name of events) session.off(name, done);
      if (this.calls.delete(session) && !this.calls.size) this.stop();
    };
    for (const name of events) session.on(name, done);
    this.calls.add(session);
    this.play();
  }

  /** Play the ringtone from its start, looping (also a preview for a settings page). */
  play(): void {
    const el = this.element();
    el.currentTime = 0;
    // AbortError: stopped before it started (a call answered at once).
    el.play()?.catch((e: Error) => e?.name !== 'AbortError' && this.report(e));
  }

  stop(): void {
    this.audio?.pause();
  }

  private element(): HTMLAudioElement {
    if (this.audio) return this.audio;
    const el = (this.audio = document.createElement('audio'));
    el.src = this.options.src;
    el.loop = true;
    el.volume = this.options.volume ?? 1;
    if (this.deviceId) setSink(el, this.deviceId).catch((e) => {
      this.deviceId = ''; // the browser rings on the default output
      this.report(e);
    });
    return el;
  }

  private report(e: Error): void {
    if ((e as DeviceError).code === 'NotSupported') {
      if (this.reported) return;
      this.reported = true;
    }
    try {
      this.emit('error', e);
    } catch {
      // an app's throwing listener must not become an unhandled rejection
    }
  }
}
