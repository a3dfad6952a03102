// Crash test: kill -9 the server during load, restart, and check that every
// acknowledged transaction is there exactly once.
//
// One test, three kill cycles on one store:
//   start `autoriza serve` (WAL sync on, the default) -> 4 client threads send
//   authorize / eligibility / consume with unique request ids -> SIGKILL while
//   requests are in flight -> restart on the same store -> every answer
//   acknowledged so far is in the log, unchanged -> more load -> kill ...
// Then, on a last restart:
//   (a) every acknowledged answer is GET /v1/transactions/{id}, unchanged,
//       under its request id;
//   (b) re-sending every request ever sent (answered or not) answers 200, and
//       an acknowledged one answers the same transaction and answer again;
//   (c) distinct transaction ids == distinct request ids, and a scan of the
//       whole log (T-0-1, T-0-2, ...) finds each request id exactly once and
//       nothing else;
//   (d) after a graceful stop, `autoriza replay` rebuilds equal state.
//
// Environment knobs: AUTORIZA_CRASH_SEED (default 20261102),
// AUTORIZA_KEEP_CRASH_DIRS (keep the temp store for a post-mortem).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/auth/key_admin.h"
#include "adapters/http/client.h"
#include "tests/support/crash_process.h"

namespace autoriza {
namespace {

// The admin key of the server under test (from its dev-keys.csv).
std::string g_api_key;

using Json = nlohmann::json;
using crash::Clock;
using namespace std::chrono_literals;

constexpr int kCycles = 3;                  // kill cycles before the final checks
constexpr int kThreads = 4;                 // load threads, one keep-alive client each
constexpr int kMaxRequestsPerThread = 4000;  // per cycle (the kill normally comes first)
constexpr size_t kKillAtAcked = 1500;       // per cycle: kill once this many were acknowledged...
constexpr auto kKillAfterMin = 800ms;       // ...or after a random time in [min, max]
constexpr auto kKillAfterMax = 1800ms;
constexpr auto kLoadTimeLimit = 15s;        // hard bound of a load phase
constexpr auto kStartTimeout = 60s;         // server ready line
constexpr auto kRequestTimeout = 10s;       // one HTTP exchange
constexpr auto kStopTimeout = 30s;          // SIGTERM to exit
constexpr auto kReplayTimeout = 180s;
constexpr size_t kPipelineChunk = 256;
constexpr size_t kMaxReportedMismatches = 10;

// One local time per cycle (and one for the final retries); all within the
// 30-day window of a prescription of 2026-10-30.
const std::vector<std::string> kCycleTimes = {"2026-11-02T10:00:00-03:00", "2026-11-03T10:00:00-03:00",
                                              "2026-11-04T10:00:00-03:00", "2026-11-05T10:00:00-03:00"};

// ACTIVE affiliates of plans without token (NORMAL, JOVEN), and two that make
// request-level refusals (SUSPENDED; PMO needs a token): results too.
const std::vector<std::string> kActiveCredentials = {"110000783851", "110000783852", "110000783853", "110000783854",
                                                     "354495",       "438908",       "220000100004"};
const std::vector<std::string> kRefusedCredentials = {"220000100002", "220000100001"};
const std::vector<std::string> kLabs = {"LAB127", "LAB200"};
// No frequency limit / a 30-day frequency / needs audit.
const std::vector<std::string> kBiochemCodes = {"000118", "000003", "000012", "000015", "000865", "000016"};

// One request as sent, and what became of it.
struct Sent {
  std::string id;
  std::string command;  // authorize | eligibility | consume
  std::string body;     // exact bytes sent (re-sent as they are)
  std::string at;       // X-Autoriza-Time
  int cycle = 0;
  bool answered = false;  // an HTTP answer came back
  int http = 0;
  std::string answer_body;
  std::string transaction;  // when acknowledged: HTTP 200 with a transaction id
  Json answer;
  std::string durable;  // unanswered, but found in the log after the restart


