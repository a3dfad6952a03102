#pragma once
// Query latencies over folded projections, as the HTTP API would answer
// them (the call plus the JSON text of the answer; no network):
//   register         GET /v1/providers/{p}/register?from=&to=  (one month, 100 rows a page,
//                    pages 1-5 reached by following `next`; every page timed)
//   register-amount  the same ordered by amount (sorts the month in memory)
//   billing          GET /v1/providers/{p}/billing/{YYYY-MM}
//   history          GET /v1/affiliates/{c}/history (a titular's includes the family)
// Providers, months and affiliates are drawn uniformly (seeded).
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "bench/loadgen/histogram.h"
#include "projections/projections.h"

namespace autoriza::bench {

struct QueryPlan {
  std::vector<std::string> providers;  // ids to draw from
  std::vector<std::string> months;     // "YYYY-MM" the log spans
  size_t affiliates = 0;               // generated affiliates (Padron::credential(i))
  size_t queries = 2'000;              // calls per kind
  uint64_t seed = 7;
};

struct QueryStats {
  std::string name;
  Histogram latency;
  uint64_t rows = 0;     // items answered, all calls
  uint64_t errors = 0;   // calls that failed (counted, not timed)
  std::string first_error;
};

// Runs every kind in turn; progress once per kind.
std::vector<QueryStats> measure_queries(const Projections& projections, const QueryPlan& plan, std::ostream& progress);

}  // namespace autoriza::bench
