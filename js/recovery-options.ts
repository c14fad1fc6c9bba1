// `autoRecover` (js/types.ts AutoRecoverOptions) checked and turned into the
// core's RecoveryConfig (core/flow/supervisor.hpp): defaults, ms, percents.
import type { AutoRecoverOptions } from './types.js';

/** `autoRecover` as the core's RecoveryConfig (core/flow/supervisor.hpp); throws on nonsense. */
export function recoveryConfig(opt: boolean | AutoRecoverOptions | undefined, hasBackup: boolean) {
  if (opt === undefined || opt === false) return undefined;
  const o: AutoRecoverOptions = opt === true ? {} : opt;
  if (typeof o !== 'object' || o === null) throw new Error('WebPhone: autoRecover must be true, false or an options object');
  const ms = (name: keyof AutoRecoverOptions, dflt: number, max = 2 ** 31 - 1): number => {
    const v = o[name] ?? dflt;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max)
      throw new Error(`WebPhone: autoRecover.${name} must be a number from 0 to ${max}`);
    return Math.round(v);
  };
  const jitter = o.jitter ?? 0.2;
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) throw new Error('WebPhone: autoRecover.jitter must be a number from 0 to 1');
  const multiplier = o.reconnectTimeMultiplier ?? 2;
  if (typeof multiplier !== 'number' || !(multiplier >= 1 && multiplier <= 100))
    throw new Error('WebPhone: autoRecover.reconnectTimeMultiplier must be a number from 1 to 100');
  return {
    baseDelay: ms('reconnectDelay', 1000), multiplierPct: Math.round(multiplier * 100), maxDelay: ms('reconnectTimeLimit', 10000),
    maxAttempts: ms('reconnectLimit', 0), jitterPct: Math.round(jitter * 100), keepAliveInterval: ms('pingInterval', 25000),
    keepAliveTimeout: ms('pongTimeout', 10000), failoverAfter: ms('failoverAfter', 2), hasBackup,
    primaryReturn: ms('primaryReturnDelay', 300000), callGrace: ms('callRecoveryWindow', 60000),
    connectTimeout: ms('connectTimeout', 10000),
  };
}

