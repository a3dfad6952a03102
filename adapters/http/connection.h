#pragma once
// One accepted HTTP/1.1 connection. Requests are handled one at a time, in
// order: read -> handle -> write -> read the next. Pipelined bytes wait in
// the flat_buffer (and then in the kernel: TCP backpressure), so a client
// that pipelines gets its answers in request order.
//
// Every handler runs on the connection's strand (the executor of its
// tcp_stream, made by the acceptor). The Service answers through a done
// callback that may run on any thread; it posts the answer back onto the
// strand.
//
// Closing: after an answer with "Connection: close" the server shuts down its
// sending side and drains what the client still sends (bounded in bytes and
// time) before closing, so the client reads the answer instead of a reset.
#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "adapters/http/server_core.h"
#include "adapters/service/connection_table.h"
#include "adapters/service/route_table.h"
#include "adapters/service/service.h"

namespace autoriza {

inline constexpr size_t kHeaderBytesMax = 8 * 1024;
// Holds one request's header and body chunks plus pipelined bytes.
inline constexpr size_t kReadBufferBytesMax = 2 * (kHeaderBytesMax + kBodyMaxBytes);
// Idle, header, body and write timeouts: HttpTimeouts (server_core.h).
inline constexpr std::chrono::seconds kLingerTimeout{2};  // draining before a close
inline constexpr size_t kLingerBytesMax = 1024 * 1024;
inline constexpr size_t kTargetInMessageMax = 200;  // characters of a target quoted in errors

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // socket's executor must be a strand; core must outlive every handler.
  Connection(boost::asio::ip::tcp::socket socket, ServerCore& core);
  ~Connection();

  // Starts reading requests. Call once, right after construction.
  void start();
  // Thread-safe: closes the connection from its strand, then calls
  // on_closed there (if set); pending operations end with operation_aborted
  // and answers still to come are dropped.
  void close(std::function<void()> on_closed = nullptr);
  // Idle while it waits for the first byte of a request (ConnectionTable
  // evicts the oldest idle connection when the server is full).
  IdleMark& idle_mark() { return idle_mark_; }
  // The client's IP address ("" when the socket could not say).
  const std::string& address() const { return address_; }

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  // A request in three stages, each with its own deadline (HttpTimeouts):
  // its first byte (idle), the rest of its header, its body.
  void read_request();
  void on_first_byte(boost::beast::error_code ec, size_t bytes);
  void read_header();
  void on_header(boost::beast::error_code ec, size_t bytes);
  // After the header: the route's body limit (RouteRow::body_max_bytes; the
  // parser admitted the largest of any route until then). A body over
  // kBodyMaxBytes is read only for a caller Service::admit_header accepts,
  // in one of ServerCore's large-body slots. An answer when the body must
  // not be read (then the connection closes).
  std::optional<Reply> admit_body();
  void read_body();
  void on_read(boost::beast::error_code ec, size_t bytes);
  void handle();
  // The caller and the time of request (its key, portal cookie, CSRF token,
  // Content-Type, X-Autoriza-Time); an answer when a header is malformed.
  std::optional<Reply> read_caller(const Request& request, Caller* caller, Millis* now) const;
  // The peer's address, or the client a trusted proxy's X-Forwarded-For names.
  std::string client_address(const Request& request) const;
  // Answers a request that could not be read whole, and closes.
  void refuse(Reply reply);
  void end_large_body();
  // Calls Service::post (command not empty) or Service::request; the answer
  // comes back through send() on the strand.
  void call_service(std::string_view command);
  // Writes reply as the answer to the current request; allow fills the
  // Allow header of a 405.
  void send(Reply reply, std::string_view allow = {});
  void on_write(boost::beast::error_code ec, size_t bytes);
  void linger();
  void on_linger_read(boost::beast::error_code ec, size_t bytes);
  void close_now();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_{kReadBufferBytesMax};
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  Request request_;    // the request being answered; alive until its answer is written
  Response response_;  // the answer being written
  unsigned version_ = 11;  // of the current request (11 when it could not be parsed)
  bool keep_alive_ = true;
  bool head_ = false;    // a HEAD request: the answer goes without its body
  bool closed_ = false;  // close() ran: late answers are dropped
  bool spoke_ = false;   // a byte came: later waits for a request are keep-alive idle, not first_byte
  IdleMark idle_mark_;
  std::string address_;
  mutable std::string client_;  // of the request being served: address_, or what a trusted proxy forwarded
  const RouteRow* body_row_ = nullptr;  // the row of the request being read (its body limit), if any
  bool large_body_ = false;             // holds a large-body slot until its answer is written
  size_t linger_bytes_ = 0;
  std::array<char, 4096> linger_buffer_{};
  ServerCore& core_;
};

}  // namespace autoriza