  bool acknowledged() const { return !transaction.empty(); }
};

struct OrderRef {
  std::string order, provider, credential;
  std::vector<int> items;  // indexes AUTHORIZED (not consumed at once)
};

class OrderPool {
 public:
  void add(OrderRef o) {
    std::lock_guard lock(mutex_);
    orders_.push_back(std::move(o));
  }
  std::optional<OrderRef> pick(std::mt19937_64& rng) {
    std::lock_guard lock(mutex_);
    if (orders_.empty()) return std::nullopt;
    return orders_[std::uniform_int_distribution<size_t>(0, orders_.size() - 1)(rng)];
  }
  size_t size() const {
    std::lock_guard lock(mutex_);
    return orders_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::vector<OrderRef> orders_;
};

template <typename T>
const T& pick(const std::vector<T>& v, std::mt19937_64& rng) {
  return v[std::uniform_int_distribution<size_t>(0, v.size() - 1)(rng)];
}

bool chance(std::mt19937_64& rng, double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; }

// Builds one valid request body (business refusals are fine, 400s are not).
void make_request(Sent* s, std::mt19937_64& rng, OrderPool& orders) {
  const double roll = std::uniform_real_distribution<double>(0, 1)(rng);
  Json body = {{"request_id", s->id}};
  if (roll < 0.20) {
    s->command = "eligibility";
    body["provider"] = pick(kLabs, rng);
    body["credential"] = chance(rng, 0.9) ? pick(kActiveCredentials, rng) : pick(kRefusedCredentials, rng);
  } else if (roll < 0.45 && orders.size() > 0) {
    const OrderRef o = *orders.pick(rng);
    s->command = "consume";
    body["provider"] = o.provider;
    body["credential"] = o.credential;
    body["order"] = o.order;
    body["items"] = Json::array({pick(o.items, rng)});
  } else {
    s->command = "authorize";
    body["provider"] = pick(kLabs, rng);
    body["credential"] = chance(rng, 0.95) ? pick(kActiveCredentials, rng) : pick(kRefusedCredentials, rng);
    body["prescribed_on"] = "2026-10-30";
    body["prescriber"] = {{"kind", "MD"}, {"license", "1234"}};
    if (chance(rng, 0.3)) body["consume_now"] = true;
    std::vector<std::string> codes = kBiochemCodes;
    std::shuffle(codes.begin(), codes.end(), rng);
    const size_t n = std::uniform_int_distribution<size_t>(1, 3)(rng);
    Json items = Json::array();
    for (size_t i = 0; i < n; ++i) {
      Json item = {{"code", codes[i]}};
      if (codes[i] == "000012") item["qty"] = std::uniform_int_distribution<int>(1, 3)(rng);
      items.push_back(item);
    }
    body["items"] = items;
  }
  s->body = body.dump();
}

// Fills answer fields from an HTTP answer; remembers issued orders.
void record_answer(Sent* s, int status, std::string body, OrderPool& orders) {
  s->answered = true;
  s->http = status;
  s->answer_body = std::move(body);
  if (status != 200) return;
  Json j = Json::parse(s->answer_body, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("transaction") || !j["transaction"].is_string()) return;
  s->transaction = j["transaction"].get<std::string>();
  s->answer = j;
  if (s->command == "authorize" && j.contains("order") && j["order"].is_string()) {
    const Json body_json = Json::parse(s->body);
    if (body_json.value("consume_now", false)) return;
    OrderRef o{j["order"].get<std::string>(), body_json["provider"].get<std::string>(),
                body_json["credential"].get<std::string>(), {}};
    for (const Json& item : j["items"]) {
      if (item.value("status", "") == "AUTHORIZED") o.items.push_back(item["index"].get<int>());
    }
    if (!o.items.empty()) orders.add(std::move(o));
  }
}

struct LoadShared {
  std::atomic<bool> stop{false};
  std::atomic<bool> killed{false};
  std::atomic<size_t> acked{0};
  std::atomic<int> finished{0};
  std::mutex mutex;
  std::vector<std::string> problems;  // failures not explained by the kill
};

void load_thread(int cycle, int thread, uint16_t port, uint64_t seed, const std::string& at, OrderPool& orders,
                 LoadShared& shared, std::vector<Sent>* out) {
  std::mt19937_64 rng(seed * 1000003u + uint64_t(cycle) * 101u + uint64_t(thread));
  HttpClient client;
  client.set_api_key(g_api_key);
  client.set_timeout(kRequestTimeout);
  const auto deadline = Clock::now() + kLoadTimeLimit;
  if (Status st = client.connect("127.0.0.1", port); !st) {
    std::lock_guard lock(shared.mutex);
    shared.problems.push_back("thread " + std::to_string(thread) + ": connect: " + st.to_string());
  } else {
    for (int n = 0; n < kMaxRequestsPerThread && !shared.stop.load() && Clock::now() < deadline; ++n) {
      Sent s;
      s.id = "k" + std::to_string(cycle) + "-t" + std::to_string(thread) + "-" + std::to_string(n);
      s.at = at;
      s.cycle = cycle;
      make_request(&s, rng, orders);
      int status = 0;
      std::string body;
      Status st = client.request("POST", "/v1/" + s.command, s.body, &status, &body, kClientTimeHeader, at);
      if (!st) {
        // Sent, fate unknown: retried after the restart.
        const bool explained = shared.killed.load();
        out->push_back(std::move(s));
        if (!explained) {
          std::lock_guard lock(shared.mutex);
          shared.problems.push_back("thread " + std::to_string(thread) + ": request failed before the kill: " +
                                    st.to_string());
        }
        break;
      }
      record_answer(&s, status, std::move(body), orders);
      if (s.acknowledged()) {
        shared.acked.fetch_add(1);
      } else {
        std::lock_guard lock(shared.mutex);
        shared.problems.push_back("request " + s.id + " (" + s.command + " " + s.body + ") answered HTTP " +
                                  std::to_string(status) + ": " + s.answer_body);
      }
      out->push_back(std::move(s));
    }
  }
  shared.finished.fetch_add(1);
}

std::vector<std::string> serve_argv(const std::filesystem::path& store, const std::string& data) {
  std::vector<std::string> argv = {AUTORIZA_BINARY, "serve", "--store", store.string(), "--http", "127.0.0.1:0",
                                   "--allow-client-time"};
  if (!data.empty()) {
    argv.push_back("--data");
    argv.push_back(data);
  }
  return argv;
}

// Runs requests through one connection in pipelined chunks.
bool run_pipeline(HttpClient& client, const std::vector<HttpRequest>& requests, std::vector<HttpResponse>* responses,
                  std::string* error) {
  responses->clear();
  responses->reserve(requests.size());
  for (size_t begin = 0; begin < requests.size(); begin += kPipelineChunk) {
    const size_t end = std::min(requests.size(), begin + kPipelineChunk);
    std::vector<HttpRequest> chunk(requests.begin() + long(begin), requests.begin() + long(end));
    std::vector<HttpResponse> answers;
    if (Status st = client.pipeline(chunk, &answers); !st) {
      *error = "pipeline of requests " + std::to_string(begin) + ".." + std::to_string(end) + ": " + st.to_string();
      return false;
    }
    for (HttpResponse& r : answers) responses->push_back(std::move(r));
  }
  return true;
}

HttpRequest get_request(const std::string& target) {
  HttpRequest r;
  r.method = "GET";
  r.target = target;
  return r;
}

// (a): every acknowledged answer is in the log under its request id, unchanged.
void check_acknowledged_present(HttpClient& client, const std::vector<Sent>& sent, const std::string& when) {
  std::vector<const Sent*> acked;
  std::vector<HttpRequest> requests;
  for (const Sent& s : sent) {
    if (!s.acknowledged()) continue;
    acked.push_back(&s);
    requests.push_back(get_request("/v1/transactions/" + s.transaction));
  }
  if (requests.empty()) {
    ADD_FAILURE() << when << ": nothing acknowledged so far";
    return;
  }
  std::vector<HttpResponse> responses;
  std::string error;
  const auto start = Clock::now();
  ASSERT_TRUE(run_pipeline(client, requests, &responses, &error)) << when << ": " << error;
  std::cout << "[crash] " << when << ": checked " << acked.size() << " acknowledged transactions in "
            << std::chrono::duration<double>(Clock::now() - start).count() << " s" << std::endl;
  size_t bad = 0;
  for (size_t i = 0; i < acked.size(); ++i) {
    const Sent& s = *acked[i];
    const HttpResponse& r = responses[i];
    std::string why;
    Json view = Json::parse(r.body, nullptr, false);
    if (r.status != 200) {
      why = "GET answered " + std::to_string(r.status) + ": " + r.body;
    } else if (view.is_discarded() || !view.contains("command") || !view.contains("answer")) {
      why = "malformed view: " + r.body;
    } else if (view["command"].value("request_id", "") != s.id) {
      why = "command.request_id is " + view["command"].value("request_id", "?");
    } else if (view["answer"] != s.answer) {
      why = "answer differs: acknowledged " + s.answer.dump() + " log " + view["answer"].dump();
    }
    if (!why.empty() && ++bad <= kMaxReportedMismatches) {
      ADD_FAILURE() << when << ": acknowledged " << s.transaction << " (request " << s.id << ", " << s.command
                    << " sent in cycle " << s.cycle << "): " << why;
    }
  }
  EXPECT_EQ(bad, 0u) << when << ": acknowledged transactions missing or changed, of " << acked.size();
}

uint64_t sequence_of(const std::string& transaction) { return std::stoull(transaction.substr(transaction.rfind('-') + 1)); }

// After a restart: which of the requests left unanswered by the kill of
// `cycle` were committed anyway? They can only be in the last batches, right
// after the cycle's last acknowledged sequence; the positions past them must
// be empty. Returns how many were found (marked in Sent::durable).
size_t find_durable_unanswered(HttpClient& client, std::vector<Sent>& sent, int cycle) {
  uint64_t last_acked = 0;
  std::map<std::string, Sent*> unanswered;
  for (Sent& s : sent) {
    if (s.cycle != cycle) continue;
    if (s.acknowledged()) last_acked = std::max(last_acked, sequence_of(s.transaction));
    if (!s.answered) unanswered[s.id] = &s;
  }
  constexpr uint64_t kBack = 64, kAhead = 64;
  const uint64_t first = last_acked > kBack ? last_acked - kBack : 1;
  std::vector<HttpRequest> requests;
  for (uint64_t seq = first; seq <= last_acked + kAhead; ++seq) {
    requests.push_back(get_request("/v1/transactions/T-0-" + std::to_string(seq)));
  }
  std::vector<HttpResponse> responses;
  std::string error;
  if (!run_pipeline(client, requests, &responses, &error)) {
    ADD_FAILURE() << "tail scan: " << error;
    return 0;
  }
  size_t found = 0;
  uint64_t last_present = 0;
  for (uint64_t seq = first; seq <= last_acked + kAhead; ++seq) {
    const HttpResponse& r = responses[seq - first];
    if (r.status != 200) continue;
    last_present = seq;
    Json view = Json::parse(r.body, nullptr, false);
    if (view.is_discarded() || !view.contains("command")) continue;
    auto it = unanswered.find(view["command"].value("request_id", ""));
    if (it != unanswered.end()) {
      it->second->durable = "T-0-" + std::to_string(seq);
      ++found;
    }
  }
  EXPECT_LE(last_present, last_acked + unanswered.size())
      << "after kill " << cycle + 1 << ": events past the last acknowledged one that no unanswered request explains";
  return found;
}

TEST(CrashRestart, KillNineDuringLoadKeepsEveryAcknowledgedTransactionExactlyOnce) {
  std::signal(SIGPIPE, SIG_IGN);  // writes to a killed server must fail, not kill the test
  const auto test_start = Clock::now();
  uint64_t seed = 20261102;
  if (const char* env = std::getenv("AUTORIZA_CRASH_SEED")) seed = std::stoull(env);
  std::cout << "[crash] seed " << seed << " (AUTORIZA_CRASH_SEED)" << std::endl;

  crash::TempDir tmp("crash");
  const std::filesystem::path store = tmp.path() / "store";
  const std::filesystem::path log = tmp.path() / "serve-stderr.log";
  struct DumpLogOnFailure {  // runs before tmp is removed, also after an ASSERT
    std::filesystem::path log;
    ~DumpLogOnFailure() {
      if (::testing::Test::HasFailure()) {
        std::cout << "[crash] serve stderr (all starts):\n" << crash::read_file_text(log) << std::endl;
      }
    }
  } dump_log{log};
  std::mt19937_64 main_rng(seed);
  OrderPool orders;
  std::vector<Sent> sent;  // every request, all cycles
  size_t durable_total = 0;  // unanswered at a kill, yet committed

  crash::ServerProcess server;
  std::string error;
  ASSERT_TRUE(server.start(serve_argv(store, AUTORIZA_TEST_FIXTURES), log, kStartTimeout, &error)) << error;
  {  // serve made development keys in its empty store: act as its admin
    std::vector<auth::DevKey> keys;
    const Status read = auth::read_dev_keys(store / "dev-keys.csv", &keys);
    ASSERT_TRUE(read) << read.to_string();
    ASSERT_NE(auth::find_dev_key(keys, "admin"), nullptr);
    g_api_key = auth::find_dev_key(keys, "admin")->key;
  }
  std::cout << "[crash] server pid " << server.pid() << " on port " << server.port() << std::endl;

  for (int cycle = 0; cycle < kCycles; ++cycle) {
    // --- load, then SIGKILL while requests are in flight.
    LoadShared shared;
    std::vector<std::vector<Sent>> per_thread(kThreads);
    std::vector<std::thread> threads;
    const auto kill_after = std::chrono::milliseconds(std::uniform_int_distribution<long>(
        kKillAfterMin.count(), kKillAfterMax.count())(main_rng));
    const auto load_start = Clock::now();
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back(load_thread, cycle, t, server.port(), seed, kCycleTimes[size_t(cycle)], std::ref(orders),
                           std::ref(shared), &per_thread[size_t(t)]);
    }
    while (Clock::now() - load_start < kill_after && shared.acked.load() < kKillAtAcked &&
           shared.finished.load() < kThreads) {
      std::this_thread::sleep_for(2ms);
    }
    const bool load_still_running = shared.finished.load() == 0;
    shared.killed.store(true);
    const pid_t killed_pid = server.pid();
    const int wait_status = server.kill_and_reap();
    shared.stop.store(true);
    for (std::thread& t : threads) t.join();
    const double load_seconds = std::chrono::duration<double>(Clock::now() - load_start).count();

    size_t cycle_sent = 0, cycle_acked = 0, cycle_unanswered = 0;
    for (auto& v : per_thread) {
      for (Sent& s : v) {
        ++cycle_sent;
        if (s.acknowledged()) ++cycle_acked;
        if (!s.answered) ++cycle_unanswered;
        sent.push_back(std::move(s));
      }
    }
    std::cout << "[crash] cycle " << cycle + 1 << ": SIGKILL pid " << killed_pid << " after " << load_seconds
              << " s: sent " << cycle_sent << ", acknowledged " << cycle_acked << ", in flight at kill "
              << cycle_unanswered << " (" << crash::describe_wait_status(wait_status) << ")" << std::endl;
    EXPECT_TRUE(WIFSIGNALED(wait_status) && WTERMSIG(wait_status) == SIGKILL)
        << "server did not die of SIGKILL: " << crash::describe_wait_status(wait_status);
    EXPECT_TRUE(load_still_running) << "a load thread had finished before the kill: nothing may have been in flight";
    for (size_t i = 0; i < shared.problems.size() && i < kMaxReportedMismatches; ++i) {
      ADD_FAILURE() << "cycle " << cycle + 1 << ": " << shared.problems[i];
    }
    EXPECT_TRUE(shared.problems.empty()) << shared.problems.size() << " unexpected load failures";
    ASSERT_GT(cycle_acked, 0u) << "cycle " << cycle + 1 << " acknowledged nothing";

    // --- restart on the same store (no --data: it holds reference data).
    const auto restart_start = Clock::now();
    ASSERT_TRUE(server.start(serve_argv(store, ""), log, kStartTimeout, &error))
        << "restart after kill " << cycle + 1 << ": " << error;
    std::cout << "[crash] restarted (pid " << server.pid() << ", port " << server.port() << ") in "
              << std::chrono::duration<double>(Clock::now() - restart_start).count() << " s" << std::endl;
    HttpClient client;
    client.set_api_key(g_api_key);
    client.set_timeout(kRequestTimeout * 3);
    ASSERT_TRUE(client.connect("127.0.0.1", server.port()));
    check_acknowledged_present(client, sent, "after kill " + std::to_string(cycle + 1));
    if (::testing::Test::HasFatalFailure()) return;
    const size_t durable = find_durable_unanswered(client, sent, cycle);
    std::cout << "[crash] after kill " << cycle + 1 << ": " << durable << " of " << cycle_unanswered
              << " unanswered requests had been committed before the kill" << std::endl;
    durable_total += durable;
  }

