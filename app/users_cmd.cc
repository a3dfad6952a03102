// autoriza users add|list|disable|reset-password: users of the providers' portal
// (adapters/auth/portal_users.h) on a stopped server's store; a running
// server takes the same through its ops API (POST /v1/admin/users). Every
// change is a reference event; a password is printed once and only its
// scrypt hash is kept. A user added here must change the password at the
// first sign-in.
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>

#include "adapters/auth/portal_users.h"
#include "app/cli_common.h"
#include "app/commands.h"
#include "engine/core/clock.h"

namespace autoriza::cli {

namespace {

struct UsersOptions {
  std::string store = "autoriza-data";
  auth::PortalUserSpec spec;
  std::string providers;  // comma-separated
  std::string password;   // empty: a random one
};

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string part; std::getline(in, part, ',');) {
    if (!part.empty()) out.push_back(part);
  }
  return out;
}

std::unique_ptr<Engine> open_store(const std::string& store) {
  EngineOptions eo;
  eo.store = store;
  return open_engine(eo);
}

int add(UsersOptions o) {
  auto engine = open_store(o.store);
  if (!engine) return 1;
  o.spec.providers = split_commas(o.providers);
  std::string password;
  if (Status s = auth::add_portal_user(*engine, o.spec, o.password, true, wall_clock_now(), &password); !s) {
    std::cerr << "autoriza users add: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "usuario " << o.spec.user << "\ncontraseña inicial " << password
            << "\n(se muestra una sola vez; se cambia en el primer ingreso)\n";
  return 0;
}

int list(const std::string& store) {
  auto engine = open_store(store);
  if (!engine) return 1;
  std::cout << std::left << std::setw(18) << "USER" << std::setw(32) << "NAME" << std::setw(24) << "PROVIDERS"
            << "STATE\n";
  for (const fb::PortalUserT& u : auth::list_portal_users(*engine->reference())) {
    std::string providers;
    for (const std::string& p : u.providers) providers += (providers.empty() ? "" : ",") + p;
    std::cout << std::setw(18) << u.user << std::setw(32) << u.name << std::setw(24) << providers
              << (u.disabled ? "disabled" : u.must_change_password ? "must change password" : "active") << "\n";
  }
  return 0;
}

int disable(const std::string& store, const std::string& user) {
  auto engine = open_store(store);
  if (!engine) return 1;
  if (Status s = auth::disable_portal_user(*engine, user, wall_clock_now()); !s) {
    std::cerr << "autoriza users disable: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "usuario " << user << " deshabilitado\n";
  return 0;
}

int reset_password(const std::string& store, const std::string& user) {
  auto engine = open_store(store);
  if (!engine) return 1;
  std::string password;
  if (Status s = auth::reset_portal_password(*engine, user, wall_clock_now(), &password); !s) {
    std::cerr << "autoriza users reset-password: " << s.to_string() << "\n";
    return 1;
  }
  std::cout << "usuario " << user << "\ncontraseña inicial " << password
            << "\n(se muestra una sola vez; se cambia en el primer ingreso)\n";
  return 0;
}

}  // namespace

Run add_users(CLI::App& app) {
  auto o = std::make_shared<UsersOptions>();
  auto target = std::make_shared<std::string>();
  app.require_subcommand(1);
  CLI::App* a = app.add_subcommand("add", "Add a user of the providers' portal (prints its initial password once)");
  a->add_option("--store", o->store, "Store folder")->capture_default_str();
  a->add_option("--user", o->spec.user, "Login name")->required();
  a->add_option("--name", o->spec.name, "Full name")->required();
  a->add_option("--email", o->spec.email, "E-mail (password recovery)");
  a->add_option("--phone", o->spec.phone, "Phone");
  a->add_option("--providers", o->providers, "Provider ids the user acts for, comma-separated")->required();
  a->add_option("--password", o->password, "Initial password (default: a random one)");
  CLI::App* l = app.add_subcommand("list", "List the portal's users");
  l->add_option("--store", o->store, "Store folder")->capture_default_str();
  CLI::App* d = app.add_subcommand("disable", "Disable a user (it can no longer sign in)");
  d->add_option("--store", o->store, "Store folder")->capture_default_str();
  d->add_option("user", *target, "Login name")->required();
  CLI::App* r = app.add_subcommand("reset-password",
                                   "A new random initial password (printed once; changed at the first sign-in)");
  r->add_option("--store", o->store, "Store folder")->capture_default_str();
  r->add_option("user", *target, "Login name")->required();
  return [o, target, a, l, d, r]() {
    if (a->parsed()) return add(*o);
    if (l->parsed()) return list(o->store);
    if (d->parsed()) return disable(o->store, *target);
    if (r->parsed()) return reset_password(o->store, *target);
    return 2;
  };
}

}  // namespace autoriza::cli
