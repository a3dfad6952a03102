// Links every object of autoriza_core (whole archive) with nothing but what
// the core declares: the schemas, the standard library and libcrypto. A core
// file that reached for RocksDB, spdlog or an adapter would leave an
// undefined symbol and fail this link, so the build proves the core pure.
// Run as a test, it also decides one thing to show the core works alone.
#include <cstdio>

#include "engine/core/money.h"

int main() {
  const auto cents = autoriza::parse_cents("1234.56");
  if (!cents || cents->value != 123456) {
    std::fprintf(stderr, "core alone: parse_cents(\"1234.56\") is not 123456 cents\n");
    return 1;
  }
  std::printf("engine/core links alone and works: 1234.56 -> %lld cents\n", static_cast<long long>(cents->value));
  return 0;
}
