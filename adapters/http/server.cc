#include "adapters/http/server.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/io_context.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <exception>
#include <latch>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "adapters/http/connection.h"
#include "adapters/http/server_core.h"

namespace autoriza {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// After a failed accept (out of descriptors...), wait before the next try
// instead of spinning.
constexpr std::chrono::milliseconds kAcceptRetryDelay{100};

}  // namespace

class HttpServer::Impl {
 public:
  Impl(Service& service, std::string host, uint16_t port, unsigned threads, bool allow_client_time)
      : core_(service), host_(std::move(host)), port_(port), threads_count_(threads), ioc_(int(threads)) {
    AUTORIZA_CHECK(threads >= 1 && threads <= kServerThreadsMax);
    core_.set_allow_client_time(allow_client_time);
  }

  ~Impl() { stop(); }

  Status start() {
    std::lock_guard lock(lifecycle_mutex_);
    if (state_ != State::kNew) return Status::invalid("http server: start() called twice");
    state_ = State::kStopped;  // until everything below succeeded
    const std::string where = host_ + ":" + std::to_string(port_);

    boost::system::error_code ec;
    tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(host_, std::to_string(port_), tcp::resolver::passive, ec);
    if (ec || endpoints.empty()) return Status::invalid("http server: cannot resolve " + where + ": " + ec.message());
    const tcp::endpoint endpoint = endpoints.begin()->endpoint();

    if (acceptor_.open(endpoint.protocol(), ec); ec) return Status::io_error("http server: open: " + ec.message());
    if (acceptor_.set_option(net::socket_base::reuse_address(true), ec); ec) {
      return Status::io_error("http server: reuse_address: " + ec.message());
    }
    if (acceptor_.bind(endpoint, ec); ec) return Status::io_error("http server: bind " + where + ": " + ec.message());
    if (acceptor_.listen(net::socket_base::max_listen_connections, ec); ec) {
      return Status::io_error("http server: listen " + where + ": " + ec.message());
    }
    const tcp::endpoint bound = acceptor_.local_endpoint(ec);
    if (ec) return Status::io_error("http server: local_endpoint: " + ec.message());
    port_ = bound.port();
    AUTORIZA_CHECK(port_ != 0);

    // Without it the threads would leave run() whenever no operation is
    // pending (all connections closed, accept cancelled), and handlers that
    // stop() posts would never run.
    work_.emplace(ioc_.get_executor());
    // Answers are encoded on these I/O threads, not on the engine's writers.
    core_.service().set_executor([this](std::function<void()> work) { net::post(ioc_, std::move(work)); });
    source_ = core_.service().metrics_sources().add("http", [this](PrometheusText& out) { write_metrics(out); });
    accept();
    threads_.reserve(threads_count_);
    for (unsigned i = 0; i < threads_count_; ++i) threads_.emplace_back([this] { run(); });
    state_ = State::kRunning;
    spdlog::info("http server: listening on {}:{} ({} threads)", host_, port_, threads_count_);
    return Status::ok();
  }

  uint16_t port() const { return port_; }

  void stop() {
    std::lock_guard lock(lifecycle_mutex_);
    if (state_ != State::kRunning) {
      state_ = State::kStopped;
      return;
    }
    state_ = State::kStopped;
    core_.service().metrics_sources().remove(source_);  // it reads core_
    // Close the listener and every connection on their strands, and wait
    // until that is done: ioc_.stop() would drop handlers not yet run.
    // Graceful: no new connection; requests in progress are answered
    // (kHttpDrainMax at most), idle connections closed; then the rest.
    auto closed = std::make_shared<std::latch>(1);
    net::post(acceptor_.get_executor(), [this, closed] {
      boost::system::error_code ec;
      acceptor_.close(ec);
      retry_timer_.cancel();
      closed->count_down();
    });
    closed->wait();
    if (const size_t cut = connections_.drain(kHttpDrainMax); cut > 0) {
      spdlog::warn("http server: {} request(s) still in progress after {} s; closing them", cut, kHttpDrainMax.count() / 1000);
    }
    const std::vector<std::shared_ptr<Connection>> live = connections_.take_all();
    auto latch = std::make_shared<std::latch>(std::ptrdiff_t(live.size()) + 1);
    latch->count_down();
    for (const std::shared_ptr<Connection>& connection : live) connection->close([latch] { latch->count_down(); });
    latch->wait();
    core_.stop_and_drain();  // after it no done callback touches ioc_
    core_.service().set_executor({});
    work_.reset();
    ioc_.stop();
    for (std::thread& thread : threads_) thread.join();
    threads_.clear();
    // Handlers still queued (and the connections they hold) are destroyed
    // with ioc_.
  }

  void set_allow_client_time(bool allow) { core_.set_allow_client_time(allow); }
  void set_timeouts(const HttpTimeouts& timeouts) {
    std::lock_guard lock(lifecycle_mutex_);
    AUTORIZA_CHECK(state_ == State::kNew);  // connections read them without a lock
    core_.set_timeouts(timeouts);
  }

 private:
  enum class State { kNew, kRunning, kStopped };

