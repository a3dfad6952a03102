// TcpClient (see tcp_client.h). Everything below runs on the client's one I/O
// thread except the public entry points, which post to it. session_ counts
// connections: a handler of an older connection finds it changed and stops.
#include "adapters/tcp/tcp_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstring>
#include <deque>
#include <map>
#include <random>
#include <thread>

#include "adapters/tcp/frame.h"
#include "adapters/tcp/transport.h"

namespace autoriza::tcp {
namespace {

namespace net = boost::asio;
using net::ip::tcp;
using boost::system::error_code;
using Clock = std::chrono::steady_clock;

constexpr std::chrono::milliseconds kSweepEvery{50};

Answer client_error(std::string code, std::string message) {
  Answer a;
  a.error = WireError{0, std::move(code), std::move(message), "", 0};
  return a;
}

}  // namespace

class TcpClient::Impl {
 public:
  explicit Impl(ClientOptions options) : options_(std::move(options)), in_(2 * kFrameBytesMax) {
    AUTORIZA_CHECK(options_.in_flight_max >= 1);
    work_.emplace(ioc_.get_executor());
    thread_ = std::thread([this] { ioc_.run(); });
    net::post(ioc_, [this] { sweep(); });
  }

  ~Impl() {
    std::promise<void> closed;
    net::post(ioc_, [this, &closed] {
      close_all();
      closed.set_value();
    });
    closed.get_future().wait();
    work_.reset();
    thread_.join();  // every handler has run: none is re-armed once closed
  }

  Status connect() {
    std::promise<Status> done;
    auto result = done.get_future();
    net::post(ioc_, [this, &done] {
      if (phase_ == Phase::kReady) return done.set_value(Status::ok());
      connect_waiter_ = &done;
      if (phase_ != Phase::kConnecting) open();
    });
    return result.get();
  }

  std::string principal() const {
    std::lock_guard lock(principal_mutex_);
    return principal_;
  }

  uint64_t connections() const { return connections_.load(); }

  void submit(const fb::CommandUnion& command, std::optional<Millis> now, Callback done) {
    std::string payload = command_payload(command, now);
    if (payload.size() > kPayloadBytesMax) {
      return done(client_error("INVALID_REQUEST", "command over " + std::to_string(kPayloadBytesMax) + " bytes"));
    }
    net::post(ioc_, [this, payload = std::move(payload), done = std::move(done)]() mutable {
      if (phase_ == Phase::kClosed) return done(client_error("TRANSPORT", "client closed"));
      if (pending_.size() >= options_.in_flight_max) {
        return done(client_error("CLIENT_BUSY", std::to_string(pending_.size()) + " commands unanswered"));
      }
      const uint64_t id = next_id_++;
      Pending& p = pending_[id];
      p.frame = std::make_shared<const std::string>(encode_frame(FrameKind::kCommand, id, payload));
      p.done = std::move(done);
      p.deadline = Clock::now() + options_.request_timeout;
      if (phase_ == Phase::kReady) {
        send(p.frame);
      } else if (phase_ == Phase::kIdle || phase_ == Phase::kFailed) {
        attempts_ = 0;
        open();
      }  // connecting or waiting to reconnect: sent once ready
    });
  }

  void break_connection() {
    net::post(ioc_, [this] {
      if (phase_ == Phase::kReady) broken(FailureKind::kLost, "connection broken on purpose");
    });
  }

 private:
  enum class Phase : uint8_t { kIdle, kConnecting, kReady, kWaiting, kFailed, kClosed };
  using Bytes = std::shared_ptr<const std::string>;  // a frame, kept alive by the write that sends it
  struct Pending {
    Bytes frame;
    Callback done;
    Clock::time_point deadline;
  };

