#include "adapters/http/connection.h"

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <algorithm>
#include <atomic>
#include <cassert>
#include <cctype>
#include <exception>
#include <string>
#include <utility>

#include "engine/core/clock.h"
#include "adapters/http/routes.h"
#include "adapters/service/security_headers.h"

namespace autoriza {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;

std::string_view to_std(beast::string_view view) { return {view.data(), view.size()}; }

// The target as quoted in an error message: bounded, since it comes from the
// client.
std::string quoted_target(std::string_view target) {
  if (target.size() <= kTargetInMessageMax) return std::string(target);
  return std::string(target.substr(0, kTargetInMessageMax)) + "...";
}

// The key of "Authorization: Bearer KEY" (scheme case-insensitive, RFC 6750).
// Empty when the header is absent; false when present in another form.
bool bearer_key(const http::request<http::string_body>& request, std::string_view* key) {
  const auto field = request.find(http::field::authorization);
  if (field == request.end()) return true;
  std::string_view value = to_std(field->value());
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return false;
  }
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  *key = value;
  return !value.empty();
}

// The value of cookie `name` in the Cookie header ("a=1; autoriza_portal=T"),
// or empty.
std::string_view cookie_value(const http::request<http::string_body>& request, std::string_view name) {
  const auto field = request.find(http::field::cookie);
  if (field == request.end()) return {};
  std::string_view cookies = to_std(field->value());
  while (!cookies.empty()) {
    const size_t end = cookies.find(';');
    std::string_view pair = cookies.substr(0, end);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    cookies = end == std::string_view::npos ? std::string_view{} : cookies.substr(end + 1);
  }
  return {};
}

// The portal's parts of a request: its session cookie, CSRF token and
// whether a TLS-terminating proxy says the client used https; and its
// Content-Type (an upload's declared type).
void add_portal_fields(const http::request<http::string_body>& request, Caller* caller) {
  caller->session = cookie_value(request, kSessionCookie);
  caller->account_session = cookie_value(request, kAccountCookie);
  if (const auto csrf = request.find("X-CSRF-Token"); csrf != request.end()) caller->csrf = to_std(csrf->value());
  if (const auto proto = request.find("X-Forwarded-Proto"); proto != request.end()) {
    caller->https = to_std(proto->value()) == "https";
  }
  if (const auto type = request.find(http::field::content_type); type != request.end()) {
    caller->content_type = to_std(type->value());
  }
}

// Whether the client waits for "100 Continue" before it sends the body
// (curl does for large ones; RFC 9110 section 10.1.1).
bool expects_continue(const http::request<http::string_body>& request) {
  const auto expect = request.find(http::field::expect);
  return expect != request.end() && beast::iequals(expect->value(), "100-continue");
}

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// Why a request's framing cannot be trusted, or empty (RFC 9112 section 6.1).
// A Transfer-Encoding whose last coding is not chunked leaves the body's end
// unknown: read as empty (or by a Content-Length sent beside it), its bytes
// would be parsed as the next request, which a proxy in front may not have
// seen as one (request smuggling). HTTP/1.0 has no Transfer-Encoding at all.
std::string_view bad_framing(const http::request_parser<http::string_body>& parser) {
  const auto& header = parser.get();
  if (header.find(http::field::transfer_encoding) == header.end()) return {};
  if (header.version() < 11) return "Transfer-Encoding is not allowed in an HTTP/1.0 request";
  if (!parser.chunked()) return "Transfer-Encoding must end in chunked (the only transfer coding accepted)";
  return {};
}

bool is_http_error(const beast::error_code& ec) {
  return ec.category() == http::make_error_code(http::error::end_of_stream).category();
}

// A service call whose done callback has not run yet. Shared by every copy
// of the callback, so the connection is released by the one call that
// answers, on whatever thread, and never by a late destruction of a copy.
struct PendingCall {
  std::atomic<bool> answered{false};
  std::shared_ptr<Connection> connection;
};

}  // namespace

Connection::Connection(net::ip::tcp::socket socket, ServerCore& core) : stream_(std::move(socket)), core_(core) {
  core_.counters().open.fetch_add(1, std::memory_order_relaxed);
  beast::error_code ec;
  const net::ip::tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
  if (!ec) address_ = peer.address().to_string();
}

