// Public types of messaging, presence and busy lamps (README "Messages,
// presence and busy lamps"). The SIP work is the core's (core/event/,
// core/pres/); these are what it reports, as plain objects.

/** An inbound instant message (RFC 3428), the `message` event of WebPhone. */
export interface InstantMessage {
  /** The sender's SIP URI. */
  from: string;
  /** The sender's display name, "" when the server gave none. */
  displayName: string;
  to: string;
  /** As sent, parameters included (`text/plain;charset=UTF-8`). */
  contentType: string;
  body: string;
  callId: string;
  /** `Date.now()` when it arrived. */
  receivedAt: number;
}

/** A delivered message: the 2xx's status (200, or 202 for "accepted, will deliver"). */
export interface MessageDelivery {
  status: number;
  reason: string;
}

export interface SendMessageOptions {
  /** Default `text/plain`. */
  contentType?: string;
}

/** One watched entity's presence (RFC 3863 PIDF with RFC 4480 activities). */
export interface PresenceStatus {
  entity: string;
  /** `open` when any of its tuples is open (reachable). */
  status: 'open' | 'closed';
  note: string;
  /** The first RPID activity (`away`, `busy`, `on-the-phone`, …), "" when none. */
  activity: string;
  /** The contact of an open tuple, "" when none. */
  contact: string;
}

export interface PublishPresenceOptions {
  status: 'open' | 'closed';
  note?: string;
  /** An RPID activity token (`away`, `busy`, `on-the-phone`, `meeting`, …). */
  activity?: string;
  /** Seconds the server keeps it (refreshed before then); default 3600. */
  expires?: number;
}

export type DialogStateName = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';

/** One dialog of a monitored extension (RFC 4235). */
export interface DialogStateEntry {
  id: string;
  callId: string;
  localTag: string;
  remoteTag: string;
  direction: 'unknown' | 'initiator' | 'recipient';
  state: DialogStateName;
  /** Why it terminated (`cancelled`, `rejected`, `remote-bye`, …), "" otherwise. */
  event: string;
  code: number;
  local: { identity: string; displayName: string; target: string };
  remote: { identity: string; displayName: string; target: string };
}

/** A dialog-info document: the monitored extension's calls. */
export interface DialogInfo {
  entity: string;
  version: number;
  /** `full` state, or a `partial` update of the dialogs listed. */
  full: boolean;
  dialogs: DialogStateEntry[];
  /**
   * The busy lamp: `ringing` while a dialog is trying/proceeding/early and
   * none confirmed, `busy` while one is confirmed, `idle` otherwise. For a
   * partial update it covers the dialogs the subscription has seen so far.
   */
  lamp: 'idle' | 'ringing' | 'busy';
}

export interface SubscriptionStateChange {
  state: 'pending' | 'active' | 'terminated';
  /** Subscription-State reason (`timeout`, `rejected`, …) or the failure. */
  reason: string;
  /** The SIP status that refused the SUBSCRIBE, 0 otherwise. */
  status: number;
  /** Seconds granted (pending/active). */
  expiresIn: number;
  retryAfterMs: number;
}

export interface SubscribeOptions {
  /** Seconds asked for (refreshed before then); default 3600. */
  expires?: number;
}
