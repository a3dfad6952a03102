// One TCP connection (see tcp_connection.h and tcp_server.h).
#include "adapters/tcp/tcp_connection.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>
#include <cstring>

#include "adapters/codec/error_codes.h"
#include "engine/core/clock.h"

namespace autoriza::tcp {
namespace {

namespace net = boost::asio;
using boost::system::error_code;

constexpr size_t kReadBufferBytes = 2 * kFrameBytesMax;
constexpr std::chrono::seconds kLingerTimeout{2};
constexpr size_t kLingerBytesMax = 1024 * 1024;
// Recorded in the events of the commands of this adapter (TLS or not).
constexpr std::string_view kChannel = "tcp";

// A service call whose callback has not run: the one callback that answers
// releases the connection, on whatever thread it runs.
struct PendingCall {
  std::atomic<bool> answered{false};
  std::shared_ptr<TcpConnection> connection;
};

}  // namespace

TcpConnection::TcpConnection(Transport transport, TcpCore& core)
    : transport_(std::move(transport)),
      core_(core),
      in_(kReadBufferBytes),
      timer_(transport_.lowest().get_executor()),
      write_timer_(transport_.lowest().get_executor()) {
  core_.counters().open.fetch_add(1, std::memory_order_relaxed);
  error_code ec;
  const auto peer = transport_.lowest().remote_endpoint(ec);
  if (!ec) address_ = peer.address().to_string();
}

TcpConnection::~TcpConnection() { core_.counters().open.fetch_sub(1, std::memory_order_relaxed); }

void TcpConnection::start() {
  net::post(transport_.lowest().get_executor(), [self = shared_from_this()] {
    if (self->refuse_limited_address()) return;
    if (!self->transport_.is_tls()) {
      self->phase_ = Phase::kOpen;
      return self->read();
    }
    if (!self->idle_mark_.set_idle()) return self->close_now();  // evictable until the handshake is done
    self->arm_timer();  // the handshake must finish within frame_timeout
    self->transport_.tls()->async_handshake(net::ssl::stream_base::server,
                                            [self](const error_code& ec) { self->on_handshake(ec); });
  });
}

bool TcpConnection::refuse_limited_address() {
  int64_t retry_after_s = 0;
  const Status s = core_.service().check_auth_failures(address_, &retry_after_s);
  if (s) return false;
  if (transport_.is_tls()) {
    close_now();  // no handshake (its CPU is what a guesser spends ours on), so nothing can be said
    return true;
  }
  phase_ = Phase::kOpen;
  goaway(0, wire_error(s, retry_after_s));
  return true;
}

void TcpConnection::close(std::function<void()> on_closed) {
  net::post(transport_.lowest().get_executor(), [self = shared_from_this(), on_closed = std::move(on_closed)] {
    self->close_now();
    if (on_closed) on_closed();
  });
}

void TcpConnection::on_handshake(const error_code& ec) {
  if (phase_ != Phase::kHandshake) return;
  if (ec) {
    core_.counters().handshake_failed.fetch_add(1, std::memory_order_relaxed);
    core_.service().auth_failures().failed(address_);
    core_.log_handshake_failure(address_, ec.message());
    return close_now();
  }
  phase_ = Phase::kOpen;
  const std::string der = peer_certificate_der(transport_.tls()->native_handle());
  if (!der.empty()) {
    auth::Principal principal;
    if (auth::authenticate_certificate(*core_.service().engine().reference(), der, &principal)) {
      spdlog::info("tcp server: client certificate of {} ({})", principal.name, principal.key_id);
      principal_ = std::move(principal);
    }
  }
  read();
}

bool TcpConnection::has_room() const {
  return in_flight_.size() < core_.options().in_flight_max && out_bytes_ < kWriteQueueBytesMax;
}

void TcpConnection::read() {
  if (reading_ || phase_ == Phase::kClosed || phase_ == Phase::kHandshake) return;
  if (phase_ == Phase::kClosing) in_size_ = 0;  // draining: what comes is discarded
  AUTORIZA_CHECK(in_size_ < in_.size());
  reading_ = true;
  arm_timer();
  update_idle();
  if (phase_ == Phase::kClosed) return;  // evicted
  transport_.async_read_some(net::buffer(in_.data() + in_size_, in_.size() - in_size_),
                             [self = shared_from_this()](const error_code& ec, size_t bytes) { self->on_read(ec, bytes); });
}

void TcpConnection::on_read(const error_code& ec, size_t bytes) {
  reading_ = false;
  if (phase_ == Phase::kClosed) return;
  if (phase_ == Phase::kClosing) {
    linger_bytes_ += bytes;
    if (ec || linger_bytes_ > kLingerBytesMax) return close_now();
    return read();
  }
  if (ec) return close_now();  // peer closed, reset, cancelled: nobody to answer
  if (!idle_mark_.set_busy()) return close_now();  // evicted just before its frame came
  in_size_ += bytes;
  process();
}

void TcpConnection::arm_timer() {
  std::chrono::milliseconds after = core_.options().idle_timeout;
  // A handshake, a started frame, and a connection's first frame (one that
  // opens and says nothing holds its slot 10 s, not 60) have frame_timeout.
  if (phase_ == Phase::kHandshake || in_size_ > 0 || !spoke_) after = core_.options().frame_timeout;
  if (phase_ == Phase::kClosing) after = kLingerTimeout;
  timer_.expires_after(after);
  timer_.async_wait([self = shared_from_this()](const error_code& ec) { self->on_timer(ec); });
}

void TcpConnection::on_timer(const error_code& ec) {
  if (ec == net::error::operation_aborted || phase_ == Phase::kClosed) return;  // re-armed or closed
  if (phase_ == Phase::kHandshake) core_.counters().handshake_failed.fetch_add(1, std::memory_order_relaxed);
  if (phase_ == Phase::kHandshake || phase_ == Phase::kClosing) return close_now();
  // Waiting for the engine (answers owed, or no room to read) is not idleness.
  if (!reading_ || (in_size_ == 0 && !in_flight_.empty())) return arm_timer();
  const TcpServerOptions& o = core_.options();
  if (in_size_ > 0 || !spoke_) {
    const std::string what = in_size_ > 0 ? "frame not completed" : "no first frame";
    return goaway(0, WireError{408, "TIMEOUT", what + " within " + std::to_string(o.frame_timeout.count()) + " ms",
                               "", 0});
  }
  goaway(0, WireError{408, "TIMEOUT", "no frame for " + std::to_string(o.idle_timeout.count()) + " ms", "", 0});
}

void TcpConnection::process() {
  // A read in progress writes behind in_size_: it was started because in_
  // held no complete frame, so there is nothing to decode until it ends.
  if (reading_) return;
  size_t at = 0;
  while (phase_ == Phase::kOpen && has_room()) {
    Frame frame;
    const Decoded d = decode_frame(std::string_view(in_.data() + at, in_size_ - at), &frame);
    if (d.state == DecodeState::kNeedMore) break;
    if (d.state == DecodeState::kError) {
      in_size_ = 0;
      return goaway(0, wire_error(d.error));
    }
    at += d.bytes;
    spoke_ = true;
    handle(frame);
  }
  if (phase_ != Phase::kOpen) return;
  if (at > 0) {
    std::memmove(in_.data(), in_.data() + at, in_size_ - at);
    in_size_ -= at;
  }
  if (has_room()) read();
}

void TcpConnection::handle(Frame& frame) {
  switch (frame.kind) {
    case FrameKind::kAuth: return on_auth(frame);
    case FrameKind::kCommand: return on_command(frame);
    case FrameKind::kPing: return send(encode_frame(FrameKind::kPong, frame.request_id, frame.payload));
    case FrameKind::kPong: return;
    case FrameKind::kAuthOk:
    case FrameKind::kResult:
    case FrameKind::kGoaway:
      return goaway(frame.request_id, WireError{400, "INVALID_REQUEST",
                                                std::string(frame_kind_name(frame.kind)) + " is sent by servers only",
                                                "kind", 0});
  }
}

void TcpConnection::on_auth(const Frame& frame) {
  if (principal_) {
    return goaway(frame.request_id, WireError{400, "INVALID_REQUEST", "already authenticated as " + principal_->name,
                                              "kind", 0});
  }
  int64_t retry_after_s = 0;
  if (Status s = core_.service().check_auth_failures(address_, &retry_after_s); !s) {  // the key is not checked
    return goaway(frame.request_id, wire_error(s, retry_after_s));
  }
  auth::Principal principal;
  if (Status s = auth::authenticate_key(*core_.service().engine().reference(), frame.payload, &principal); !s) {
    core_.service().auth_failures().failed(address_);
    spdlog::info("tcp server: authentication refused from {}: {}", address_, s.message());  // never the key
    return goaway(frame.request_id, wire_error(s));
  }
  principal_ = std::move(principal);
  send(encode_frame(FrameKind::kAuthOk, frame.request_id, principal_->name.substr(0, kNameBytesMax)));
}

void TcpConnection::on_command(const Frame& frame) {
  const uint64_t id = frame.request_id;
  if (!principal_) {
    return goaway(id, WireError{401, "UNAUTHENTICATED",
                                "authenticate first: send AUTH with an API key or present a client certificate", "", 0});
  }
  fb::CommandUnion command;
  std::optional<Millis> client_now;
  Status s = in_flight_.contains(id) ? Status::invalid("request id " + std::to_string(id) +
                                                           " is already in flight on this connection",
                                                       "request_id")
                                     : read_command(frame.payload, &command, &client_now);
  int64_t retry_after_s = 0;
  if (s && !core_.limiter().admit(principal_->name, &retry_after_s)) {
    s = Status::rate_limited("over " + std::to_string(core_.limiter().rate_per_s()) + " commands/s for " +
                             principal_->name);
  }
  if (s && !core_.begin_call()) {
    s = Status::unavailable("server stopping");
    retry_after_s = 1;
  }
  if (!s) {
    // Answered here, before the service: still one command in the metrics
    // and the access log.
    CommandTrace trace{kChannel, traced_command(command.type), {}, {}, principal_->name};
    trace.set_command(command);
    core_.service().observe(trace, refused(http_status(s.kind())));
    return reply_error(id, wire_error(s, retry_after_s));
  }
  const Millis now = core_.options().allow_client_time && client_now ? *client_now : wall_clock_now();
  in_flight_.insert(id);
  auto pending = std::make_shared<PendingCall>();
  pending->connection = shared_from_this();
  TcpCore* core = &core_;
  core_.service().submit(*principal_, std::move(command), now, kChannel, [pending, core, id](Outcome outcome) {
    if (pending->answered.exchange(true)) return;
    {
      std::shared_ptr<TcpConnection> self = std::move(pending->connection);
      auto executor = self->transport_.lowest().get_executor();
      net::post(executor, [self = std::move(self), id, outcome = std::move(outcome)]() mutable {
        self->on_outcome(id, std::move(outcome));
      });
    }
    core->end_call();  // last touch of the server
  });
}

void TcpConnection::on_outcome(uint64_t request_id, Outcome outcome) {
  AUTORIZA_CHECK(in_flight_.erase(request_id) == 1);
  if (phase_ != Phase::kOpen) return;  // closing: the client retries with the same request id
  if (!outcome.status) {
    reply_error(request_id, wire_error(outcome.status, retry_after_s(outcome.status.kind())));
  } else if (!outcome.result) {
    // A Kafka gateway's answers come as JSON text only (partition.h); the
    // binary adapter is not started there, this keeps it from crashing if it were.
    reply_error(request_id, WireError{500, "INTERNAL", "no binary result for this answer", "", 0});
  } else {
    std::string payload = result_payload(*outcome.result, outcome.replayed);
    if (payload.size() > kPayloadBytesMax) {
      reply_error(request_id, WireError{500, "INTERNAL", "answer over the frame size", "", 0});
    } else {
      send(encode_frame(FrameKind::kResult, request_id, payload));
    }
  }
  process();  // room again: handle frames already read, or read more
  update_idle();
}

void TcpConnection::reply_error(uint64_t request_id, const WireError& error) {
  send(encode_frame(FrameKind::kResult, request_id, error_payload(error)));
}

void TcpConnection::goaway(uint64_t request_id, const WireError& error) {
  if (phase_ != Phase::kOpen) return;
  spdlog::info("tcp server: GOAWAY {} {}: {}", error.status, error.code, error.message);
  auto& counters = core_.counters();
  (error.status == 401   ? counters.goaway_401
   : error.status == 408 ? counters.goaway_408
   : error.status == 429 ? counters.goaway_429
                         : counters.goaway_400)
      .fetch_add(1, std::memory_order_relaxed);
  send(encode_frame(FrameKind::kGoaway, request_id, error_payload(error)));
  phase_ = Phase::kClosing;  // after send: the frame is queued first
  linger_bytes_ = 0;
  arm_timer();
}

void TcpConnection::send(std::string frame) {
  if (phase_ != Phase::kOpen) return;
  out_bytes_ += frame.size();
  out_.push_back(std::move(frame));
  if (!writing_) write_next();
}

void TcpConnection::write_next() {
  AUTORIZA_CHECK(!writing_ && !out_.empty());
  writing_ = true;
  write_timer_.expires_after(core_.options().write_timeout);
  write_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
    if (!ec && self->writing_) self->close_now();  // a client that does not read
  });
  transport_.async_write(net::buffer(out_.front()), [self = shared_from_this()](const error_code& ec, size_t bytes) {
    self->on_write(ec, bytes);
  });
}

void TcpConnection::on_write(const error_code& ec, size_t /*bytes*/) {
  writing_ = false;
  write_timer_.cancel();
  if (phase_ == Phase::kClosed) return;
  if (ec) return close_now();
  out_bytes_ -= out_.front().size();
  out_.pop_front();
  if (!out_.empty()) return write_next();
  if (phase_ == Phase::kClosing) {
    // Everything, GOAWAY last, is written: stop sending and drain what the
    // client still sends (bounded), so it reads GOAWAY instead of a reset.
    error_code ignored;
    transport_.lowest().shutdown(Transport::Socket::shutdown_send, ignored);
    return read();
  }
  if (!reading_) process();  // the queue was full: room again
  update_idle();
}

void TcpConnection::update_idle() {
  if (phase_ != Phase::kOpen) return;  // handshake: idle since start(); closing: leaving anyway
  const bool idle = reading_ && in_size_ == 0 && in_flight_.empty() && !writing_ && out_.empty();
  if (!(idle ? idle_mark_.set_idle() : idle_mark_.set_busy())) close_now();
}

void TcpConnection::close_now() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  timer_.cancel();
  write_timer_.cancel();
  transport_.close();
}

}  // namespace autoriza::tcp