  // Starts connection number ++session_: resolve, connect, TLS, AUTH.
  void open() {
    phase_ = Phase::kConnecting;
    const uint64_t session = ++session_;
    connect_deadline_ = Clock::now() + options_.connect_timeout;
    resolver_.async_resolve(options_.host, std::to_string(options_.port),
                            [this, session](const error_code& ec, tcp::resolver::results_type results) {
                              if (session != session_) return;
                              if (ec) {
                                return broken(FailureKind::kUnreachable,
                                              "cannot resolve " + options_.host + ": " + ec.message());
                              }
                              tcp::socket socket(ioc_);
                              if (options_.tls) {
                                if (!tls_context_) {
                                  if (Status s = make_client_context(options_.tls_files, &tls_context_); !s) {
                                    return fail_all(Status::unavailable(s.message()), "TRANSPORT");
                                  }
                                }
                                transport_ = std::make_shared<Transport>(std::move(socket), *tls_context_);
                              } else {
                                transport_ = std::make_shared<Transport>(std::move(socket));
                              }
                              net::async_connect(transport_->lowest(), results,
                                                 [this, session, t = transport_](const error_code& cec,
                                                                                 const tcp::endpoint&) {
                                                   if (session != session_) return;
                                                   if (cec) return broken(FailureKind::kUnreachable, "cannot connect: " + cec.message());
                                                   on_connected(session);
                                                 });
                            });
  }

  void on_connected(uint64_t session) {
    error_code ignored;
    transport_->lowest().set_option(tcp::no_delay(true), ignored);
    ++connections_;
    if (!transport_->is_tls()) return authenticate(session);
    auto* tls = transport_->tls();
    SSL_set_tlsext_host_name(tls->native_handle(), options_.host.c_str());
    tls->set_verify_callback(net::ssl::host_name_verification(options_.host));
    tls->async_handshake(net::ssl::stream_base::client, [this, session, t = transport_](const error_code& ec) {
      if (session != session_) return;
      if (ec) return broken(FailureKind::kHandshake, "TLS handshake: " + ec.message());
      authenticate(session);
    });
  }

  // Ready once the server answers: AUTH_OK to the key, or (the client
  // certificate speaks for us) PONG to a PING, which proves the server took
  // the handshake (TLS 1.3 tells a refused certificate only after it).
  void authenticate(uint64_t session) {
    in_size_ = 0;
    read(session);
    const FrameKind first = options_.api_key.empty() ? FrameKind::kPing : FrameKind::kAuth;
    send(std::make_shared<const std::string>(encode_frame(first, 0, options_.api_key)));
  }

  void ready() {
    phase_ = Phase::kReady;
    last_sent_ = Clock::now();
    if (connect_waiter_) std::exchange(connect_waiter_, nullptr)->set_value(Status::ok());
    for (auto& [id, p] : pending_) send(p.frame);  // first sends and retries, in id order
  }

  void read(uint64_t session) {
    transport_->async_read_some(net::buffer(in_.data() + in_size_, in_.size() - in_size_),
                                [this, session, t = transport_](const error_code& ec, size_t bytes) {
                                  if (session != session_) return;
                                  if (ec) return broken(lost_kind(), "connection lost: " + ec.message());
                                  in_size_ += bytes;
                                  on_bytes(session);
                                });
  }

  void on_bytes(uint64_t session) {
    size_t at = 0;
    for (;;) {
      Frame frame;
      const Decoded d = decode_frame(std::string_view(in_.data() + at, in_size_ - at), &frame);
      if (d.state == DecodeState::kNeedMore) break;
      if (d.state == DecodeState::kError) {
        return broken(FailureKind::kLost, "server sent a bad frame: " + d.error.to_string());
      }
      at += d.bytes;
      on_frame(frame);
      if (session != session_) return;  // the frame ended this connection
    }
    std::memmove(in_.data(), in_.data() + at, in_size_ - at);
    in_size_ -= at;
    read(session);
  }

