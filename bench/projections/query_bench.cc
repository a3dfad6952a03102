#include "bench/projections/query_bench.h"

#include <chrono>
#include <ostream>
#include <random>

#include "bench/loadgen/padron.h"

namespace autoriza::bench {

namespace {

constexpr size_t kPagesMax = 5;
constexpr size_t kPageRows = 100;

// First and last local day of "YYYY-MM".
void month_days(const std::string& month, std::optional<LocalDay>* from, std::optional<LocalDay>* to) {
  *from = parse_date(month + "-01");
  AUTORIZA_CHECK(from->has_value());
  const CivilDate c = civil_from_day(**from);
  const int year = c.month == 12 ? c.year + 1 : c.year;
  const int next = c.month == 12 ? 1 : c.month + 1;
  char text[48];
  std::snprintf(text, sizeof text, "%04d-%02d-01", year, next);
  const auto first_of_next = parse_date(text);
  AUTORIZA_CHECK(first_of_next.has_value());
  *to = LocalDay{first_of_next->value - 1};
}

class Runner {
 public:
  Runner(const Projections& p, const QueryPlan& plan) : p_(p), plan_(plan), rng_(plan.seed) {}

  // Times one call (answer and its JSON text); false when it failed.
  template <typename Call>
  bool timed(QueryStats& stats, Call call, nlohmann::json* answer) {
    const int64_t t0 = now_ns();
    Status s = call(answer);
    std::string text = s ? answer->dump() : std::string();
    const int64_t t1 = now_ns();
    if (!s) {
      if (stats.errors++ == 0) stats.first_error = s.to_string();
      return false;
    }
    stats.latency.record(uint64_t(t1 - t0));
    if (answer->contains("items")) stats.rows += (*answer)["items"].size();
    return !text.empty();
  }

  void register_pages(QueryStats& stats, const std::string& order_by) {
    RegisterQuery q;
    q.provider = pick(plan_.providers);
    month_days(pick(plan_.months), &q.from, &q.to);
    q.order_by = order_by;
    q.limit = kPageRows;
    const size_t pages = 1 + std::uniform_int_distribution<size_t>(0, kPagesMax - 1)(rng_);
    for (size_t i = 0; i < pages; ++i) {
      nlohmann::json page;
      if (!timed(stats, [&](nlohmann::json* out) { return p_.register_rows(q, out); }, &page)) return;
      if (page["next"].is_null()) return;
      q.after = page["next"].get<std::string>();
    }
  }

  void billing(QueryStats& stats) {
    const std::string provider = pick(plan_.providers);
    const std::string month = pick(plan_.months);
    nlohmann::json answer;
    timed(stats, [&](nlohmann::json* out) { return p_.billing(provider, month, out); }, &answer);
  }

  void history(QueryStats& stats) {
    AUTORIZA_CHECK(plan_.affiliates > 0);
    const std::string credential =
        Padron::credential(std::uniform_int_distribution<size_t>(0, plan_.affiliates - 1)(rng_));
    nlohmann::json answer;
    timed(stats,
          [&](nlohmann::json* out) {
            std::vector<std::string> credentials;
            if (Status s = p_.family(credential, &credentials); !s) return s;
            HistoryQuery q;
            q.limit = kPageRows;
            return p_.history(credentials, q, out);
          },
          &answer);
  }

 private:
  const std::string& pick(const std::vector<std::string>& from) {
    AUTORIZA_CHECK(!from.empty());
    return from[std::uniform_int_distribution<size_t>(0, from.size() - 1)(rng_)];
  }

  const Projections& p_;
  const QueryPlan& plan_;
  std::mt19937_64 rng_;
};

}  // namespace

std::vector<QueryStats> measure_queries(const Projections& projections, const QueryPlan& plan,
                                        std::ostream& progress) {
  Runner runner(projections, plan);
  std::vector<QueryStats> out(4);
  out[0].name = "register";
  out[1].name = "register-amount";
  out[2].name = "billing";
  out[3].name = "history";
  for (QueryStats& stats : out) {
    const int64_t t0 = now_ns();
    for (size_t i = 0; i < plan.queries; ++i) {
      if (stats.name == "register") runner.register_pages(stats, "date");
      if (stats.name == "register-amount") runner.register_pages(stats, "amount");
      if (stats.name == "billing") runner.billing(stats);
      if (stats.name == "history") runner.history(stats);
    }
    char line[160];
    std::snprintf(line, sizeof line, "queries: %-16s %zu calls, %.1f s, p99 %.2f ms\n", stats.name.c_str(),
                  size_t(stats.latency.count()), double(now_ns() - t0) / 1e9,
                  double(stats.latency.percentile_ns(0.99)) / 1e6);
    progress << line << std::flush;
  }
  return out;
}

}  // namespace autoriza::bench
