// `autoriza openapi [--out FILE]`: the OpenAPI 3.1 document of the HTTP API,
// the same bytes `GET /openapi.json` serves (adapters/service/route_table.h),
// for publishing it or validating it without a server (CI does).
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "adapters/service/route_table.h"
#include "app/commands.h"

namespace autoriza::cli {

Run add_openapi(CLI::App& app) {
  auto out = std::make_shared<std::string>();
  app.add_option("--out", *out, "Write the document to FILE instead of standard output");
  return [out]() {
    const std::string document = openapi_document();
    if (out->empty()) {
      std::cout << document << '\n';
      return 0;
    }
    std::ofstream file(*out, std::ios::binary | std::ios::trunc);
    file << document << '\n';
    if (!file.flush()) {
      std::cerr << "autoriza openapi: cannot write " << *out << '\n';
      return 1;
    }
    return 0;
  };
}

}  // namespace autoriza::cli
