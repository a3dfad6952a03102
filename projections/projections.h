#pragma once
// The read side (issue 4): per-provider register, billing by month, the audit
// queue and affiliate history, folded from the event log into their own
// RocksDB (key layout in store.h, lifecycle in fold.h). They read events
// only, never the validator's state, and can be rebuilt by deleting their
// directory: a rebuild folds the log again and reaches the same bytes
// (digest()).
//
// Consistency: eventual. The follower (start()) folds what the engine
// committed as soon as notify() says so, else every 20 ms; a fold commits
// its rows and the checkpoint together, so a crash never half-applies an
// event. All four projections share one checkpoint (they fold in one batch).
// A long catch-up writes each full batch on a second thread while it folds
// the next (fold_pipeline.h).
//
// Lists answer {"items": [...], "next": CURSOR_OR_NULL}; pass next back as
// `after` for the following page. Cursors are opaque (base64url of a key).
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/journal.h"

namespace autoriza {

inline constexpr size_t kPageLimitMax = 1000;   // rows per page
inline constexpr size_t kSortRowsMax = 10'000;  // order_by other than date sorts at most this many rows in memory
inline constexpr size_t kScanRowsMax =
    100'000;  // rows a page may skip while filtering; beyond: a short page and a cursor
inline constexpr size_t kHistoryCredentialsMax = 64;
inline constexpr size_t kBillingItemsMax = 20'000;  // items listed in a billing answer (totals always cover every item)

// GET /v1/providers/{id}/register. from/to: local days of the order, inclusive.
// annulled: include | exclude | only. order_by: date (order time) | credential |
// practice (code) | amount (total, ascending); ties go by date.
struct RegisterQuery {
  std::string provider;
  std::optional<LocalDay> from, to;
  std::string annulled = "include";
  // Rows of one transaction (an order, its SAP, a consumption or an
  // annulment of it) and of one credential; empty: any.
  std::string transaction, credential;
  std::string order_by = "date";
  // "asc" or "desc"; empty: newest last by date, largest first by amount,
  // ascending by credential and practice.
  std::string order;
  std::string after;
  size_t limit = 100;
};

// GET /v1/audits. status: a SAP status or a comma-separated list of them
// (empty: any); from/to: local days the SAP was opened. Oldest first (a queue).
struct AuditQuery {
  std::string status, provider;
  std::optional<LocalDay> from, to;
  std::string after;
  size_t limit = 100;
};

struct HistoryQuery {
  std::string after;
  size_t limit = 100;
};

class Projections {
 public:
  // dir: the projections' own RocksDB (created if missing); log: the event log
  // (read only; must outlive this).
  static std::unique_ptr<Projections> open(const Journal& log, std::filesystem::path dir, Status* status);
  ~Projections();  // stops the follower thread

  // Folds every event not folded yet, synchronously; thread-safe.
  Status catch_up(size_t* applied = nullptr);
  // Background follower: catch_up after notify() or every 20 ms.
  void start();
  // The engine committed events (cheap, non-blocking).
  void notify();

  // {"items","next"}; kInvalidRequest on a bad parameter (field named).
  Status register_rows(const RegisterQuery& query, nlohmann::json* out) const;
  // Month "YYYY-MM": {"provider","month","closed","items","totals",...}.
  Status billing(std::string_view provider, std::string_view month, nlohmann::json* out) const;
  Status audits(const AuditQuery& query, nlohmann::json* out) const;  // {"items","next"}
  Status audit(std::string_view sap, nlohmann::json* out) const;      // kNotFound if unknown
  // credential first, then (when it is a titular) the other members of its
  // family group, from the projection's index: O(members), no scan of the
  // padron. An affiliate the projections have not seen yet: just itself.
  Status family(std::string_view credential, std::vector<std::string>* credentials) const;
  // Entries of these credentials (the caller expands a family group), newest first.
  Status history(const std::vector<std::string>& credentials, const HistoryQuery& query, nlohmann::json* out) const;
  // [{"name":"register","position":{"0":123},"lag":0,"lag_ms":0}, ...]:
  // position = last sequence folded per stream; lag = events in the log not
  // folded yet; lag_ms = how long the oldest of them has waited (wall clock
  // now minus its command time, which is the server's clock when the
  // command arrived; 0 when lag is 0). All four share one checkpoint.
  nlohmann::json positions() const;
  // Called after every batch of the fold is in the store, with the
  // checkpoint (last sequence folded per stream) it reached, on the thread
  // that wrote it. For measurements (bench_projections --follow-rate);
  // keep it short.
  using FoldListener = std::function<void(const std::map<PartitionId, Sequence>& checkpoint)>;
  void set_fold_listener(FoldListener listener);
  // Hex SHA-256 of every projection's data (checkpoint excluded).
  Status digest(std::string* hex) const;

 private:
  struct Impl;
  explicit Projections(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The register and billing as files (CSV, HTML, PDF, TXT) are laid out by
// adapters/print/reports.h from these answers.

}  // namespace autoriza
