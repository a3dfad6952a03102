// GET /openapi.json: the OpenAPI 3.1 document of the route table. Paths,
// methods, roles (x-roles), parameters, bodies and answers come from the
// rows; the schemas they name are openapi_components.json, embedded at build
// time. Built once, on first use.
#include <cassert>
#include <string>

#include "adapters/codec/codec.h"
#include "adapters/service/openapi_assets.h"
#include "adapters/service/route_table.h"

namespace autoriza {
namespace {

Json ref(std::string_view what, std::string_view name) {
  return {{"$ref", "#/components/" + std::string(what) + "/" + std::string(name)}};
}

// "/v1/affiliates/{credential}/card.svg" -> "get_v1_affiliates_credential_card_svg";
// a folder ("/audit/") ends in "_index", apart from the same path without it.
std::string operation_id(const RouteRow& row) {
  std::string id;
  const std::string words = std::string(row.method) + std::string(row.pattern) + (row.pattern.ends_with('/') ? "index" : "");
  for (char c : words) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (word) id += char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    else if (!id.empty() && id.back() != '_') id += '_';
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id;
}

std::vector<std::string> split_list(std::string_view list) {
  std::vector<std::string> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    out.emplace_back(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
  }
  return out;
}

Json roles_of(const RouteRow& row) {
  if (row.access & kOpen) return Json::array({"anyone"});
  Json roles = Json::array();
  const std::pair<uint8_t, const char*> bits[] = {
      {kByProvider, "provider"}, {kByAuditor, "auditor"}, {kByAffiliate, "affiliate"}, {kByAnalyst, "analyst"}};
  for (const auto& [bit, name] : bits) {
    if (row.access & bit) roles.push_back(name);
  }
  roles.push_back("ops");
  return roles;
}

Json parameters_of(const RouteRow& row) {
  Json out = Json::array();
  std::string_view pattern = row.pattern;
  for (size_t open = pattern.find('{'); open != std::string_view::npos; open = pattern.find('{', open + 1)) {
    const size_t close = pattern.find('}', open);
    assert(close != std::string_view::npos);
    out.push_back({{"name", std::string(pattern.substr(open + 1, close - open - 1))},
                   {"in", "path"},
                   {"required", true},
                   {"schema", {{"type", "string"}}}});
  }
  for (const std::string& name : split_list(row.doc.query)) {
    out.push_back({{"name", name}, {"in", "query"}, {"required", false}, {"schema", {{"type", "string"}}}});
  }
  return out;
}

Json answer_of(const RouteRow& row) {
  if (row.doc.types.empty()) return {{"description", "No content"}};
  Json content = Json::object();
  for (const std::string& type : split_list(row.doc.types)) {
    if (type == "application/json") {
      content[type] = {{"schema", ref("schemas", row.doc.answer)}};
    } else if (type == "application/pdf" || type == "image/png" || type == "image/jpeg") {
      content[type] = {{"schema", {{"type", "string"}, {"contentMediaType", type}}}};
    } else {
      content[type] = {{"schema", {{"type", "string"}}}};
    }
  }
  return {{"description", "OK"}, {"content", content}};
}

Json responses_of(const RouteRow& row) {
  Json out = Json::object();
  out[row.doc.types.empty() ? "204" : "200"] = answer_of(row);
  if (row.doc.created) {
    out["201"] = answer_of(row);
    out["201"]["description"] = "Created";
  }
  out["400"] = ref("responses", "BadRequest");
  if (!(row.access & kOpen)) {
    out["401"] = ref("responses", "Unauthenticated");
    out["403"] = ref("responses", "Forbidden");
  }
  if (!(row.access & kOpen) || row.doc.limited) out["429"] = ref("responses", "RateLimited");
  if (row.pattern.find('{') != std::string_view::npos) out["404"] = ref("responses", "NotFound");
  if (row.method == "POST") {
    out["409"] = ref("responses", "Conflict");
    out["503"] = ref("responses", "Unavailable");
  }
  return out;
}

Json operation_of(const RouteRow& row) {
  Json op = {{"operationId", operation_id(row)},
             {"summary", std::string(row.summary)},
             {"x-roles", roles_of(row)},
             {"responses", responses_of(row)}};
  if (Json params = parameters_of(row); !params.empty()) op["parameters"] = std::move(params);
  if (!row.doc.request.empty()) {
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", ref("schemas", row.doc.request)}}}}}};
  } else if (!row.doc.request_types.empty()) {  // a file as it is
    Json content = Json::object();
    for (const std::string& type : split_list(row.doc.request_types)) {
      content[type] = {{"schema", {{"type", "string"}, {"contentMediaType", type}}}};
    }
    op["requestBody"] = {{"required", true}, {"content", content}};
  }
  op["security"] = (row.access & kOpen) ? Json::array({Json::object()}) : Json::array({{{"bearer", Json::array()}}});
  return op;
}

Json error_response(const char* description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", ref("schemas", "Error")}}}}}};
}

std::string build_document() {
  Json components;
  Status s = parse_json(openapi_web::openapi_components_json(), &components);
  AUTORIZA_CHECK(s.is_ok());  // a file of the source tree, parsed by the tests
  components["responses"] = {
      {"BadRequest", error_response("Bad input: what, where (field) and why")},
      {"Unauthenticated", error_response("No valid API key")},
      {"Forbidden", error_response("The key's role or scope may not do this")},
      {"NotFound", error_response("Unknown id")},
      {"Conflict", error_response("The request id was used with another body")},
      {"RateLimited", error_response("Over the key's rate; retry after Retry-After seconds")},
      {"Unavailable", error_response("Overloaded or stopping; retry later with the same request id")}};
  Json paths = Json::object();
  for (const RouteRow& row : route_table()) {
    std::string method(row.method);
    for (char& c : method) c = char(c - 'A' + 'a');
    paths[std::string(row.pattern)][method] = operation_of(row);
  }
  Json doc = {{"openapi", "3.1.0"},
              {"info",
               {{"title", "autoriza"},
                {"version", "1"},
                {"summary", "Real-time validation of health-insurance transactions"},
                {"description", "Commands, queries and pages of `autoriza serve`; the rules are docs/rules.md."}}},
              {"paths", paths},
              {"components", components}};
  return doc.dump(2);
}

}  // namespace

std::string openapi_document() {
  static const std::string document = build_document();
  return document;
}

}  // namespace autoriza
