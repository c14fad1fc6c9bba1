// Call end reasons the SDK itself decides (CallSession.endReason; the core's
// own, such as "remote hangup", come with its callEnded events).

/** An outbound call hung up while call() was still setting up its media: no INVITE went out. */
export const CANCELLED_BEFORE_INVITE = 'cancelled before the INVITE was sent';