Connection::~Connection() {
  end_large_body();
  core_.counters().open.fetch_sub(1, std::memory_order_relaxed);
}

void Connection::end_large_body() {
  if (!large_body_) return;
  large_body_ = false;
  core_.end_large_body();
}

void Connection::start() {
  // Start on the strand: the acceptor runs on a different one.
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
}

void Connection::close(std::function<void()> on_closed) {
  net::post(stream_.get_executor(), [self = shared_from_this(), on_closed = std::move(on_closed)] {
    self->closed_ = true;
    self->close_now();
    if (on_closed) on_closed();
  });
}

void Connection::read_request() {
  if (closed_) return;
  parser_.emplace();
  parser_->header_limit(kHeaderBytesMax);
  parser_->body_limit(route_body_max_bytes());  // until the route is known (admit_body)
  body_row_ = nullptr;
  end_large_body();
  if (buffer_.size() > 0) return read_header();  // pipelined: the request has begun
  // Idle until a request begins: only this wait may last idle_timeout (a
  // new connection: first_byte). Meanwhile the server may evict it.
  if (!idle_mark_.set_idle()) return close_now();
  stream_.expires_after(spoke_ ? core_.timeouts().idle : core_.timeouts().first_byte);
  constexpr size_t kFirstRead = 4096;
  stream_.async_read_some(buffer_.prepare(std::min(kFirstRead, buffer_.max_size() - buffer_.size())),
                          beast::bind_front_handler(&Connection::on_first_byte, shared_from_this()));
}

void Connection::on_first_byte(beast::error_code ec, size_t bytes) {
  if (ec) return close_now();  // idle timeout, peer gone, closed by stop(): nobody waits for an answer
  // Evicted to make room just before its request came: closed unanswered,
  // as after an idle timeout (a keep-alive client retries on a new one).
  if (!idle_mark_.set_busy()) return close_now();
  spoke_ = true;
  buffer_.commit(bytes);
  read_header();
}

void Connection::read_header() {
  // From a request's first byte, its header must be complete within
  // header_timeout however the client spreads its bytes (slowloris).
  stream_.expires_after(core_.timeouts().header);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&Connection::on_header, shared_from_this()));
}

void Connection::on_header(beast::error_code ec, size_t bytes) {
  if (!ec || ec == http::error::body_limit) {  // the request line was read
    const Request& header = parser_->get();
    body_row_ = route_request(to_std(header.method_string()), to_std(header.target())).row;
  }
  if (!ec) {
    const std::string_view framing = bad_framing(*parser_);
    if (!framing.empty()) return refuse(error_reply(400, "INVALID_REQUEST", framing, "Transfer-Encoding"));
  }
  if (ec || parser_->is_done()) return on_read(ec, bytes);
  if (std::optional<Reply> refusal = admit_body()) return refuse(std::move(*refusal));
  if (!expects_continue(parser_->get())) return read_body();
  net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                   [self = shared_from_this()](beast::error_code write_ec, size_t) {
                     if (write_ec) return self->close_now();
                     self->read_body();
                   });
}

std::optional<Reply> Connection::admit_body() {
  assert(parser_.has_value() && !parser_->is_done());
  const size_t limit = body_max_bytes(body_row_);
  const boost::optional<uint64_t> length = parser_->content_length();
  if (length && *length > limit) return error_reply(400, "INVALID_REQUEST", body_over_message(body_row_));
  parser_->body_limit(limit);  // a chunked body is counted as it comes
  const bool large = length ? *length > kBodyMaxBytes : limit > kBodyMaxBytes;
  if (!large) return std::nullopt;
  const Request& header = parser_->get();
  Caller caller;
  Millis now;
  if (std::optional<Reply> bad = read_caller(header, &caller, &now)) return bad;
  const Status s = core_.service().admit_header(caller, to_std(header.method_string()), to_std(header.target()), now);
  if (!s) return reply_for(s);
  if (!core_.begin_large_body()) {
    core_.counters().large_bodies_refused.fetch_add(1, std::memory_order_relaxed);
    Reply busy =
        error_reply(503, "UNAVAILABLE", "Hay demasiados archivos subiéndose a la vez: reintentá en unos segundos");
    busy.retry_after_s = 1;
    return busy;
  }
  large_body_ = true;
  return std::nullopt;
}

