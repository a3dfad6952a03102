// autoriza bench: placeholder until the load generator lands.
#include <iostream>

#include "commands.h"

namespace autoriza::cli {

Run add_bench(CLI::App& app) {
  return [] {
    std::cerr << "autoriza bench: not built yet\n";
    return 1;
  };
}

}  // namespace autoriza::cli
