// RingCentral's JSON INFO commands for CallSession (spec §7.12): call
// recording, flip and park. The core builds the INFO and reads the result
// INFO the server sends back; this sends one command and waits for that
// result. Apart from the 2.x class because it is the server's call control,
// not the call's own state.
//
// Written as CallSession's own method (a function with a `this` parameter,
// called as `doSendJsonCommand.call(this, …)`), for the reasons
// call-reinvite.ts gives: the class keeps its declarations and the
// script-tag build its size. Protected members are reached by index
// (`this['waitFor']`).
import type { CoreCallEvent } from '../core/sip-core.js';
import type CallSession from './index.js';

/**
 * index.ts's RcResult, named through the class: index.ts is default-only in
 * CommonJS, and its types are not named imports there (scripts/cts-types.mjs).
 */
type RcResult = Awaited<ReturnType<CallSession['startRecording']>>;

/** JSON INFO commands wait this long for their result INFO (the original waits forever). */
const RC_INFO_TIMEOUT_MS = 15000;

/**
 * sendJsonCommand(): one command, its result. Rejects when the server answers
 * the INFO with a failure (the original then waits forever), when no result
 * comes in RC_INFO_TIMEOUT_MS, and when the call ends first.
 */
export async function doSendJsonCommand(this: CallSession, command: string, target: string): Promise<RcResult> {
  const call = this['requireCall'](command);
  const r = this.core.ua().rcInfo(call, command, target, performance.now());
  const result = this['waitFor']((e) => e.name === 'rcInfoResult' && e.reqid === r.request, RC_INFO_TIMEOUT_MS);
  result.catch(() => {});
  this.core.check(r, command);
  try {
    const e = (await result) as CoreCallEvent & { name: 'rcInfoResult' };
    // The server refused the INFO itself (no result INFO will follow).
    if (e.status) throw new Error(`${command}: the server refused it (${e.statusLine})`);
    return JSON.parse(e.result) as RcResult;
  } catch (e) {
    if ((e as Error).message === 'timeout') throw new Error(`${command}: no result from the server within ${RC_INFO_TIMEOUT_MS} ms`);
    throw e;
  }
}
