import SipMessage from './index.js';

/** A message received from the server (spec §2.10). */
export default class InboundMessage extends SipMessage {
  /** @internal `direction` of messages built by `fromCore`. */
  static readonly wireDirection = 'inbound';
  constructor(subject = '', headers: Record<string, string> = {}, body = '') {
    super(subject, headers, body);
    this.direction = 'inbound';
  }
}
