// `sessionTimers` (js/types.ts SessionTimerOptions) checked and turned into
// the core's Config::session_expires / min_se (core/config/config.hpp).
import type { SessionTimerOptions } from './types.js';

/** RFC 4028 settings for the core; throws on nonsense. Absent: the core's defaults (1800 s, Min-SE 90 s). */
export function sessionTimerConfig(opt: SessionTimerOptions | undefined): { sessionExpires?: number; minSE?: number } {
  if (opt === undefined) return {};
  if (typeof opt !== 'object' || opt === null) throw new Error('WebPhone: sessionTimers must be an options object');
  const seconds = (name: keyof SessionTimerOptions): number | undefined => {
    const v = opt[name];
    if (v === undefined) return undefined;
    // Seconds cross as int32 (wasm/abi.cpp); a day is more than any server asks for.
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 86400)
      throw new Error(`WebPhone: sessionTimers.${name} must be a whole number of seconds from 0 to 86400`);
    return v;
  };
  return { sessionExpires: seconds('expires'), minSE: seconds('minSE') };
}
