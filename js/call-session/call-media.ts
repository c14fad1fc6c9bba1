// A call's media session, for CallSession.init (spec §6.1, §6.7): the app's
// webRtcSessionFactory, or the SDK's browser session wired to the call's
// stream, devices, events and quality monitor (which reports ICE states to
// the session's onMediaConnectionState). Apart from the 2.x class because
// making and wiring the media is a job of its own.
//
// Written as CallSession's own methods (functions with a `this` parameter,
// called as `initMedia.call(this, …)`), for the reasons call-reinvite.ts
// gives: the class keeps its declarations and the script-tag build its size.
// A private member is reached by index (`this['onMediaConnectionState']`).
import { BrowserWebRtcSession } from '../media/web-rtc-session.js';
import { iceSettings } from '../media/ice-options.js';
import type { VideoRequest } from '../media/video.js';
import type CallSession from './index.js';

const ENDED = 'the call ended while its media was being set up';

/** The call is over for its media: ended, or hangup() has released it (RFC 3261 §15.1.1). */
function mediaOver(call: CallSession): boolean {
  return call.state === 'disposed' || call['mediaReleased'];
}

/** init(): `video` opens the camera too. */
export async function initMedia(this: CallSession, video?: VideoRequest): Promise<void> {
  if (mediaOver(this)) throw new Error(ENDED);
  const factory = this.webPhone.options.webRtcSessionFactory;
  const stunServers = this.webPhone.sipInfo.stunServers ?? [];
  if (factory) {
    this.webRtcSession ??= factory({ callId: this.callId, direction: this.direction, stunServers, ...(video ? { video } : {}) });
    if (this._muted) this.webRtcSession.setMuted(true);
    if (this.webRtcSession.video) this._video.media('init');
    // With statistics it takes part in call quality: qualityReport and the watchdog (no ICE events: no peer connection here).
    if (this.webRtcSession.getStats) this.quality.attach(undefined, this.webPhone.options.callQuality, (c) => this['onMediaConnectionState'](c));
    return;
  }
  const ice = iceSettings(this.webPhone.options.ice, stunServers);
  const browser = await BrowserWebRtcSession.create(ice, this.webPhone.deviceManager, (s) => {
    this.mediaStream = s;
  }, ({ name, ...info }) => {
    if (name === 'deviceSwitched') this[info.kind === 'audiooutput' ? 'outputDeviceId' : 'inputDeviceId'] = info.deviceId;
    this.emit(name, info);
  }, this.webPhone._media, video);
  if (mediaOver(this)) {
    // The call ended (the caller hung up, the app cancelled) or hangup()
    // released its media (the BYE is out, its answer not yet in) while the
    // microphone or camera opened: close them again, nobody else will.
    browser.dispose();
    throw new Error(ENDED);
  }
  // The session this replaces: one from before, or one a second init() made
  // while this one opened the microphone (its tracks and connection would
  // live on, the browser's recording light with them).
  this.webRtcSession?.dispose();
  this.webRtcSession = browser;
  if (this._muted) browser.setMuted(true); // a call muted before (multi-tab takeover) stays muted
  this._video.media('init'); // videoChanged from here on
  this.rtcPeerConnection = browser.rtcPeerConnection;
  this.audioElement = browser.audioElement;
  this.inputDeviceId = browser.inputDeviceId;
  this.quality.attach(browser.rtcPeerConnection, this.webPhone.options.callQuality, (c) => this['onMediaConnectionState'](c));
}
