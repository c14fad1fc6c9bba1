import SipMessage from '../index.js';

/** A message we sent (spec §2.10), as carried by `outboundMessage` events. */
export default class OutboundMessage extends SipMessage {
  constructor(subject = '', headers: Record<string, string> = {}, body = '') {
    super(subject, headers, body);
    this.direction = 'outbound';
  }
}
