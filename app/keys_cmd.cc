// autoriza keys add|list|revoke: API keys and client certificates of the
// principals (adapters/auth). On a stopped server's store (--store), through
// a running server's ops API (--url with an ops --key), or in Kafka mode on
// autoriza.reference (--kafka), which every gateway and projections worker
// follows. Every change is a reference event; a new key is printed once and
// only its hash is kept.
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/cli_common.h"
#include "adapters/http/client.h"
#include "engine/core/clock.h"
#include "app/commands.h"
#include "app/kafka_cmd.h"
#include "adapters/kafka/reference_topic.h"
#include "adapters/auth/key_admin.h"
#include <nlohmann/json.hpp>

namespace autoriza::cli {

namespace {

using Json = nlohmann::json;

struct KeysOptions {
  std::string store = "autoriza-data";
  std::string kafka;     // bootstrap servers (or a file holding them): autoriza.reference
  std::string url;       // http://HOST:PORT of a running server
  std::string ops_key;   // its ops key
  std::string principal, role, provider, credential, certificate;
  std::string target;    // revoke: key id or principal
  std::string format = "table";
};

bool remote(const KeysOptions& o) { return !o.url.empty(); }

// One request to a running server's /v1/admin/keys; prints errors.
bool call_remote(const KeysOptions& o, std::string_view method, std::string_view target, const std::string& body,
                 Json* answer) {
  std::string rest = o.url;
  if (rest.starts_with("http://")) rest = rest.substr(7);
  std::string host;
  uint16_t port = 0;
  if (!split_host_port(rest, &host, &port)) {
    std::cerr << "autoriza keys: --url must be http://HOST:PORT, got '" << o.url << "'\n";
    return false;
  }
  HttpClient client;
  // --key, else $AUTORIZA_KEY: a key in the environment is not shown by ps.
  const char* env = std::getenv("AUTORIZA_KEY");
  client.set_api_key(!o.ops_key.empty() ? o.ops_key : env ? env : "");
  int status = 0;
  std::string text;
  Status s = client.connect(host, port);
  if (s) s = client.request(method, target, body, &status, &text);
  if (!s) {
    std::cerr << "autoriza keys: " << s.to_string() << "\n";
    return false;
  }
  *answer = Json::parse(text, nullptr, false);
  if (status != 200) {
    std::cerr << "autoriza keys: " << status << " " << text << "\n";
    return false;
  }
  return true;
}

std::unique_ptr<Engine> open_store(const KeysOptions& o) {
  EngineOptions eo;
  eo.store = o.store;
  return open_engine(eo);
}

// Where the keys are changed: a stopped server's store, or (--kafka)
// autoriza.reference, each role taking the change as it follows the topic.
struct KeyPlace {
  std::unique_ptr<Engine> engine;  // --store
  ReferencePtr current;            // the keys and principals the changes are checked against
  auth::KeyChanges write;
};

// 0, or the exit code (why on stderr).
int open_place(const KeysOptions& o, KeyPlace* place) {
  if (o.kafka.empty()) {
    place->engine = open_store(o);
    if (!place->engine) return 1;
    place->current = place->engine->reference();
    place->write = auth::into_store(*place->engine);
    return 0;
  }
  std::string brokers = o.kafka;
  auto current = std::make_shared<Reference>();
  size_t records = 0;
  if (int rc = read_cluster_reference(&brokers, current.get(), &records, std::cerr); rc != 0) return rc;
  place->current = current;
  place->write = [brokers, current](std::vector<fb::ReferenceRecordUnion> changes, Millis now) {
    ReferenceLoadStats stats;
    return kafka::publish_reference(brokers, changes, now.value, &stats, current.get());
  };
  return 0;
}

void say_where(const KeysOptions& o) {
  if (o.kafka.empty()) return;
  std::cout << "(published to " << kafka::kReferenceTopic
            << ": every gateway and projections worker following it takes it within seconds)\n";
}

int add(const KeysOptions& o) {
  auth::Principal p{o.principal, auth::Role::kAnalyst, o.provider, o.credential, {}};
  if (Status s = auth::parse_role(o.role, &p.role); !s) {
    std::cerr << "autoriza keys add: " << s.to_string() << "\n";
    return 2;
  }
  std::string pem;
  if (!o.certificate.empty()) {
    std::ifstream in(o.certificate);
    std::stringstream text;
    text << in.rdbuf();
    pem = text.str();
    if (!in || pem.empty()) {
      std::cerr << "autoriza keys add: cannot read " << o.certificate << " (or it is empty)\n";
      return 1;
    }
  }
  if (remote(o)) {
    Json answer;
    Json body = {{"principal", p.name}, {"role", o.role}, {"provider", p.provider}, {"credential", p.credential}};
    if (!pem.empty()) body["certificate"] = pem;
    if (!call_remote(o, "POST", "/v1/admin/keys", body.dump(), &answer)) return 1;
    std::cout << "key_id " << answer.value("key_id", "") << "\n";
    if (pem.empty()) std::cout << "key " << answer.value("key", "") << "\n(shown once: only its hash is kept)\n";
    return 0;
  }
  KeyPlace place;
  if (int rc = open_place(o, &place); rc != 0) return rc;
  std::string key, key_id;
  Status s;
  if (!pem.empty()) {
    std::string der;
    s = auth::certificate_der_from_pem(pem, &der);
    if (s) s = auth::add_certificate(*place.current, place.write, p, der, wall_clock_now(), &key_id);
  } else {
    s = auth::add_key(*place.current, place.write, p, wall_clock_now(), &key, &key_id);
  }
  if (!s) {
    std::cerr << "autoriza keys add: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "key_id " << key_id << "\n";
  if (!key.empty()) std::cout << "key " << key << "\n(shown once: only its hash is kept)\n";
  say_where(o);
  return 0;
}

void print_keys(const Json& items, const std::string& format) {
  if (format == "json") {
    std::cout << items.dump(2) << "\n";
    return;
  }
  const char* columns[] = {"key_id", "principal", "role", "provider", "credential", "certificate", "revoked"};
  if (format == "csv") {
    std::cout << "key_id,principal,role,provider,credential,certificate,revoked\n";
  } else {
    std::cout << std::left << std::setw(14) << "KEY_ID" << std::setw(24) << "PRINCIPAL" << std::setw(11) << "ROLE"
              << std::setw(10) << "PROVIDER" << std::setw(15) << "CREDENTIAL" << std::setw(6) << "CERT"
              << "REVOKED\n";
  }
  for (const Json& k : items) {
    if (format == "csv") {
      std::string line;
      for (const char* c : columns) line += (line.empty() ? "" : ",") + (k[c].is_string() ? k[c].get<std::string>() : k[c].dump());
      std::cout << line << "\n";
      continue;
    }
    std::cout << std::left << std::setw(14) << k.value("key_id", "") << std::setw(24) << k.value("principal", "")
              << std::setw(11) << k.value("role", "") << std::setw(10) << k.value("provider", "") << std::setw(15)
              << k.value("credential", "") << std::setw(6) << (k.value("certificate", false) ? "yes" : "no")
              << (k.value("revoked", false) ? "yes" : "no") << "\n";
  }
}

int list(const KeysOptions& o) {
  Json items = Json::array();
  if (remote(o)) {
    Json answer;
    if (!call_remote(o, "GET", "/v1/admin/keys", {}, &answer)) return 1;
    items = answer.value("items", Json::array());
  } else {
    KeyPlace place;
    if (int rc = open_place(o, &place); rc != 0) return rc;
    for (const auto& k : auth::list_keys(*place.current)) {
      items.push_back({{"key_id", k.key_id}, {"principal", k.principal}, {"role", k.role}, {"provider", k.provider},
                       {"credential", k.credential}, {"certificate", k.certificate}, {"revoked", k.revoked}});
    }
  }
  print_keys(items, o.format);
  return 0;
}

int revoke(const KeysOptions& o) {
  size_t revoked = 0;
  if (remote(o)) {
    Json answer;
    if (!call_remote(o, "POST", "/v1/admin/keys/" + o.target + "/revoke", "{}", &answer)) return 1;
    revoked = answer.value("revoked", size_t{0});
  } else {
    KeyPlace place;
    if (int rc = open_place(o, &place); rc != 0) return rc;
    if (Status s = auth::revoke_keys(*place.current, place.write, o.target, wall_clock_now(), &revoked); !s) {
      std::cerr << "autoriza keys revoke: " << s.to_string() << "\n";
      return 1;
    }
  }
  std::cout << "revoked " << revoked << " key(s)\n";
  if (revoked > 0) say_where(o);
  return 0;
}

void add_place_options(CLI::App& app, KeysOptions* o) {
  app.add_option("--store", o->store, "Store of a stopped server")->capture_default_str();
  app.add_option("--url", o->url, "A running server, http://HOST:PORT (its ops API)");
  app.add_option("--key", o->ops_key, "An ops key of that server (with --url; default: $AUTORIZA_KEY, which ps does not show)");
  app.add_option("--kafka", o->kafka,
                 "Kafka mode: the keys of autoriza.reference, which every gateway and projections worker follows "
                 "(bootstrap HOST:PORT,..., or a file holding one)")
      ->excludes("--url");
}

}  // namespace

Run add_keys(CLI::App& app) {
  auto o = std::make_shared<KeysOptions>();
  app.require_subcommand(1);
  CLI::App* add_cmd = app.add_subcommand("add", "Add an API key (printed once) or a client certificate");
  add_place_options(*add_cmd, o.get());
  add_cmd->add_option("--principal", o->principal, "Who: provider-LAB127, auditor-ana, ...")->required();
  add_cmd->add_option("--role", o->role, "provider | auditor | affiliate | analyst | ops")->required();
  add_cmd->add_option("--provider", o->provider, "Role provider: the provider id it acts for");
  add_cmd->add_option("--credential", o->credential, "Role affiliate: the family titular's credential");
  add_cmd->add_option("--certificate", o->certificate, "A client certificate (PEM) instead of a key");
  CLI::App* list_cmd = app.add_subcommand("list", "List keys and certificates (never the keys themselves)");
  add_place_options(*list_cmd, o.get());
  list_cmd->add_option("--format", o->format, "table | csv | json")->check(CLI::IsMember({"table", "csv", "json"}));
  CLI::App* revoke_cmd = app.add_subcommand("revoke", "Revoke a key by id, or every key of a principal");
  add_place_options(*revoke_cmd, o.get());
  revoke_cmd->add_option("target", o->target, "Key id or principal")->required();
  return [o, add_cmd, list_cmd, revoke_cmd] {
    if (add_cmd->parsed()) return add(*o);
    if (list_cmd->parsed()) return list(*o);
    if (revoke_cmd->parsed()) return revoke(*o);
    return 2;
  };
}

}  // namespace autoriza::cli
