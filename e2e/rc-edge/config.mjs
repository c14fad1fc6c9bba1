// @ts-check
/**
 * rc-edge configuration: the address everything binds to, the start options
 * (EdgeOptions) and the run-time tunables (EdgeConfig) with their defaults.
 * @module rc-edge/config
 */

/** @typedef {import('./model.mjs').Ext} Ext */

/** The only address the edge binds or advertises. */
export const HOST = '127.0.0.1';

/**
 * @typedef {Object} EdgeOptions
 * @property {number} [wsPort=16080]   plain ws:// SIP port (our own SDK's demo)
 * @property {number} [wssPort=16443]  wss:// SIP port (what the RC SDK always opens)
 * @property {number} [httpPort=16081] control API (+ optional static files)
 * @property {string} [certDir]        where cert.pem/key.pem live (generated if missing)
 * @property {boolean} [tlsOptional]   no certificate (openssl missing): serve ws:// only and say why
 *           in `GET /api/health` (`wssError`) instead of failing to start (the test kit with
 *           `transport: 'ws'`)
 * @property {'wss'|'ws'} [transport]  the transport the starter uses by default, reported by
 *           `GET /api/health` so that a client connecting later (`connectTestServer`) agrees
 * @property {string} [directory]      path of the extension directory JSON
 * @property {Ext[]} [extensions]     the extensions themselves (wins over `directory`; the test kit's way)
 * @property {string} [domain]         SIP domain with `extensions` (sip.ringcentral.com)
 * @property {string} [mainNumber]     company number with `extensions` (16505550100)
 * @property {boolean} [debug]         log every SIP message
 * @property {boolean} [quiet]         log nothing (the test kit runs it inside the app's test process)
 * @property {Record<string,string>} [static] URL prefix → directory served by the control server
 * @property {Partial<EdgeConfig>} [config]
 * @property {string} [stateFile]      keep bindings and established calls in this JSON file, written
 *           on every change and read at start, so a restarted edge keeps them (store.mjs)
 */

/**
 * Tunables, all changeable at run time with `POST /api/config`.
 * @typedef {Object} EdgeConfig
 * @property {number} grantExpires     seconds granted in REGISTER 200 (`Contact …;expires=`)
 * @property {number} expiryGraceMs    a binding lives grantExpires*1000 + this
 * @property {number} maxInstances     distinct +sip.instance per extension (6th → 603)
 * @property {boolean} outage          true: REGISTERs are read and ignored (no response at all)
 * @property {number} ringTimeoutMs    unanswered forks are CANCELled after this; caller gets 480
 * @property {number} unansweredFinalMs after decline/voicemail the caller keeps ringing this long, then 480
 * @property {number} infoResultDelayMs delay between the INFO 200 and the JSON result INFO
 * @property {number} notifyGapMs      gap between REFER 202 / NOTIFYs / BYEs
 * @property {{sts?:string,resp?:string,extNfo?:string,delayMs?:number}|null} autoReply
 *           when set, a Cmd 14 reply is closed by SessionClose automatically after delayMs
 * @property {string} callIdHeader     spelling of Call-ID in messages we originate (RC SDK needs "Call-Id")
 * @property {number} reinviteRelayDelayMs  an ICE-restart re-INVITE waits this long before it is relayed to
 *           the peer (0); tests make two phones' re-INVITEs cross with it (glare, RFC 3261 §14.1)
 * @property {boolean} earlyMedia      relay a callee's 183 with SDP (its early media) to the caller as a
 *           second 183 with that SDP (false: ringcentral-web-phone 2.x fails a call on a second
 *           provisional, rc-web-phone-spec §7.1 step 6)
 */

/** @type {EdgeConfig} */
export const DEFAULT_CONFIG = {
  grantExpires: 60,
  expiryGraceMs: 2000,
  maxInstances: 5,
  outage: false,
  ringTimeoutMs: 60000,
  unansweredFinalMs: 8000,
  infoResultDelayMs: 30,
  notifyGapMs: 30,
  autoReply: null,
  callIdHeader: 'Call-Id',
  reinviteRelayDelayMs: 0,
  earlyMedia: false,
};
