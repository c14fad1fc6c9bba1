// Call transfer for CallSession, both ways round, by REFER (RFC 3515): a
// blind transfer, a warm one (Refer-To with Replaces, RFC 3891), and the
// peer's REFER that transfers us. The core builds and answers every REFER and
// NOTIFY; these wait for its events and say how the transfer ended. Apart
// from the 2.x class because none of it is the class's own state.
//
// Written as CallSession's own methods (functions with a `this` parameter,
// called as `doTransfer.call(this, …)`), for the reasons call-reinvite.ts
// gives: the class keeps its declarations and the script-tag build its size.
// Protected members are reached by index (`this['waitFor']`).
import type { CoreCallEvent } from '../core/sip-core.js';
import type CallSession from './index.js';

/** Default REFER completion timeout (spec §7.10), ms. */
export const TRANSFER_TIMEOUT_MS = 10000;

/** transfer(): a blind transfer. */
export async function doTransfer(this: CallSession, target: string, timeout: number): Promise<void> {
  const call = this['requireCall']('transfer');
  const ended = this['waitFor']((e) => e.name === 'callEnded', timeout);
  const refused = this['waitFor']((e) => e.name === 'referDone' && e.status >= 300);
  ended.catch(() => {});
  this.core.check(this.core.ua().refer(call, String(target), performance.now()), 'transfer');
  await this['ending']('transfer', () => awaitTransfer.call(this, ended, refused));
}

/** warmTransfer(): hold this call and call `target`. */
export async function doWarmTransfer(
  this: CallSession,
  target: string,
  options: { callerId?: string; timeout?: number },
): Promise<{ complete: () => Promise<void>; cancel: () => Promise<void>; newSession: CallSession }> {
  await this.hold();
  const newSession = await this.webPhone.call(target, options.callerId);
  return {
    newSession,
    complete: () => this.completeWarmTransfer(newSession, options.timeout ?? TRANSFER_TIMEOUT_MS),
    cancel: async () => {
      await newSession.hangup();
      await this.unhold();
    },
  };
}

/** completeWarmTransfer(): REFER with Replaces. */
export async function doCompleteWarmTransfer(this: CallSession, existing: CallSession, timeout: number): Promise<void> {
  const call = this['requireCall']('completeWarmTransfer');
  if (existing._call === undefined || existing.state !== 'answered')
    throw new Error('completeWarmTransfer: the other call is not answered');
  const ended = this['waitFor']((e) => e.name === 'callEnded', timeout);
  const refused = this['waitFor']((e) => e.name === 'referDone' && e.status >= 300);
  ended.catch(() => {});
  this.core.check(this.core.ua().referReplaces(call, existing._call, performance.now()), 'completeWarmTransfer');
  await this['ending']('transfer', () => awaitTransfer.call(this, ended, refused));
}

async function awaitTransfer(this: CallSession, ended: Promise<CoreCallEvent>, refused: Promise<CoreCallEvent>): Promise<void> {
  try {
    const e = await Promise.race([ended, refused]);
    if (e.name === 'referDone') throw new Error(`transfer refused: ${e.statusLine}`);
  } catch (e) {
    if ((e as Error).message !== 'timeout') throw e;
    throw new Error(
      `"REFER ${this.remotePeer ?? ''}" request timed out. It often means either you don't have permission or the call is not in a correct state.`,
    );
  }
}

/**
 * The peer transferred us (REFER, RFC 3515): call the target (with Replaces
 * for an attended transfer) and report the outcome by NOTIFY; the
 * transferor then ends this call. Emits `referred` with the new session.
 */
export async function actAsTransferee(this: CallSession, e: CoreCallEvent & { name: 'referReceived' }): Promise<void> {
  const call = this._call!;
  const report = (status: number) => {
    if (this.state === 'disposed') return;
    try {
      this.core.check(this.core.ua().referProgress(call, status, performance.now()), 'transfer progress');
    } catch {
      /* the transferor went away; nothing left to tell */
    }
  };
  try {
    const headers = e.replaces ? { Replaces: e.replaces } : undefined;
    const session = await this.webPhone.call(e.target, undefined, headers ? { headers } : undefined);
    this.emit('referred', session);
    report(session.state === 'answered' ? 200 : 480);
  } catch {
    report(503);
  }
}