void Connection::read_body() {
  stream_.expires_after(large_body_ ? core_.timeouts().large_body : core_.timeouts().body);
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Connection::on_read, shared_from_this()));
}

void Connection::refuse(Reply reply) {
  version_ = 11;
  keep_alive_ = false;
  head_ = false;
  send(std::move(reply));
}

void Connection::on_read(beast::error_code ec, size_t /*bytes*/) {
  assert(parser_.has_value());
  if (ec) {
    // The request could not be read whole: answer what was wrong with it and
    // close, since the rest of the byte stream cannot be trusted.
    if (ec == http::error::body_limit) {
      return refuse(error_reply(400, "INVALID_REQUEST", body_over_message(body_row_)));
    }
    if (ec == http::error::header_limit) {
      return refuse(error_reply(400, "INVALID_REQUEST", "header over " + std::to_string(kHeaderBytesMax) + " bytes"));
    }
    if (ec == beast::error::timeout) {
      // Started and not finished in time: a slow or stalled client. The
      // stream closed the socket as its deadline passed: no answer can go.
      core_.counters().header_timeouts.fetch_add(1, std::memory_order_relaxed);
      return close_now();
    }
    // end_of_stream: the client closed between requests; partial_message:
    // it closed inside one. Nobody is there to read an answer.
    if (is_http_error(ec) && ec != http::error::end_of_stream && ec != http::error::partial_message) {
      return refuse(error_reply(400, "INVALID_REQUEST", "malformed HTTP request: " + ec.message()));
    }
    return close_now();  // reset, aborted by close()
  }
  request_ = parser_->release();
  parser_.reset();
  handle();
}

void Connection::handle() {
  version_ = request_.version();
  keep_alive_ = request_.keep_alive();
  head_ = request_.method() == http::verb::head;
  const std::string_view method = to_std(request_.method_string());
  const std::string_view target = to_std(request_.target());
  const Route route = route_request(method, target);
  switch (route.kind) {
    case RouteKind::kCommand:
      return call_service(route.command);
    case RouteKind::kService:
      return call_service({});
    case RouteKind::kMethodNotAllowed:
      return send(error_reply(405, "METHOD_NOT_ALLOWED",
                              std::string(method) + " not allowed on " + quoted_target(target) +
                                  "; allowed: " + std::string(route.allow)),
                  route.allow);
    case RouteKind::kBadTarget:
      keep_alive_ = false;
      return send(error_reply(400, "INVALID_REQUEST", "request target must be a path starting with /"));
  }
  AUTORIZA_CHECK(false && "unhandled route kind");
}

std::optional<Reply> Connection::read_caller(const Request& request, Caller* caller, Millis* now) const {
  *now = wall_clock_now();
  if (core_.allow_client_time()) {
    const auto field = request.find(beast::string_view(kClientTimeHeader.data(), kClientTimeHeader.size()));
    if (field != request.end()) {
      const std::optional<Millis> client_now = parse_instant(to_std(field->value()));
      if (!client_now) {
        return error_reply(400, "INVALID_REQUEST",
                           std::string(kClientTimeHeader) + " is not an ISO-8601 instant with offset",
                           kClientTimeHeader);
      }
      *now = *client_now;
    }
  }
  if (!bearer_key(request, &caller->api_key)) {
    return error_reply(401, "UNAUTHENTICATED", "Authorization must be 'Bearer KEY'", "Authorization");
  }
  add_portal_fields(request, caller);
  client_ = client_address(request);  // caller->address views it: it lives as long as the request
  caller->address = client_;
  return std::nullopt;
}

std::string Connection::client_address(const Request& request) const {
  const auth::TrustedProxies& proxies = core_.service().access().trusted_proxies;
  if (proxies.empty() || !proxies.contains(address_)) return address_;
  std::string forwarded;
  const auto [first, last] = request.equal_range("X-Forwarded-For");
  for (auto field = first; field != last; ++field) {
    if (!forwarded.empty()) forwarded += ',';
    forwarded += to_std(field->value());
  }
  return proxies.client_of(address_, forwarded);
}

