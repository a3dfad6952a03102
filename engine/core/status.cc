#include "engine/core/status.h"

#include <cstdio>
#include <cstdlib>

namespace autoriza {

void invariant_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "autoriza: invariant broken: %s at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace autoriza
