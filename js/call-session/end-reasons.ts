// Call end reasons the SDK itself decides (CallSession.endReason; the core's
// own, such as "remote hangup", come with its callEnded events).

/** An outbound call hung up while call() was still setting up its media: no INVITE went out. */
export const CANCELLED_BEFORE_INVITE = 'cancelled before the INVITE was sent';

/** A multi-tab leader handed its calls to another tab: they end here and go on there. */
export const MOVED_TO_ANOTHER_TAB = 'the phone moved to another tab';