void Connection::call_service(std::string_view command) {
  Millis now;
  Caller caller;
  if (std::optional<Reply> bad = read_caller(request_, &caller, &now)) return send(std::move(*bad));
  if (!core_.begin_call()) return send(error_reply(503, "UNAVAILABLE", "server stopping"));

  auto pending = std::make_shared<PendingCall>();
  pending->connection = shared_from_this();
  ServerCore* core = &core_;
  auto done = [pending, core](Reply reply) {
    if (pending->answered.exchange(true)) return;
    {
      std::shared_ptr<Connection> self = std::move(pending->connection);
      auto executor = self->stream_.get_executor();
      net::post(executor, [self = std::move(self), reply = std::move(reply)]() mutable { self->send(std::move(reply)); });
    }  // the executor (a strand of the server's io_context) is released here
    core->end_call();  // last touch of the server
  };
  // request_ (and so body, target and command) lives until the answer is
  // written, whatever the service keeps a view of.
  const std::string_view body = request_.body();
  try {
    if (!command.empty()) {
      core_.service().post(caller, command, body, now, std::move(done));
    } else {
      core_.service().request(caller, to_std(request_.method_string()), to_std(request_.target()), body, now,
                              std::move(done));
    }
  } catch (const std::exception& e) {
    if (!pending->answered.exchange(true)) {
      pending->connection.reset();
      core_.end_call();
      send(error_reply(500, "INTERNAL", std::string("request failed: ") + e.what()));
    }
  }
}

void Connection::send(Reply reply, std::string_view allow) {
  if (closed_) return;
  if (reply.status < 100 || reply.status > 599) {
    reply = error_reply(500, "INTERNAL", "bad status " + std::to_string(reply.status));
  }
  // A request read whole is in request_; one refused while being read is
  // still in the parser and answered in JSON, whose headers need no path.
  add_security_headers(parser_ ? std::string_view{} : to_std(request_.target()), &reply);
  response_ = Response{};
  response_.version(version_);
  response_.result(static_cast<unsigned>(reply.status));
  response_.set(http::field::server, "autoriza");
  std::string_view content_type = reply.content_type;
  if (content_type.empty()) content_type = "application/json";
  response_.set(http::field::content_type, beast::string_view(content_type.data(), content_type.size()));
  if (!allow.empty()) response_.set(http::field::allow, beast::string_view(allow.data(), allow.size()));
  if (reply.retry_after_s > 0) response_.set(http::field::retry_after, std::to_string(reply.retry_after_s));
  if (reply.status == 401) response_.set(http::field::www_authenticate, "Bearer");
  if (!reply.set_cookie.empty()) response_.set(http::field::set_cookie, reply.set_cookie);
  for (const auto& [name, value] : reply.headers) response_.set(name, value);
  response_.keep_alive(keep_alive_);
  const bool large = reply.body.size() > kBodyMaxBytes;  // a document: as long to write as to upload
  response_.body() = std::move(reply.body);
  response_.prepare_payload();      // Content-Length of the body...
  if (head_) response_.body().clear();  // ...which a HEAD answer announces but does not carry
  stream_.expires_after(large && !head_ ? core_.timeouts().large_body : core_.timeouts().write);
  http::async_write(stream_, response_, beast::bind_front_handler(&Connection::on_write, shared_from_this()));
}

void Connection::on_write(beast::error_code ec, size_t /*bytes*/) {
  end_large_body();  // the request's body is answered
  if (ec) return close_now();
  if (!keep_alive_) return linger();
  read_request();
}

void Connection::linger() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  if (ec) return close_now();
  linger_bytes_ = 0;
  stream_.expires_after(kLingerTimeout);
  stream_.async_read_some(net::buffer(linger_buffer_),
                          beast::bind_front_handler(&Connection::on_linger_read, shared_from_this()));
}

void Connection::on_linger_read(beast::error_code ec, size_t bytes) {
  linger_bytes_ += bytes;
  if (ec || closed_ || linger_bytes_ > kLingerBytesMax) return close_now();
  stream_.async_read_some(net::buffer(linger_buffer_),
                          beast::bind_front_handler(&Connection::on_linger_read, shared_from_this()));
}

void Connection::close_now() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);  // may fail: peer gone
  stream_.close();
}

}  // namespace autoriza
