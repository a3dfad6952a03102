#pragma once
// The handlers behind rows of the route table (route_table.cc) that live in
// account_api.cc and affiliate_api.cc. Each calls done exactly once.
#include <functional>
#include <string>
#include <string_view>

#include "adapters/service/service.h"

namespace autoriza {

// affiliate_api.cc. format: "json", "svg", "png" or "html".
void get_card_route(Service& service, const std::string& credential, const std::string& format, Millis now,
                    std::function<void(Reply)> done);
void get_family_cards_route(Service& service, const std::string& titular, Millis now, std::function<void(Reply)> done);
Reply verify_card_route(Service& service, std::string_view body, Millis now);
// GET /v1/insurer and /v1/insurer/logo.svg (card/insurer.h).
Reply insurer_route(const Service& service, bool logo);

namespace account_api {

// route: "register", "confirm", "recovery" or "recovery_confirm". A
// refused code counts as a failed authentication of address (the routes
// with a code are refused 429 while address is over its failures).
void post_account(Service& service, const std::string& route, std::string_view body, Millis now,
                  std::string address, std::function<void(Reply)> done);
// link empty: a new share of credential's card; else revokes that link (or
// share id, as list_shares gives it).
void post_share(Service& service, const std::string& credential, const std::string& link, std::string_view body,
                Millis now, std::function<void(Reply)> done);
// GET /v1/affiliates/{credential}/shares: {items: [{id, dni, created, expires}]}.
Reply list_shares(Service& service, const std::string& credential, Millis now);
void get_share(Service& service, const std::string& link, const std::string& dni, Millis now,
               std::function<void(Reply)> done);
// request_id empty: the latest pre-printed issue of credential.
void get_token_sheet(Service& service, const std::string& credential, const std::string& request_id, bool pdf,
                     Millis now, std::function<void(Reply)> done);

}  // namespace account_api
}  // namespace autoriza