  // --- final checks on the last restart.
  HttpClient client;
  client.set_api_key(g_api_key);
  client.set_timeout(kRequestTimeout * 3);
  ASSERT_TRUE(client.connect("127.0.0.1", server.port()));

  // (a) once more, with everything acknowledged in every cycle.
  check_acknowledged_present(client, sent, "final");

  // (b) re-send every request with its body and time.
  std::vector<HttpRequest> retries;
  for (const Sent& s : sent) {
    HttpRequest r;
    r.method = "POST";
    r.target = "/v1/" + s.command;
    r.body = s.body;
    r.headers = {{std::string(kClientTimeHeader), s.at}};
    retries.push_back(std::move(r));
  }
  std::vector<HttpResponse> retry_answers;
  auto phase_start = Clock::now();
  ASSERT_TRUE(run_pipeline(client, retries, &retry_answers, &error)) << "retries: " << error;
  std::cout << "[crash] re-sent " << retries.size() << " requests in "
            << std::chrono::duration<double>(Clock::now() - phase_start).count() << " s" << std::endl;
  std::map<std::string, std::string> transaction_of;  // request id -> transaction id after the retries
  size_t bad = 0, acked_total = 0, resolved_by_retry = 0;
  for (size_t i = 0; i < sent.size(); ++i) {
    const Sent& s = sent[i];
    const HttpResponse& r = retry_answers[i];
    Json j = Json::parse(r.body, nullptr, false);
    std::string why;
    std::string tx;
    if (r.status != 200) {
      why = "retry answered HTTP " + std::to_string(r.status) + ": " + r.body;
    } else if (j.is_discarded() || !j.contains("transaction") || !j["transaction"].is_string()) {
      why = "retry answer without a transaction: " + r.body;
    } else {
      tx = j["transaction"].get<std::string>();
      if (!s.durable.empty() && tx != s.durable) {
        why = "retry answered transaction " + tx + ", the log already held " + s.durable + " (duplicate)";
      } else if (s.acknowledged()) {
        if (tx != s.transaction) {
          why = "retry answered transaction " + tx + ", acknowledged " + s.transaction + " (duplicate)";
        } else if (j != s.answer) {
          why = "retry answer differs: acknowledged " + s.answer.dump() + " retry " + j.dump();
        }
      }
    }
    if (s.acknowledged()) ++acked_total;
    if (!s.answered) ++resolved_by_retry;
    if (!tx.empty()) transaction_of[s.id] = tx;
    if (!why.empty() && ++bad <= kMaxReportedMismatches) {
      ADD_FAILURE() << "request " << s.id << " (" << s.command << " " << s.body << ", cycle " << s.cycle << "): " << why;
    }
  }
  EXPECT_EQ(bad, 0u) << "retries that did not answer the first answer again";

