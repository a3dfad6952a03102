// TcpServer (see tcp_server.h): acceptor, io threads, connection registry, stop.
#include "adapters/tcp/tcp_server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <latch>
#include <thread>
#include <vector>

#include "adapters/tcp/tcp_connection.h"
#include "engine/core/clock.h"

namespace autoriza::tcp {
namespace {

namespace net = boost::asio;
using net::ip::tcp;
using boost::system::error_code;

constexpr std::chrono::milliseconds kAcceptRetryDelay{100};
constexpr std::chrono::seconds kExpiryWarning{30 * 86'400};

}  // namespace

class TcpServer::Impl {
 public:
  Impl(Service& service, TcpServerOptions options)
      : options_(std::move(options)), core_(service, options_), ioc_(int(options_.threads)) {
    AUTORIZA_CHECK(options_.threads >= 1 && options_.threads <= kTcpThreadsMax);
    AUTORIZA_CHECK(options_.in_flight_max >= 1 && options_.connections_max >= 1);
  }
  ~Impl() { stop(); }

  Status start() {
    std::lock_guard lock(lifecycle_mutex_);
    if (state_ != State::kNew) return Status::invalid("tcp server: start() called twice");
    state_ = State::kStopped;
    if (!options_.tls.cert.empty()) {
      std::shared_ptr<net::ssl::context> context;
      if (Status s = make_server_context(options_.tls, &context); !s) return s;
      use_tls(std::move(context));
    }
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    error_code ec;
    tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(options_.host, std::to_string(options_.port), tcp::resolver::passive, ec);
    if (ec || endpoints.empty()) return Status::invalid("tcp server: cannot resolve " + where + ": " + ec.message());
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();
    if (acceptor_.open(endpoint.protocol(), ec); ec) return Status::io_error("tcp server: open: " + ec.message());
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) {
      return Status::io_error("tcp server: reuse_address: " + ec.message());
    }
    if (acceptor_.bind(endpoint, ec); ec) return Status::io_error("tcp server: bind " + where + ": " + ec.message());
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) {
      return Status::io_error("tcp server: listen " + where + ": " + ec.message());
    }
    port_ = acceptor_.local_endpoint(ec).port();
    if (ec) return Status::io_error("tcp server: local_endpoint: " + ec.message());
    work_.emplace(ioc_.get_executor());
    source_ = core_.service().metrics_sources().add("tcp", [this](PrometheusText& out) { write_metrics(out); });
    accept();
    for (unsigned i = 0; i < options_.threads; ++i) threads_.emplace_back([this] { run(); });
    state_ = State::kRunning;
    spdlog::info("tcp server: listening on {}:{} ({}, {} threads)", options_.host, port_, tls() ? "TLS" : "plain",
                 options_.threads);
    return Status::ok();
  }

  uint16_t port() const { return port_ ? port_ : options_.port; }

  Status reload_tls() {
    if (options_.tls.cert.empty()) return Status::invalid("tcp server: a plain listener has no certificate to reload");
    std::shared_ptr<net::ssl::context> context;
    Status s = make_server_context(options_.tls, &context);
    (s ? reloads_ok_ : reloads_failed_).fetch_add(1, std::memory_order_relaxed);
    if (!s) {
      spdlog::error("tcp server: TLS certificate not reloaded, the listener keeps the one it had: {}", s.to_string());
      return s;
    }
    use_tls(std::move(context));
    spdlog::info("tcp server: TLS certificate reloaded from {}; new connections use it", options_.tls.cert);
    return Status::ok();
  }

