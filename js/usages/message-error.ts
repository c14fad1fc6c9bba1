// The rejection of `sendMessage()` and `publishPresence()`: the SIP status
// that refused it (404, 480, 403, …), or a synthetic 408/503 when no answer
// came at all (`detail` says which).
export class MessageError extends Error {
  readonly status: number;
  readonly reason: string;
  readonly detail: string;
  constructor(message: string, status: number, reason: string, detail = '') {
    super(message);
    this.name = 'MessageError';
    this.status = status;
    this.reason = reason;
    this.detail = detail;
  }
}
