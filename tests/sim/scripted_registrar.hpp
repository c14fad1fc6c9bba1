// A scripted SIP registrar for the simulator (RFC 3261 §10.3, digest per
// RFC 2617 without qop). It is deliberately simple and stateless per request:
// it answers whatever reaches it, so a duplicated REGISTER gets duplicated
// answers, as a real stateless front end might produce.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/auth/md5.hpp"
#include "core/msg/parser.hpp"
#include "core/msg/reply.hpp"

namespace wwp::sim {

class ScriptedRegistrar {
 public:
  struct Script {
    std::string realm = "sim.example.test";
    std::string nonce = "simnonce1";
    std::string authorization_id;  ///< expected digest username
    std::string password;
    bool challenge = true;     ///< 401 every REGISTER without Authorization
    bool send_trying = false;  ///< 100 Trying before every final
    std::uint32_t expires = 60;
  };

  explicit ScriptedRegistrar(Script script) : script_(std::move(script)) {}

  /// One frame in, the frames to send back.
  std::vector<std::string> handle(const std::string& bytes) {
    std::vector<std::string> out;
    auto parsed = msg::parse(bytes);
    if (!parsed || !parsed->is_request() || parsed->method() != "REGISTER") return out;
    const msg::Message& req = *parsed;
    ++registers_;
    if (script_.send_trying) out.push_back(msg::make_reply(req, 100).to_string());
    const auto auth = req.get("Authorization");
    if (script_.challenge && !auth) {
      msg::Message r = msg::make_reply(req, 401, "regtag");
      r.add("WWW-Authenticate", "Digest realm=\"" + script_.realm + "\", nonce=\"" + script_.nonce +
                                    "\", algorithm=MD5");
      out.push_back(r.to_string());
      return out;
    }
    if (script_.challenge && !valid(std::string(*auth))) {
      out.push_back(msg::make_reply(req, 403, "regtag").to_string());
      return out;
    }
    ++bindings_;
    msg::Message ok = msg::make_reply(req, 200, "regtag");
    if (const auto contact = req.get("Contact")) {
      // Grant our own interval, keeping the UA's URI (RFC 3261 §10.3 step 8).
      std::string c(*contact);
      const auto e = c.find(";expires=");
      if (e != std::string::npos) c.erase(e);
      ok.add("Contact", c + ";expires=" + std::to_string(script_.expires));
    }
    out.push_back(ok.to_string());
    return out;
  }

  int registers() const { return registers_; }
  int bindings() const { return bindings_; }

 private:
  static std::optional<std::string> field(const std::string& h, const std::string& name) {
    const auto p = h.find(name + "=\"");
    if (p == std::string::npos) return std::nullopt;
    const auto b = p + name.size() + 2;
    const auto e = h.find('"', b);
    if (e == std::string::npos) return std::nullopt;
    return h.substr(b, e - b);
  }
  bool valid(const std::string& h) const {
    const auto user = field(h, "username");
    const auto uri = field(h, "uri");
    const auto response = field(h, "response");
    if (!user || !uri || !response || *user != script_.authorization_id) return false;
    const std::string ha1 = auth::md5_hex(*user + ":" + script_.realm + ":" + script_.password);
    const std::string ha2 = auth::md5_hex("REGISTER:" + *uri);
    return *response == auth::md5_hex(ha1 + ":" + script_.nonce + ":" + ha2);
  }

  Script script_;
  int registers_ = 0;
  int bindings_ = 0;
};

}  // namespace wwp::sim
