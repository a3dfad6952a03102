// The sample family of a development store (docs/decisions.md, "Sample
// accounts"): `autoriza serve` registers the first family group of the
// padrón that has an active titular with an e-mail and an active member,
// through the same commands the app sends (registration, then the mailed
// code), and keeps their passwords in STORE/dev-affiliates.csv (mode 0600)
// so that the README's first command can say how to sign in as each.
#include <spdlog/spdlog.h>

#include <fstream>
#include <future>
#include <iostream>
#include <sys/stat.h>

#include "adapters/service/api_util.h"
#include "adapters/service/service.h"
#include "app/cli_common.h"
#include "engine/core/secrets.h"

namespace autoriza::cli {

namespace {

struct DevAffiliate {
  std::string document, password, credential, role;  // role: titular | integrante
};

// The titular and one member of the first suitable family (by credential).
std::vector<const fb::AffiliateT*> sample_family(const Reference& ref) {
  std::vector<std::string> titulars;
  for (const auto& [credential, a] : ref.affiliates) {
    if (a.titular == credential && a.status == fb::AffiliateStatus::ACTIVE && !a.email.empty()) titulars.push_back(credential);
  }
  std::sort(titulars.begin(), titulars.end());
  for (const std::string& t : titulars) {
    for (const std::string& c : ref.family(t)) {
      const fb::AffiliateT* member = ref.affiliate(c);
      if (c != t && member && member->status == fb::AffiliateStatus::ACTIVE) return {ref.affiliate(t), member};
    }
  }
  return {};
}

Outcome submit_and_wait(Engine& engine, fb::CommandUnion command) {
  std::promise<Outcome> answered;
  engine.submit(std::move(command), wall_clock_now(), [&answered](Outcome o) { answered.set_value(std::move(o)); });
  return answered.get_future().get();
}

// Registers a (registration and its confirmation, as the app does).
Status register_account(Engine& engine, const KeyRing& keys, const fb::AffiliateT& a, const std::string& email,
                        const std::string& password) {
  const std::string code = random_digits(6);
  const std::string context = "code:" + a.doc_number;
  fb::RegisterCmdT r{};
  r.request_id = "dev-register-" + a.doc_number, r.document = a.doc_number, r.birth_day = a.birth_day, r.email = email;
  r.password_hash = password_hash(password);
  r.sealed_code = bytes_of(seal(keys, code, context));
  fb::CommandUnion u;
  u.Set(std::move(r));
  Outcome o = submit_and_wait(engine, std::move(u));
  if (o.status && o.result->status != fb::Status::VERIFICATION_SENT) o.status = Status::invalid(o.result->message);
  if (!o.status) return o.status;
  fb::RegisterConfirmCmdT c{};
  c.request_id = "dev-confirm-" + a.doc_number, c.document = a.doc_number, c.sealed_code = bytes_of(seal(keys, code, context));
  u.Set(std::move(c));
  o = submit_and_wait(engine, std::move(u));
  if (o.status && o.result->status != fb::Status::REGISTERED) o.status = Status::invalid(o.result->message);
  return o.status;
}

Status write_csv(const std::filesystem::path& csv, const std::vector<DevAffiliate>& people) {
  const std::filesystem::path tmp = csv.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) return Status::io_error("cannot write " + tmp.string());
    ::chmod(tmp.c_str(), 0600);  // before any password is written
    out << "document,password,credential,role\n";
    for (const DevAffiliate& p : people) out << p.document << "," << p.password << "," << p.credential << "," << p.role << "\n";
    if (!out.flush()) return Status::io_error("cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, csv, ec);
  return ec ? Status::io_error("cannot rename " + tmp.string() + ": " + ec.message()) : Status::ok();
}

std::vector<DevAffiliate> read_csv(const std::filesystem::path& csv) {
  std::vector<DevAffiliate> out;
  std::ifstream in(csv);
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    for (size_t start = 0;;) {
      const size_t comma = line.find(',', start);
      f.push_back(line.substr(start, comma - start));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    if (f.size() == 4) out.push_back({f[0], f[1], f[2], f[3]});
  }
  return out;
}

// Makes the sample family's accounts; empty when the store has none to make.
Status make_family(Engine& engine, std::vector<DevAffiliate>* people) {
  const KeyRing* keys = keys_of(engine);
  if (!keys) return Status::ok();
  const ReferencePtr ref = engine.reference();
  const std::vector<const fb::AffiliateT*> family = sample_family(*ref);
  for (const fb::AffiliateT* a : family) {
    fb::AccountStateT existing;
    if (engine.account(a->doc_number, &existing).is_ok()) continue;  // someone registered it: not ours to show
    const std::string password = "afiliado-" + random_digits(6);
    if (Status s = register_account(engine, *keys, *a, family[0]->email, password); !s) return s;
    people->push_back({a->doc_number, password, a->credential, a == family[0] ? "titular" : "integrante"});
  }
  return Status::ok();
}

}  // namespace

bool prepare_affiliates(Engine& engine, const std::string& store, const std::string& public_url) {
  const std::filesystem::path dir(store);
  if (!std::filesystem::exists(dir / "dev-keys.csv")) return true;  // not a development store
  const std::filesystem::path csv = dir / "dev-affiliates.csv";
  std::vector<DevAffiliate> people;
  if (std::filesystem::exists(csv)) {
    people = read_csv(csv);
  } else {
    Status s = make_family(engine, &people);
    if (s) s = write_csv(csv, people);
    if (!s) {
      spdlog::error("serve: cannot register the sample family: {}", s.to_string());
      return false;
    }
  }
  if (people.empty()) return true;
  const ReferencePtr ref = engine.reference();
  std::cout << "affiliates' app: " << public_url << "/afiliados/ (sample family, also in " << csv.string() << "):" << std::endl;
  for (const DevAffiliate& p : people) {
    const fb::AffiliateT* a = ref->affiliate(p.credential);
    std::cout << "  " << p.role << " " << (a ? display_name(*a) : p.credential) << "  DNI " << p.document << "  contraseña "
              << p.password << std::endl;
  }
  return true;
}

}  // namespace autoriza::cli