  // (c) exactly once: one transaction per request id ...
  std::set<std::string> request_ids, transaction_ids;
  for (const Sent& s : sent) request_ids.insert(s.id);
  for (const auto& [id, tx] : transaction_of) transaction_ids.insert(tx);
  EXPECT_EQ(request_ids.size(), sent.size()) << "request ids are not unique (test bug)";
  EXPECT_EQ(transaction_ids.size(), request_ids.size()) << "distinct transaction ids != distinct request ids";

  // ... and the whole log holds each request id exactly once and nothing else
  // (transaction ids are T-<partition>-<sequence>; one partition).
  uint64_t max_sequence = 0;
  for (const std::string& tx : transaction_ids) {
    ASSERT_EQ(tx.rfind("T-0-", 0), 0u) << "unexpected transaction id " << tx;
    max_sequence = std::max<uint64_t>(max_sequence, std::stoull(tx.substr(4)));
  }
  constexpr uint64_t kScanMargin = 64;
  std::vector<HttpRequest> scan;
  for (uint64_t seq = 1; seq <= max_sequence + kScanMargin; ++seq) {
    scan.push_back(get_request("/v1/transactions/T-0-" + std::to_string(seq)));
  }
  std::vector<HttpResponse> views;
  phase_start = Clock::now();
  ASSERT_TRUE(run_pipeline(client, scan, &views, &error)) << "log scan: " << error;
  std::cout << "[crash] scanned " << scan.size() << " log positions in "
            << std::chrono::duration<double>(Clock::now() - phase_start).count() << " s" << std::endl;
  std::map<std::string, std::vector<std::string>> log_transactions_of;  // request id -> transactions in the log
  size_t log_events = 0, unknown = 0;
  for (uint64_t seq = 1; seq <= max_sequence + kScanMargin; ++seq) {
    const HttpResponse& r = views[seq - 1];
    const std::string tx = "T-0-" + std::to_string(seq);
    if (r.status == 404) {
      EXPECT_GT(seq, max_sequence) << "gap in the log at " << tx;
      continue;
    }
    Json view = Json::parse(r.body, nullptr, false);
    if (r.status != 200 || view.is_discarded() || !view.contains("command")) {
      ADD_FAILURE() << "GET " << tx << " answered " << r.status << ": " << r.body;
      continue;
    }
    ++log_events;
    const std::string id = view["command"].value("request_id", "");
    log_transactions_of[id].push_back(tx);
    if (!request_ids.count(id) && ++unknown <= kMaxReportedMismatches) {
      ADD_FAILURE() << "the log holds " << tx << " for request id '" << id << "' that was never sent";
    }
  }
  size_t duplicated = 0, missing = 0;
  for (const Sent& s : sent) {
    auto it = log_transactions_of.find(s.id);
    const size_t n = it == log_transactions_of.end() ? 0 : it->second.size();
    if (n == 1 && transaction_of.count(s.id) && it->second.front() != transaction_of[s.id]) {
      ADD_FAILURE() << "request " << s.id << " is " << it->second.front() << " in the log but the retry answered "
                    << transaction_of[s.id];
    }
    if (n == 0 && ++missing <= kMaxReportedMismatches) ADD_FAILURE() << "request " << s.id << " is not in the log";
    if (n > 1 && ++duplicated <= kMaxReportedMismatches) {
      std::string list;
      for (const std::string& tx : it->second) list += " " + tx;
      ADD_FAILURE() << "request " << s.id << " is in the log " << n << " times:" << list;
    }
  }
  EXPECT_EQ(duplicated, 0u) << "request ids in the log more than once";
  EXPECT_EQ(missing, 0u) << "request ids missing from the log";
  EXPECT_EQ(unknown, 0u) << "log events of unknown request ids";
  EXPECT_EQ(log_events, request_ids.size()) << "events in the log != requests sent";

