// The error a registration failure rejects `start()`/`register()` with, and
// the one `registrationFailed` emits (README "Registration errors"). Its
// `message` is ringcentral-web-phone 2.x's text ("Registration failed: SIP/2.0
// 403 Forbidden"); the rest comes from the core's classification
// (core/reg/registration.hpp RegFailure). Also `WebPhone.RegistrationError`.
import type { RegistrationErrorCode } from './types.js';

export class RegistrationError extends Error {
  /** What happened, and so what the app must do (README "Registration errors"). */
  declare readonly code: RegistrationErrorCode;
  /** The SIP status (408 when the server said nothing, 503 when the transport closed). */
  declare readonly status: number;
  /** The response's reason phrase ("Too Many Contacts"); the standard one when no response came. */
  declare readonly reason: string;
  /** The server's `Retry-After` in ms (RFC 3261 §20.33); 0 when it sent none. */
  declare readonly retryAfterMs: number;

  constructor(
    message: string,
    detail: { code: RegistrationErrorCode; status: number; reason: string; retryAfterMs: number },
  ) {
    // `name` stays "Error", so `String(error)` reads as in 2.x.
    super(message);
    Object.assign(this, detail);
  }
}