  void run() {
    // Handlers report errors through error codes; an exception here is a
    // bug in a handler. Log it and keep serving the other connections. The
    // loop ends when ioc_ is stopped.
    for (;;) {
      try {
        ioc_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http server: handler threw: {}", e.what());
      }
    }
  }

  // Runs on the acceptor's strand.
  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
      if (ec) {
        spdlog::warn("http server: accept: {}", ec.message());
        retry_timer_.expires_after(kAcceptRetryDelay);
        retry_timer_.async_wait([this](boost::system::error_code wait_ec) {
          if (!wait_ec && acceptor_.is_open()) accept();
        });
        return;
      }
      on_accept(std::move(socket));
      accept();
    });
  }

  void on_accept(tcp::socket socket) {
    boost::system::error_code ec;
    socket.set_option(tcp::no_delay(true), ec);  // answers are small: no Nagle delay
    auto connection = std::make_shared<Connection>(std::move(socket), core_);
    switch (connections_.add(connection)) {
      case ConnectionTable<Connection>::Added::kAdded:
        break;
      case ConnectionTable<Connection>::Added::kEvicted:
        core_.counters().idle_evictions.fetch_add(1, std::memory_order_relaxed);
        break;
      case ConnectionTable<Connection>::Added::kFull:
        log_refused();
        [[fallthrough]];
      case ConnectionTable<Connection>::Added::kClosed:
        core_.counters().refused.fetch_add(1, std::memory_order_relaxed);
        return;  // full or stopping: the socket closes with the connection
    }
    core_.counters().accepted.fetch_add(1, std::memory_order_relaxed);
    connection->start();
  }

  // One line per refusal would flood the log under the load that causes it:
  // at most one a second (the metric counts them all).
  void log_refused() {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(refused_log_mutex_);
    if (now - refused_logged_ < std::chrono::seconds(1)) return;
    refused_logged_ = now;
    spdlog::warn("http server: {} connections open, each with a request in progress: refusing new ones",
                 kConnectionsMax);
  }

  void write_metrics(PrometheusText& out) {
    const std::string port = std::to_string(port_);
    auto& c = core_.counters();
    out.add("autoriza_http_connections", MetricType::kGauge, "Connections open on an HTTP listener", {{"port", port}},
            double(c.open.load(std::memory_order_relaxed)));
    out.add("autoriza_http_connections_accepted_total", MetricType::kCounter, "Connections an HTTP listener accepted",
            {{"port", port}}, double(c.accepted.load(std::memory_order_relaxed)));
    out.add("autoriza_http_connections_refused_total", MetricType::kCounter,
            "Connections closed at once: the listener held its maximum", {{"port", port}},
            double(c.refused.load(std::memory_order_relaxed)));
    out.add("autoriza_http_request_timeouts_total", MetricType::kCounter,
            "Connections closed because a request's header or body came too slowly (slow clients)", {{"port", port}},
            double(c.header_timeouts.load(std::memory_order_relaxed)));
    out.add("autoriza_http_idle_evictions_total", MetricType::kCounter,
            "Idle connections closed to make room for a new one: the listener held its maximum", {{"port", port}},
            double(c.idle_evictions.load(std::memory_order_relaxed)));
    out.add("autoriza_http_large_bodies", MetricType::kGauge,
            "Requests with a body over 64 KiB (uploads) being read or answered", {{"port", port}},
            double(core_.large_bodies()));
    out.add("autoriza_http_large_bodies_refused_total", MetricType::kCounter,
            "Uploads answered 503: every large-body slot was taken", {{"port", port}},
            double(c.large_bodies_refused.load(std::memory_order_relaxed)));
  }

  ServerCore core_;
  const std::string host_;
  uint16_t port_;
  MetricsSources::Id source_ = 0;  // from start() to stop()
  const unsigned threads_count_;
  std::mutex lifecycle_mutex_;  // start() against stop()
  State state_ = State::kNew;
  // I/O objects below ioc_ are destroyed before it; ioc_ then destroys the
  // handlers it still holds, and with them the last connections.
  net::io_context ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;  // from start() to stop()
  tcp::acceptor acceptor_{net::make_strand(ioc_)};
  net::steady_timer retry_timer_{acceptor_.get_executor()};
  ConnectionTable<Connection> connections_{kConnectionsMax};  // stop() takes them
  std::mutex refused_log_mutex_;
  std::chrono::steady_clock::time_point refused_logged_{};
  std::vector<std::thread> threads_;
};

HttpServer::HttpServer(Service& service, std::string host, uint16_t port, unsigned threads, bool allow_client_time)
    : impl_(std::make_unique<Impl>(service, std::move(host), port, std::clamp(threads, 1u, kServerThreadsMax),
                                   allow_client_time)) {}

HttpServer::~HttpServer() = default;

Status HttpServer::start() { return impl_->start(); }
uint16_t HttpServer::port() const { return impl_->port(); }
void HttpServer::stop() { impl_->stop(); }
void HttpServer::set_allow_client_time(bool allow) { impl_->set_allow_client_time(allow); }
void HttpServer::set_timeouts(const HttpTimeouts& timeouts) { impl_->set_timeouts(timeouts); }

}  // namespace autoriza
