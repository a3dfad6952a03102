// The HTTP driver: one thread per connection, each a closed loop over a
// keep-alive HttpClient. The mix is shared under one mutex, held only to
// take commands and to learn from answers; bodies are encoded and answers
// scanned outside it.
#include <pthread.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <ostream>
#include <thread>
#include <vector>

#include "bench/loadgen/body.h"
#include "adapters/http/client.h"
#include "adapters/service/command_trace.h"
#include "bench/loadgen/driver.h"

namespace autoriza::bench {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kConnectAttempts = 2;

class HttpDriver {
 public:
  HttpDriver(Mix& mix, const HttpOptions& options, std::ostream& progress)
      : mix_(mix), options_(options), progress_(progress), tallies_(options.connections) {
    AUTORIZA_CHECK(options.connections >= 1 && options.connections <= kHttpConnectionsMax);
    AUTORIZA_CHECK(options.pipeline >= 1 && options.pipeline <= kClientPipelineMax);
  }

  RunReport run() {
    RunReport report;
    report.mode = "http";
    report.loop = std::to_string(options_.connections) + " connections x pipeline " + std::to_string(options_.pipeline);
    const int64_t start = now_ns();
    std::vector<std::thread> threads;
    threads.reserve(options_.connections);
    running_ = options_.connections;
    for (size_t i = 0; i < options_.connections; ++i) threads.emplace_back([this, i] { client_loop(tallies_[i]); });
    int64_t last_ns = start;
    uint64_t last_answered = 0;
    while (running_.load() > 0 || answered_.load() < claimed_total()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      const int64_t now = now_ns();
      if (now - last_ns < 1'000'000'000) continue;
      const uint64_t answered = answered_.load();
      char line[200];
      std::snprintf(line, sizeof line, "http: %llu/%zu answered, %.0f/s now, %.0f/s overall, %.1f s\n",
                    static_cast<unsigned long long>(answered), options_.commands,
                    double(answered - last_answered) / (double(now - last_ns) / 1e9),
                    double(answered) / (double(now - start) / 1e9), double(now - start) / 1e9);
      progress_ << line << std::flush;
      last_ns = now;
      last_answered = answered;
      if (running_.load() == 0) break;
    }
    for (std::thread& t : threads) t.join();
    report.seconds = double(now_ns() - start) / 1e9;
    report.load_average = load_average_1m();
    for (const Tally& t : tallies_) report.tally.merge(t);
    report.commands = answered_.load();
    return report;
  }

 private:
  uint64_t claimed_total() {
    std::lock_guard lock(mix_mutex_);
    return claimed_;
  }

  // Takes up to n commands from the mix; fewer (0) when the run is over.
  size_t take(size_t n, std::vector<Planned>& out) {
    std::lock_guard lock(mix_mutex_);
    const size_t k = std::min<size_t>(n, options_.commands - claimed_);
    for (size_t i = 0; i < k; ++i) mix_.next(&out[i]);
    claimed_ += k;
    return k;
  }

  bool connect(HttpClient& client) {
    for (int attempt = 0; attempt < kConnectAttempts; ++attempt) {
      if (client.connect(options_.host, options_.port)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }

  void client_loop(Tally& tally) {
    struct Running {  // counted in run() before the thread starts
      std::atomic<size_t>& n;
      ~Running() { --n; }
    } running{running_};
    pthread_setname_np(pthread_self(), "bench-client");  // tells them apart in top -H and perf
    HttpClient client;
    bool usable = connect(client);
    std::vector<Planned> planned(options_.pipeline);
    std::vector<HttpRequest> requests(options_.pipeline);
    std::vector<HttpResponse> responses;
    std::vector<Answer> answers(options_.pipeline);
    std::vector<bool> parsed(options_.pipeline);
    for (;;) {
      const size_t k = take(options_.pipeline, planned);
      if (k == 0) return;
      requests.resize(k);
      for (size_t i = 0; i < k; ++i) {
        HttpRequest& r = requests[i];
        r.target = "/v1/";
        r.target += traced_command(planned[i].command.type);  // POST /v1/<name>: the mix sends only named commands
        encode_body(planned[i].command, &r.body);
        r.headers.assign({{std::string(kClientTimeHeader), format_instant(planned[i].at)}});
        if (!options_.api_key.empty()) r.headers.emplace_back("Authorization", "Bearer " + options_.api_key);
      }
      const int64_t t0 = now_ns();
      Status st = usable ? (k == 1 ? send_one(client, requests[0], responses) : client.pipeline(requests, &responses))
                         : Status::unavailable("not connected");
      const uint64_t latency = uint64_t(now_ns() - t0);
      if (!st && usable && !client.connected()) usable = connect(client);  // one retry of the connection
      for (size_t i = 0; i < k; ++i) {
        parsed[i] = false;
        const CommandKind kind = planned[i].ticket.kind;
        if (i >= responses.size() || !st) {
          tally.add_failure(kind, Failure::kTransport, latency);
        } else if (responses[i].status != 200) {
          tally.add_failure(kind, failure_of_http(responses[i].status), latency);
        } else if (!answer_from_json(responses[i].body, &answers[i])) {
          tally.add_failure(kind, Failure::kBadAnswer, latency);
        } else {
          tally.add(kind, answers[i].status, latency);
          parsed[i] = true;
        }
      }
      {
        std::lock_guard lock(mix_mutex_);
        for (size_t i = 0; i < k; ++i) {
          if (parsed[i]) mix_.observe(planned[i].ticket, answers[i]);
        }
      }
      answered_ += k;
    }
  }

  static Status send_one(HttpClient& client, const HttpRequest& request, std::vector<HttpResponse>& responses) {
    responses.resize(1);
    Status st = client.send(request, &responses[0]);
    if (!st) responses.clear();
    return st;
  }

  Mix& mix_;
  const HttpOptions options_;
  std::ostream& progress_;
  std::vector<Tally> tallies_;  // one per connection thread
  std::mutex mix_mutex_;
  uint64_t claimed_ = 0;        // guarded by mix_mutex_
  std::atomic<uint64_t> answered_{0};
  std::atomic<size_t> running_{0};
};

}  // namespace

RunReport run_http(Mix& mix, const HttpOptions& options, std::ostream& progress) {
  HttpDriver driver(mix, options, progress);
  return driver.run();
}

}  // namespace autoriza::bench
