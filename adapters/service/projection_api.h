#pragma once
// Read-side endpoints over the projections; the routes are rows of
// adapters/service/route_table.cc. target is the request target (its query
// string holds the filters).
#include <string>
#include <string_view>

#include "adapters/service/service.h"

namespace autoriza {

class Projections;

namespace projection_api {

Reply positions_reply(Projections& p);                                 // GET /v1/projections
// GET /v1/audits and GET /v1/audits/{sap}. own_provider non-empty (a
// provider's key): only that provider's requests (another provider's filter
// is 403, another's SAP answers 404 as unknown).
Reply audits_reply(Projections& p, std::string_view target, const std::string& own_provider);
Reply audit_reply(Projections& p, const std::string& sap, const std::string& own_provider);
// GET /v1/providers/{provider}/register (month empty) or .../billing/{month};
// 404 for a provider the reference does not know.
Reply provider_reply(Engine& engine, Projections& p, const std::string& provider, const std::string& month,
                     std::string_view target);
// GET /v1/affiliates/{credential}/history; a titular's includes the family
// group unless family=no.
Reply history_reply(Engine& engine, Projections& p, const std::string& credential, std::string_view target);

}  // namespace projection_api
}  // namespace autoriza
