#pragma once
// Who sends each scenario step (issue 6: the scenario runner uses the dev
// keys). A file's fresh store gets the keys `autoriza serve` creates on an
// empty store (STORE/dev-keys.csv: one per provider, "auditor", "admin"),
// and every step goes through the service's authenticated path with the
// key of the principal it belongs to:
//   eligibility, authorize, consume, annul  provider-<body.provider>
//   audit_verdict                           the auditor its body names (its
//                                           key made on first use; "auditor"
//                                           when the body names none): the
//                                           verdict carries the key's auditor
//   token_issue                             an affiliate app of the credential's
//                                           family group (its key made on first use)
//   query /v1/providers/{id}/...            provider-<id>
//   query /v1/affiliates/{c}/...            the affiliate app of c's family
//   query /v1/transactions, audits, practices   auditor (may read them all)
//   query /healthz                          no key
//   anything else (admin, projections, unknown commands)   admin
// A provider or credential the reference does not know has no principal: its
// steps go with the admin key, so they meet the engine's own answer
// (PROVIDER_NOT_FOUND...) and not a 403 no scenario asks for.
#include <map>
#include <string>
#include <vector>

#include "adapters/codec/codec.h"
#include "adapters/auth/key_admin.h"

namespace autoriza {

class Engine;

class StepKeys {
 public:
  // Creates the dev keys in engine (whose store is new) and writes
  // store/dev-keys.csv, as serve does.
  static Status create(Engine& engine, const std::filesystem::path& store, StepKeys* out);

  // The API key for a step (empty: none, for open routes). body is the
  // step's body after substitution.
  Status key_for(const std::string& command, const Json& body, std::string* key);

 private:
  std::string provider_key(std::string_view provider) const;
  Status affiliate_key(std::string_view credential, std::string* key);
  Status auditor_key(const std::string& auditor, std::string* key);
  Status query_key(std::string_view path, std::string* key);

  Engine* engine_ = nullptr;
  std::map<std::string, std::string, std::less<>> by_principal_;  // name -> key
  std::string admin_, auditor_;
  std::map<std::string, std::string, std::less<>> affiliate_apps_;  // titular credential -> key; one per family
  std::map<std::string, std::string, std::less<>> auditors_;        // auditor named by a verdict -> its key
};

}  // namespace autoriza
