// What a call session needs from the SIP client that drives the core: the
// core handle (commands) and the one place that turns core statuses into
// errors. Implemented by DefaultSipClient.
import type { CoreStatus, CoreUa } from '../core/sip-core.js';
import type { Usages } from '../usages/usages.js';

export interface CallCore {
  /** The live core handle; throws if the client is not started. */
  ua(): CoreUa;
  /** Throws `Error("<action>: <reason>")` for a failed core status, then drains the core. */
  check(status: CoreStatus, action: string): void;
  /** Messages, subscriptions and publications (js/usages/usages.ts). */
  readonly _usages: Usages;
}

/** Identity of the two ends as the core reports it (the shim never parses headers). */
export interface PeerInfo {
  localPeer?: string;
  remotePeer?: string;
  localTag?: string;
  remoteTag?: string;
  localUser?: string;
  remoteUser?: string;
  partyId?: string;
  sessionId?: string;
}