  // (d) graceful stop, then the store replays to equal state.
  client.close();
  const std::optional<int> stopped = server.terminate(kStopTimeout);
  ASSERT_TRUE(stopped.has_value()) << "the server did not stop within the time limit after SIGTERM";
  EXPECT_TRUE(WIFEXITED(*stopped) && WEXITSTATUS(*stopped) == 0)
      << "serve stopped with " << crash::describe_wait_status(*stopped);
  std::string replay_output;
  const auto replay_start = Clock::now();
  const std::optional<int> replayed =
      crash::run_command({AUTORIZA_BINARY, "replay", "--store", store.string(), "--into", (tmp.path() / "replayed").string()},
                         tmp.path() / "replay.log", kReplayTimeout, &replay_output);
  const double replay_seconds = std::chrono::duration<double>(Clock::now() - replay_start).count();
  ASSERT_TRUE(replayed.has_value()) << "replay did not finish: " << replay_output;
  EXPECT_TRUE(WIFEXITED(*replayed) && WEXITSTATUS(*replayed) == 0)
      << "autoriza replay: " << crash::describe_wait_status(*replayed) << "\n" << replay_output;

  std::cout << "[crash] totals: " << kCycles << " kills, sent " << sent.size() << ", acknowledged " << acked_total
            << ", unanswered at a kill " << resolved_by_retry << " (" << durable_total
            << " of them committed before the kill; all re-sent), distinct transactions "
            << transaction_ids.size() << ", events in the log " << log_events << ", replay "
            << crash::describe_wait_status(replayed.value_or(-1)) << " in " << replay_seconds << " s, test "
            << std::chrono::duration<double>(Clock::now() - test_start).count() << " s" << std::endl;
}

}  // namespace
}  // namespace autoriza