  void on_frame(const Frame& frame) {
    if (frame.kind != FrameKind::kGoaway) attempts_ = 0;  // the server answers: the connection works
    switch (frame.kind) {
      case FrameKind::kAuthOk: {
        std::lock_guard lock(principal_mutex_);
        principal_ = frame.payload;
        break;
      }
      case FrameKind::kResult: {
        auto it = pending_.find(frame.request_id);
        if (it == pending_.end()) return;  // timed out meanwhile
        Answer answer;
        if (Status s = read_reply(frame.payload, &answer); !s) answer = client_error("BAD_ANSWER", s.to_string());
        Callback done = std::move(it->second.done);
        pending_.erase(it);
        done(std::move(answer));
        return;
      }
      case FrameKind::kGoaway: {
        Answer why;
        (void)read_reply(frame.payload, &why);
        if (why.error.status == 401) {
          notify(FailureKind::kKeyRejected, why.error.message, std::chrono::milliseconds(0));
          return fail_all(Status::unauthenticated(why.error.message), why.error.code);
        }
        retry_after_ = std::chrono::seconds(why.error.retry_after_s);
        return broken(why.error.status == 429 ? FailureKind::kLimited : FailureKind::kLost,
                      "server said GOAWAY " + std::to_string(why.error.status) + " " + why.error.code + ": " +
                          why.error.message);
      }
      case FrameKind::kPong:
        break;  // ready, when it answers the PING after the handshake
      default: return;  // a server sends nothing else
    }
    if (phase_ == Phase::kConnecting) ready();
  }

  void send(Bytes frame) {
    out_.push_back(frame);
    last_sent_ = Clock::now();
    if (!writing_) write_next(session_);
  }

  void write_next(uint64_t session) {
    writing_ = true;
    Bytes frame = out_.front();
    transport_->async_write(net::buffer(*frame), [this, session, t = transport_, frame](const error_code& ec, size_t) {
      if (session != session_) return;
      writing_ = false;
      if (ec) return broken(lost_kind(), "write failed: " + ec.message());
      out_.pop_front();
      if (!out_.empty()) write_next(session);
    });
  }

  // The connection is unusable: close it, then reconnect after a pause, or
  // give up (every unanswered command gets TRANSPORT).
  void broken(FailureKind kind, const std::string& why) {
    if (phase_ == Phase::kClosed) return;
    ++session_;
    if (transport_) transport_->close();
    out_.clear();
    writing_ = false;
    in_size_ = 0;
    // connect() reports its last failure; a broken connection gives up after
    // reconnect_attempts in a row.
    const int allowed = connect_waiter_ ? options_.connect_attempts - 1 : options_.reconnect_attempts;
    if (attempts_ >= allowed) {
      notify(kind, why, std::chrono::milliseconds(0));
      return fail_all(Status::unavailable(why), "TRANSPORT");
    }
    const std::chrono::milliseconds delay = std::max(backoff(), std::exchange(retry_after_, {}));
    notify(kind, why, delay);
    ++attempts_;
    phase_ = Phase::kWaiting;
    reconnect_timer_.expires_after(delay);
    reconnect_timer_.async_wait([this, session = session_](const error_code& ec) {
      if (!ec && session == session_ && phase_ == Phase::kWaiting) open();
    });
  }

  // The pause before the next attempt (ClientOptions::reconnect_delay).
  std::chrono::milliseconds backoff() {
    const auto doubled = options_.reconnect_delay * (int64_t(1) << std::min(attempts_, 20));
    const auto capped = std::min<std::chrono::milliseconds>(doubled, options_.reconnect_delay_max);
    std::uniform_int_distribution<int64_t> jitter(0, capped.count() / 4);
    return capped - std::chrono::milliseconds(jitter(random_));
  }

  // How a connection that broke failed: before the server answered anything
  // after a TLS handshake, it refused our certificate.
  FailureKind lost_kind() const {
    if (phase_ == Phase::kConnecting && transport_ && transport_->is_tls()) return FailureKind::kCertificateRejected;
    return FailureKind::kLost;
  }

  void notify(FailureKind kind, const std::string& detail, std::chrono::milliseconds retry_in) {
    if (options_.on_failure) options_.on_failure(ConnectFailure{kind, detail, attempts_ + 1, retry_in});
  }