  void stop() {
    std::lock_guard lock(lifecycle_mutex_);
    if (state_ != State::kRunning) {
      state_ = State::kStopped;
      return;
    }
    state_ = State::kStopped;
    core_.service().metrics_sources().remove(source_);  // it reads core_
    // Graceful: no new connection; requests in progress are answered
    // (kTcpDrainMax at most), idle connections closed; then the rest.
    auto closed = std::make_shared<std::latch>(1);
    net::post(acceptor_.get_executor(), [this, closed] {
      error_code ec;
      acceptor_.close(ec);
      retry_timer_.cancel();
      closed->count_down();
    });
    closed->wait();
    if (const size_t cut = connections_.drain(kTcpDrainMax); cut > 0) {
      spdlog::warn("tcp server: {} connection(s) still busy after {} s; closing them", cut, kTcpDrainMax.count() / 1000);
    }
    const std::vector<std::shared_ptr<TcpConnection>> live = connections_.take_all();
    auto latch = std::make_shared<std::latch>(std::ptrdiff_t(live.size()) + 1);
    latch->count_down();
    for (const auto& connection : live) connection->close([latch] { latch->count_down(); });
    latch->wait();
    core_.stop_and_drain();  // after it no callback posts to ioc_
    work_.reset();
    ioc_.stop();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
  }

 private:
  enum class State { kNew, kRunning, kStopped };

  // The listener's context from now on, its expiry a metric and, when near, a warning.
  void use_tls(std::shared_ptr<net::ssl::context> context) {
    expiry_s_ = certificate_expiry_s(*context);
    {
      std::lock_guard lock(tls_mutex_);
      tls_ = std::move(context);
    }
    warn_of_expiry();
  }
  std::shared_ptr<net::ssl::context> tls() const {
    std::lock_guard lock(tls_mutex_);
    return tls_;
  }

  void write_metrics(PrometheusText& out) {
    const std::string port = std::to_string(port_);
    const bool is_tls = !options_.tls.cert.empty();
    const std::string_view tls = is_tls ? "true" : "false";
    auto& c = core_.counters();
    out.add("autoriza_tcp_connections", MetricType::kGauge, "Connections open on a binary TCP listener",
            {{"port", port}, {"tls", tls}}, double(c.open.load(std::memory_order_relaxed)));
    out.add("autoriza_tcp_connections_accepted_total", MetricType::kCounter, "Connections a TCP listener accepted",
            {{"port", port}, {"tls", tls}}, double(c.accepted.load(std::memory_order_relaxed)));
    out.add("autoriza_tcp_connections_refused_total", MetricType::kCounter,
            "Connections closed at once: the listener held connections_max", {{"port", port}, {"tls", tls}},
            double(c.refused.load(std::memory_order_relaxed)));
    out.add("autoriza_tcp_idle_evictions_total", MetricType::kCounter,
            "Idle connections closed to make room for a new one: the listener held connections_max",
            {{"port", port}, {"tls", tls}}, double(c.idle_evictions.load(std::memory_order_relaxed)));
    out.add("autoriza_tcp_tls_handshake_failures_total", MetricType::kCounter,
            "TLS handshakes that failed or did not finish in time", {{"port", port}, {"tls", tls}},
            double(c.handshake_failed.load(std::memory_order_relaxed)));
    if (is_tls) {
      out.add("autoriza_tls_certificate_expiry_timestamp_seconds", MetricType::kGauge,
              "When the TLS listener's certificate stops being valid (its notAfter, Unix seconds)", {{"port", port}},
              double(expiry_s_.load()));
      for (const auto& [result, counter] : {std::pair{"ok", &reloads_ok_}, std::pair{"error", &reloads_failed_}}) {
        out.add("autoriza_tls_certificate_reloads_total", MetricType::kCounter,
                "Reloads of the TLS listener's certificate (SIGHUP); error: the listener kept the one it had",
                {{"port", port}, {"result", result}}, double(counter->load(std::memory_order_relaxed)));
      }
    }
    for (const auto& [status, counter] : {std::pair{"400", &c.goaway_400}, std::pair{"401", &c.goaway_401},
                                          std::pair{"408", &c.goaway_408}, std::pair{"429", &c.goaway_429}}) {
      out.add("autoriza_tcp_goaways_total", MetricType::kCounter,
              "Connections closed with GOAWAY: 400 bad frame, 401 not authenticated, 408 idle or slow, "
              "429 too many failed authentications from the address",
              {{"port", port}, {"tls", tls}, {"status", status}}, double(counter->load(std::memory_order_relaxed)));
    }
  }

