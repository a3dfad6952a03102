// The TCP driver (see driver_tcp.h). Each connection's answers arrive on its
// client's I/O thread: its tally is touched only there; the mix is shared
// under one mutex, held only to take commands and learn from answers.
#include "bench/loadgen/driver_tcp.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <ostream>
#include <thread>
#include <vector>

#include "adapters/tcp/tcp_client.h"

namespace autoriza::bench {
namespace {

using Clock = std::chrono::steady_clock;

class TcpDriver {
 public:
  TcpDriver(Mix& mix, const TcpBenchOptions& options, std::ostream& progress)
      : mix_(mix), options_(options), progress_(progress), tallies_(options.connections) {
    AUTORIZA_CHECK(options.connections >= 1 && options.connections <= kHttpConnectionsMax);
    AUTORIZA_CHECK(options.window >= 1);
  }

  RunReport run() {
    RunReport report;
    report.mode = options_.tls ? "tls" : "tcp";
    report.loop = std::to_string(options_.connections) + " connections x " + std::to_string(options_.window) +
                  " in flight";
    std::vector<std::unique_ptr<tcp::TcpClient>> clients;
    for (size_t i = 0; i < options_.connections; ++i) {
      tcp::ClientOptions o;
      o.host = options_.host;
      o.port = options_.port;
      o.api_key = options_.api_key;
      o.tls = options_.tls;
      o.tls_files.ca = options_.ca;
      o.in_flight_max = options_.window;
      o.request_timeout = std::chrono::seconds(120);
      clients.push_back(std::make_unique<tcp::TcpClient>(o));
      if (Status s = clients.back()->connect(); !s) {
        progress_ << "bench: tcp connection " << i << " failed: " << s.to_string() << "\n";
      }
    }
    const int64_t start = now_ns();
    for (size_t i = 0; i < clients.size(); ++i) {
      for (size_t w = 0; w < options_.window; ++w) send_next(*clients[i], tallies_[i]);
    }
    wait_all(start);
    report.seconds = double(now_ns() - start) / 1e9;
    report.load_average = load_average_1m();
    clients.clear();  // joins their threads: no callback runs after this
    for (const Tally& t : tallies_) report.tally.merge(t);
    report.commands = answered_.load();
    return report;
  }

 private:
  // Takes the next command and submits it on client; false when none is left.
  bool send_next(tcp::TcpClient& client, Tally& tally) {
    auto planned = std::make_shared<Planned>();
    {
      std::lock_guard lock(mix_mutex_);
      if (claimed_ >= options_.commands) return false;
      ++claimed_;
      mix_.next(planned.get());
    }
    const int64_t t0 = now_ns();
    client.submit(planned->command, planned->at, [this, &client, &tally, planned, t0](tcp::Answer a) {
      const uint64_t latency = uint64_t(now_ns() - t0);
      const CommandKind kind = planned->ticket.kind;
      if (a.ok()) {
        Answer answer;
        answer_from_result(*a.result, &answer);
        tally.add(kind, answer.status, latency);
        std::lock_guard lock(mix_mutex_);
        mix_.observe(planned->ticket, answer);
      } else {
        tally.add_failure(kind, a.error.status == 0 ? Failure::kTransport : failure_of_http(a.error.status), latency);
      }
      finished();
      send_next(client, tally);
    });
    return true;
  }

  void finished() {
    const uint64_t n = ++answered_;
    if (n == options_.commands) {
      std::lock_guard lock(done_mutex_);
      done_.notify_all();
    }
  }

  void wait_all(int64_t start) {
    int64_t last_ns = start;
    uint64_t last_answered = 0;
    std::unique_lock lock(done_mutex_);
    while (answered_.load() < options_.commands) {
      done_.wait_for(lock, std::chrono::seconds(1));
      const int64_t now = now_ns();
      const uint64_t answered = answered_.load();
      char line[200];
      std::snprintf(line, sizeof line, "%s: %llu/%zu answered, %.0f/s now, %.0f/s overall, %.1f s\n",
                    options_.tls ? "tls" : "tcp", static_cast<unsigned long long>(answered), options_.commands,
                    double(answered - last_answered) / (double(now - last_ns) / 1e9),
                    double(answered) / (double(now - start) / 1e9), double(now - start) / 1e9);
      progress_ << line << std::flush;
      last_ns = now;
      last_answered = answered;
    }
  }

  Mix& mix_;
  const TcpBenchOptions options_;
  std::ostream& progress_;
  std::vector<Tally> tallies_;  // one per connection, touched on its client's thread
  std::mutex mix_mutex_;
  uint64_t claimed_ = 0;  // guarded by mix_mutex_
  std::atomic<uint64_t> answered_{0};
  std::mutex done_mutex_;
  std::condition_variable done_;
};

}  // namespace

RunReport run_tcp(Mix& mix, const TcpBenchOptions& options, std::ostream& progress) {
  TcpDriver driver(mix, options, progress);
  return driver.run();
}

}  // namespace autoriza::bench