  void fail_all(const Status& why, const std::string& code) {
    ++session_;
    if (transport_) transport_->close();
    out_.clear();
    writing_ = false;
    phase_ = phase_ == Phase::kClosed ? Phase::kClosed : Phase::kFailed;
    if (connect_waiter_) std::exchange(connect_waiter_, nullptr)->set_value(why);
    auto pending = std::move(pending_);
    pending_.clear();
    for (auto& [id, p] : pending) p.done(client_error(code, why.message()));
  }

  // Times out commands, pings an idle connection, gives up a slow connect.
  void sweep() {
    if (phase_ == Phase::kClosed) return;
    const auto now = Clock::now();
    if (phase_ == Phase::kConnecting && now > connect_deadline_) broken(FailureKind::kUnreachable, "connect timed out");
    for (auto it = pending_.begin(); it != pending_.end();) {
      if (now < it->second.deadline) {
        ++it;
        continue;
      }
      Callback done = std::move(it->second.done);
      it = pending_.erase(it);
      done(client_error("TIMEOUT", "no answer within " + std::to_string(options_.request_timeout.count()) + " ms"));
    }
    if (phase_ == Phase::kReady && now - last_sent_ > options_.ping_interval) {
      send(std::make_shared<const std::string>(encode_frame(FrameKind::kPing, 0, "")));
    }
    sweep_timer_.expires_after(kSweepEvery);
    sweep_timer_.async_wait([this](const error_code& ec) {
      if (!ec) sweep();
    });
  }

  void close_all() {
    fail_all(Status::unavailable("client closed"), "TRANSPORT");
    phase_ = Phase::kClosed;
    resolver_.cancel();
    reconnect_timer_.cancel();
    sweep_timer_.cancel();
  }

  const ClientOptions options_;
  net::io_context ioc_{1};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  tcp::resolver resolver_{ioc_};
  net::steady_timer reconnect_timer_{ioc_};
  net::steady_timer sweep_timer_{ioc_};
  std::shared_ptr<net::ssl::context> tls_context_;
  // Shared with the handlers of its operations: a TLS stream must outlive
  // them even after a reconnect replaced it.
  std::shared_ptr<Transport> transport_;
  Phase phase_ = Phase::kIdle;
  uint64_t session_ = 0;
  int attempts_ = 0;                        // failed attempts in a row
  std::chrono::milliseconds retry_after_{};  // a GOAWAY 429's, for the next pause
  std::minstd_rand random_{std::random_device{}()};
  Clock::time_point connect_deadline_{};
  Clock::time_point last_sent_{};
  std::promise<Status>* connect_waiter_ = nullptr;
  std::vector<char> in_;
  size_t in_size_ = 0;
  std::deque<Bytes> out_;  // at most in_flight_max commands, AUTH, PINGs
  bool writing_ = false;
  std::map<uint64_t, Pending> pending_;  // at most in_flight_max
  uint64_t next_id_ = 1;
  std::atomic<uint64_t> connections_{0};
  mutable std::mutex principal_mutex_;
  std::string principal_;
  std::thread thread_;  // last: joined before the members above go
};

TcpClient::TcpClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
TcpClient::~TcpClient() = default;
Status TcpClient::connect() { return impl_->connect(); }
std::string TcpClient::principal() const { return impl_->principal(); }
void TcpClient::submit(const fb::CommandUnion& command, std::optional<Millis> now, Callback done) {
  impl_->submit(command, now, std::move(done));
}
std::future<Answer> TcpClient::submit(const fb::CommandUnion& command, std::optional<Millis> now) {
  auto promise = std::make_shared<std::promise<Answer>>();
  auto future = promise->get_future();
  impl_->submit(command, now, [promise](Answer a) { promise->set_value(std::move(a)); });
  return future;
}
void TcpClient::break_connection() { impl_->break_connection(); }
uint64_t TcpClient::connections() const { return impl_->connections(); }

}  // namespace autoriza::tcp
