#include <fstream>

#include "app/cli_common.h"
#include "engine/core/secrets.h"
#include "engine/private_files.h"

namespace autoriza::cli {

std::shared_ptr<const KeyRing> load_keys(const std::filesystem::path& store) {
  Status s;
  KeyRing ring = KeyRing::from_environment(&s);
  if (s) return std::make_shared<const KeyRing>(std::move(ring));
  if (s.kind() != StatusKind::kNotFound) {
    std::cerr << "autoriza: " << kSecretKeysEnv << ": " << s.to_string() << "\n";
    return nullptr;
  }
  const auto file = store / "dev-secret-keys";
  std::ifstream in(file);
  std::string spec;
  if (in && std::getline(in, spec) && KeyRing::parse(spec, &ring).is_ok()) {
    std::cerr << "autoriza: using development keys from " << file.string() << " (set " << kSecretKeysEnv
              << " in production)\n";
    return std::make_shared<const KeyRing>(std::move(ring));
  }
  ring = KeyRing::generate_dev();
  if (Status s = make_private_dir(store); !s) {
    std::cerr << "autoriza: " << s.to_string() << "\n";
    return nullptr;
  }
  {
    std::ofstream out(file, std::ios::trunc);
    if (Status s = make_private_file(file); !s) {  // before the keys are written
      std::cerr << "autoriza: " << s.to_string() << "\n";
      return nullptr;
    }
    out << ring.to_spec() << "\n";
  }
  std::cerr << "autoriza: no " << kSecretKeysEnv << "; generated development keys in " << file.string()
            << " (mode 0600; set " << kSecretKeysEnv << " in production, see ops/keys.md)\n";
  return std::make_shared<const KeyRing>(std::move(ring));
}

}  // namespace autoriza::cli
