#include "adapters/dev/step_keys.h"

#include "engine/engine.h"

namespace autoriza {

namespace {

// The path's segments ("/v1/providers/LAB127/register?x" -> v1, providers, LAB127, register).
std::vector<std::string_view> path_segments(std::string_view path) {
  path = path.substr(0, path.find('?'));
  std::vector<std::string_view> out;
  constexpr size_t kSegmentsMax = 8;  // deeper paths are routed by their first ones
  while (!path.empty() && out.size() < kSegmentsMax) {
    const size_t start = path.find_first_not_of('/');
    if (start == std::string_view::npos) break;
    path.remove_prefix(start);
    const size_t end = path.find('/');
    out.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view{} : path.substr(end);
  }
  return out;
}

std::string string_member(const Json& body, const char* name) {
  const auto it = body.is_object() ? body.find(name) : body.end();
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Status StepKeys::create(Engine& engine, const std::filesystem::path& store, StepKeys* out) {
  std::vector<auth::DevKey> keys;
  if (Status s = auth::ensure_dev_keys(engine, store / "dev-keys.csv", &keys); !s) return s;
  out->engine_ = &engine;
  for (auth::DevKey& k : keys) out->by_principal_[k.principal] = std::move(k.key);
  const auto admin = out->by_principal_.find("admin");
  const auto auditor = out->by_principal_.find("auditor");
  if (admin == out->by_principal_.end() || auditor == out->by_principal_.end()) {
    return Status::invalid("dev keys without 'admin' or 'auditor' in " + (store / "dev-keys.csv").string());
  }
  out->admin_ = admin->second;
  out->auditor_ = auditor->second;
  return Status::ok();
}

std::string StepKeys::provider_key(std::string_view provider) const {
  const auto it = by_principal_.find("provider-" + std::string(provider));
  return it == by_principal_.end() ? admin_ : it->second;
}

Status StepKeys::affiliate_key(std::string_view credential, std::string* key) {
  const ReferencePtr reference = engine_->reference();  // holds the snapshot while affiliate points into it
  const fb::AffiliateT* affiliate = reference->affiliate(credential);
  if (!affiliate || affiliate->titular.empty() || !reference->affiliate(affiliate->titular)) {
    *key = admin_;
    return Status::ok();
  }
  if (const auto it = affiliate_apps_.find(affiliate->titular); it != affiliate_apps_.end()) {
    *key = it->second;
    return Status::ok();
  }
  // Named by a counter, never by the credential: principal names are logged.
  const std::string titular = affiliate->titular;
  const auth::Principal app{"affiliate-app-" + std::to_string(affiliate_apps_.size() + 1), auth::Role::kAffiliate,
                            {}, titular, {}};
  std::string key_id;
  if (Status s = auth::add_key(*engine_, app, Millis{0}, key, &key_id); !s) return s;
  affiliate_apps_.emplace(titular, *key);
  return Status::ok();
}

Status StepKeys::auditor_key(const std::string& auditor, std::string* key) {
  if (auditor.empty() || auditor == "auditor") {
    *key = auditor_;
    return Status::ok();
  }
  if (const auto it = auditors_.find(auditor); it != auditors_.end()) {
    *key = it->second;
    return Status::ok();
  }
  const auth::Principal principal{auditor, auth::Role::kAuditor, {}, {}, {}};
  std::string key_id;
  if (Status s = auth::add_key(*engine_, principal, Millis{0}, key, &key_id); !s) {
    *key = auditor_;  // a name no key may have: the step meets the service's 403
    return Status::ok();
  }
  auditors_.emplace(auditor, *key);
  return Status::ok();
}

Status StepKeys::query_key(std::string_view path, std::string* key) {
  const std::vector<std::string_view> s = path_segments(path);
  if (s.size() == 1 && s[0] == "healthz") {
    key->clear();
    return Status::ok();
  }
  if (s.size() >= 3 && s[0] == "v1" && s[1] == "providers") {
    *key = provider_key(s[2]);
    return Status::ok();
  }
  if (s.size() >= 3 && s[0] == "v1" && s[1] == "affiliates") return affiliate_key(s[2], key);
  if (s.size() >= 2 && s[0] == "v1" && (s[1] == "transactions" || s[1] == "audits" || s[1] == "practices")) {
    *key = auditor_;
    return Status::ok();
  }
  *key = admin_;
  return Status::ok();
}

Status StepKeys::key_for(const std::string& command, const Json& body, std::string* key) {
  if (command == "query") return query_key(string_member(body, "path"), key);
  if (command == "eligibility" || command == "authorize" || command == "consume" || command == "annul") {
    const std::string provider = string_member(body, "provider");
    *key = provider.empty() ? admin_ : provider_key(provider);
    return Status::ok();
  }
  if (command == "audit_verdict") return auditor_key(string_member(body, "auditor"), key);
  if (command == "token_issue") return affiliate_key(string_member(body, "credential"), key);
  *key = admin_;
  return Status::ok();
}

}  // namespace autoriza
