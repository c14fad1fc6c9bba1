// Static configuration of one user agent: identity, credentials and timer
// values. Everything the core would otherwise have to look up in the
// environment arrives here (house style §8–§10).
//
// Its own layer (scripts/check-layers.mjs): the registration and the calls
// read it as well as the UA, so it sits below reg/ and call/; txn/ and
// dialog/ take narrower values of their own (txn::TxnConfig).
#pragma once
#include <cstdint>
#include <string>

#include "core/flow/supervisor.hpp"
#include "core/util/time.hpp"

namespace wwp {

struct Config {
  // --- identity (ringcentral-web-phone `sipInfo` names in comments) --------
  std::string username;          ///< user part of our AOR (`sipInfo.username`)
  std::string authorization_id;  ///< digest username (`sipInfo.authorizationId`)
  std::string password;          ///< digest password
  std::string domain;            ///< AOR host, registrar and R-URI host
  /// Stable per-device id for `+sip.instance` (RFC 5626 §4.1). Defaults to
  /// `authorization_id`, as ringcentral-web-phone does.
  std::string instance_id;
  /// Host used in our Via sent-by and Contact: a random `*.invalid` name, as
  /// RFC 7118 §5 suggests for WebSocket clients that have no reachable address.
  std::string contact_host;
  /// `true` for wss:// (Via transport `WSS`, Contact `transport=wss`).
  bool secure_transport = true;
  std::string user_agent = "wasm-web-phone";

  // --- registration (RFC 3261 §10.2) ----------------------------------------
  std::uint32_t register_expires = 60;  ///< seconds requested in Contact `expires`
  /// A REGISTER with no response at all within this time means the transport
  /// is dead (the driver closes the socket). Matches ringcentral-web-phone.
  Duration register_no_answer = 5000;

  // --- transactions (RFC 3261 §17.1.1.1) ------------------------------------
  Duration t1 = 500;
  Duration t2 = 4000;
  Duration t4 = 5000;

  // --- session timers (RFC 4028; core/call/session_timer.hpp) ----------------
  /// Seconds our INVITEs ask for in Session-Expires; 0: ask for none, but
  /// still honour a peer that asks (we always list `Supported: timer`).
  std::uint32_t session_expires = 1800;
  /// Our Min-SE: the shortest interval we accept (422 below it, §9); never
  /// below 90 (§4), whatever is set here.
  std::uint32_t min_se = 90;

  /// Keep a registered phone connected (core/flow/supervisor.hpp); off by
  /// default, as in ringcentral-web-phone 2.x.
  flow::RecoveryConfig recovery;

  /// Seed for tags, branches, Call-IDs and cnonces (house style §10).
  std::uint64_t rng_seed = 0;
};

}  // namespace wwp