  // An expired certificate, or one expiring within kExpiryWarning, is said
  // in the log at start (the alert AutorizaCertificateExpiring says it later).
  void warn_of_expiry() const {
    const int64_t expiry_s = expiry_s_.load();
    const int64_t left_s = expiry_s - wall_clock_now().value / 1000;
    if (expiry_s == 0) {
      spdlog::warn("tcp server: the validity of --tls-cert {} cannot be read", options_.tls.cert);
    } else if (left_s <= 0) {
      spdlog::error("tcp server: --tls-cert {} expired {} days ago; clients will refuse the handshake",
                    options_.tls.cert, -left_s / 86'400);
    } else if (left_s < kExpiryWarning.count()) {
      spdlog::warn("tcp server: --tls-cert {} expires in {} days; renew it (ops/runbook.md, AutorizaCertificateExpiring)",
                   options_.tls.cert, left_s / 86'400);
    }
  }

  void run() {
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("tcp server: handler threw: {}", e.what());
      }
    }
  }

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (ec) {
        spdlog::warn("tcp server: accept: {}", ec.message());
        retry_timer_.expires_after(kAcceptRetryDelay);
        retry_timer_.async_wait([this](error_code wait_ec) {
          if (!wait_ec && acceptor_.is_open()) accept();
        });
        return;
      }
      error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      std::shared_ptr<net::ssl::context> context = tls();
      auto connection = context ? std::make_shared<TcpConnection>(Transport(std::move(socket), std::move(context)), core_)
                                : std::make_shared<TcpConnection>(Transport(std::move(socket)), core_);
      if (add_connection(connection)) {
        core_.counters().accepted.fetch_add(1, std::memory_order_relaxed);
        connection->start();
      } else {
        core_.counters().refused.fetch_add(1, std::memory_order_relaxed);
      }
      accept();
    });
  }

  // Registers connection; false when it must close (full of busy
  // connections, or stopping).
  bool add_connection(const std::shared_ptr<TcpConnection>& connection) {
    switch (connections_.add(connection)) {
      case ConnectionTable<TcpConnection>::Added::kAdded:
        return true;
      case ConnectionTable<TcpConnection>::Added::kEvicted:
        core_.counters().idle_evictions.fetch_add(1, std::memory_order_relaxed);
        return true;
      case ConnectionTable<TcpConnection>::Added::kFull:
        log_refused();
        return false;
      case ConnectionTable<TcpConnection>::Added::kClosed:
        return false;
    }
    return false;
  }

  // At most one line a second: the metric counts every refusal.
  void log_refused() {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(refused_log_mutex_);
    if (now - refused_logged_ < std::chrono::seconds(1)) return;
    refused_logged_ = now;
    spdlog::warn("tcp server: {} connections open, each with a command or frame in progress: refusing new ones",
                 options_.connections_max);
  }

  const TcpServerOptions options_;
  TcpCore core_;
  std::mutex lifecycle_mutex_;
  State state_ = State::kNew;
  uint16_t port_ = 0;
  MetricsSources::Id source_ = 0;  // from start() to stop()
  mutable std::mutex tls_mutex_;
  std::shared_ptr<net::ssl::context> tls_;  // null: plain; replaced by reload_tls()
  std::atomic<int64_t> expiry_s_{0};        // of tls_'s certificate, Unix seconds
  std::atomic<uint64_t> reloads_ok_{0}, reloads_failed_{0};
  net::io_context ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  tcp::acceptor acceptor_{net::make_strand(ioc_)};
  net::steady_timer retry_timer_{acceptor_.get_executor()};
  ConnectionTable<TcpConnection> connections_{options_.connections_max};  // stop() takes them
  std::mutex refused_log_mutex_;
  std::chrono::steady_clock::time_point refused_logged_{};
  std::vector<std::thread> threads_;
};

TcpServer::TcpServer(Service& service, TcpServerOptions options) {
  options.threads = std::clamp(options.threads, 1u, kTcpThreadsMax);
  impl_ = std::make_unique<Impl>(service, std::move(options));
}
TcpServer::~TcpServer() = default;
Status TcpServer::start() { return impl_->start(); }
uint16_t TcpServer::port() const { return impl_->port(); }
Status TcpServer::reload_tls() { return impl_->reload_tls(); }
void TcpServer::stop() { impl_->stop(); }

}  // namespace autoriza::tcp
