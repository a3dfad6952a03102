#pragma once
// A byte stream that is either a plain TCP socket or TLS over one, so the
// server's connection and the client share one code path. Reads and writes
// go to the TLS stream when there is one; lowest() is the socket underneath
// (options, shutdown, close, executor).
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/write.hpp>
#include <memory>
#include <optional>
#include <utility>

namespace autoriza::tcp {

class Transport {
 public:
  using Socket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<Socket>;

  explicit Transport(Socket socket) : plain_(std::move(socket)) {}
  Transport(Socket socket, boost::asio::ssl::context& context) : tls_(std::in_place, std::move(socket), context) {}
  // A server's connection keeps its context alive: a certificate reload
  // replaces the listener's context while connections made with the old
  // one go on.
  Transport(Socket socket, std::shared_ptr<boost::asio::ssl::context> context)
      : context_(std::move(context)), tls_(std::in_place, std::move(socket), *context_) {}

  bool is_tls() const { return tls_.has_value(); }
  TlsStream* tls() { return tls_ ? &*tls_ : nullptr; }
  Socket& lowest() { return tls_ ? tls_->next_layer() : *plain_; }

  template <typename Handler>
  void async_read_some(boost::asio::mutable_buffer buffer, Handler&& handler) {
    if (tls_) {
      tls_->async_read_some(buffer, std::forward<Handler>(handler));
    } else {
      plain_->async_read_some(buffer, std::forward<Handler>(handler));
    }
  }

  template <typename Handler>
  void async_write(boost::asio::const_buffer buffer, Handler&& handler) {
    if (tls_) {
      boost::asio::async_write(*tls_, buffer, std::forward<Handler>(handler));
    } else {
      boost::asio::async_write(*plain_, buffer, std::forward<Handler>(handler));
    }
  }

  // Shuts down and closes the socket; errors (peer gone) are ignored.
  void close() {
    boost::system::error_code ec;
    lowest().shutdown(Socket::shutdown_both, ec);
    lowest().close(ec);
  }

 private:
  std::optional<Socket> plain_;
  std::shared_ptr<boost::asio::ssl::context> context_;  // before tls_: destroyed after it
  std::optional<TlsStream> tls_;
};

}  // namespace autoriza::tcp
