// `ice` option (README "ICE"): what the SDK-managed peer connection gathers
// and how long it waits. Non-trickle signalling (spec §6.2) sends the offer
// or answer once gathering is done, so the wait is call-setup time: a hard
// cap, and a short grace after the first server-reflexive or relay candidate
// (the one a NAT'd peer needs; more of them rarely help). With no STUN or
// TURN server there is nothing to wait for past the UDP host candidates:
// Chromium's port allocator gathers in phases (UDP, relay, TCP), so its TCP
// host candidates come ~100 ms later (113 ms measured on loopback), and
// those are `tcptype active` (RFC 6544 §4.5), which pair only with a peer's
// passive ICE-TCP candidate; few SIP media servers offer one. `hostGrace`
// as long as the cap waits for them.

/** `ice` option; durations in ms. */
export interface IceOptions {
  /** Never wait longer than this for gathering before sending the SDP. Default 2000 (the original's fixed wait). */
  gatheringTimeout?: number;
  /** After the first srflx or relay candidate, wait at most this much more. Default 300. */
  gatheringGrace?: number;
  /**
   * With no STUN or TURN server, after the first UDP host candidate wait at
   * most this much more. Default 50: the UDP host candidates of every network
   * come together, the TCP ones (active only) ~100 ms later. Set it to
   * `gatheringTimeout` to wait for those too.
   */
  hostGrace?: number;
  /** TURN (or extra STUN) servers, as RTCIceServer; `sipInfo.stunServers` are added as `stun:` URLs. */
  iceServers?: RTCIceServer[];
  /** `'relay'`: only TURN candidates (no host or srflx address leaves the browser). Default `'all'`. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** Candidates gathered ahead of the first call (RTCConfiguration.iceCandidatePoolSize). Default 0. */
  iceCandidatePoolSize?: number;
}

export type IceSettings = Required<Omit<IceOptions, 'iceServers'>> & { iceServers: RTCIceServer[] };

export const ICE_DEFAULTS = { gatheringTimeout: 2000, gatheringGrace: 300, hostGrace: 50, iceTransportPolicy: 'all', iceCandidatePoolSize: 0 } as const;

/** The settings for one call, from the option and `sipInfo.stunServers`; throws a clear error for a bad option. */
export function iceSettings(options: IceOptions | undefined, stunServers: string[] = []): IceSettings {
  if (options !== undefined && (options === null || typeof options !== 'object')) throw new Error('ice must be an object');
  const o = options ?? {};
  for (const k of Object.keys(o)) {
    if (!(k in ICE_DEFAULTS) && k !== 'iceServers') throw new Error(`ice.${k} is not an option (${[...Object.keys(ICE_DEFAULTS), 'iceServers'].join(', ')})`);
  }
  const s: IceSettings = {
    ...ICE_DEFAULTS,
    ...o,
    iceServers: [...stunServers.map((h) => ({ urls: `stun:${h}` })), ...(o.iceServers ?? [])],
  };
  for (const k of ['gatheringTimeout', 'gatheringGrace', 'hostGrace', 'iceCandidatePoolSize'] as const) {
    if (typeof s[k] !== 'number' || !(s[k] >= 0)) throw new Error(`ice.${k} must be a number >= 0, got ${String(s[k])}`);
  }
  if (s.iceTransportPolicy !== 'all' && s.iceTransportPolicy !== 'relay')
    throw new Error(`ice.iceTransportPolicy must be 'all' or 'relay', got ${String(s.iceTransportPolicy)}`);
  if (s.iceTransportPolicy === 'relay' && !s.iceServers.some((srv) => [srv.urls].flat().some((u) => /^turns?:/.test(u))))
    throw new Error("ice.iceTransportPolicy 'relay' needs a TURN server in ice.iceServers (turn: or turns: URL)");
  return s;
}
