#pragma once
// Helpers shared by subcommands.
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>

#include "engine/engine.h"
#include "engine/core/secrets.h"

namespace autoriza::cli {

// Opens the engine or prints why not (what, where) and returns null.
inline std::unique_ptr<Engine> open_engine(const EngineOptions& options) {
  Status s;
  auto engine = Engine::open(options, &s);
  if (!engine) std::cerr << "autoriza: cannot open store " << options.store.string() << ": " << s.to_string() << "\n";
  return engine;
}

// Loads and prints the per-file report; 0 when every file is accepted.
int load_and_report(Engine& engine, const std::filesystem::path& data, std::ostream& out);

// Splits "HOST:PORT"; false when malformed.
bool split_host_port(const std::string& text, std::string* host, uint16_t* port);

// On a store without API keys, creates the development keys (one per
// provider, an auditor, an admin) in STORE/dev-keys.csv and says where they
// are; false when they cannot be made.
bool prepare_keys(Engine& engine, const std::string& store);

// serve --sample-family: on a development store (STORE/dev-keys.csv), registers a sample family
// (a titular and a member) the first time, keeps their passwords in
// STORE/dev-affiliates.csv (mode 0600) and prints how to sign in as each at
// public_url/afiliados/. False when they cannot be registered.
bool prepare_affiliates(Engine& engine, const std::string& store, const std::string& public_url);

}  // namespace autoriza::cli

namespace autoriza::cli {

// The master keys: AUTORIZA_SECRET_KEYS, else STORE/dev-secret-keys (made on
// first use, mode 0600, development only: production sets the variable).
std::shared_ptr<const KeyRing> load_keys(const std::filesystem::path& store);

}  // namespace autoriza::cli
