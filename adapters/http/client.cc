#include "adapters/http/client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <cassert>
#include <optional>
#include <sstream>

namespace autoriza {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

beast::string_view to_beast(std::string_view view) { return {view.data(), view.size()}; }

}  // namespace

class HttpClient::Impl {
 public:
  Status connect(std::string_view host, uint16_t port) {
    close();
    beast::error_code ec;
    tcp::resolver resolver(ioc_);
    const auto endpoints = resolver.resolve(std::string(host), std::to_string(port), ec);
    const std::string where = std::string(host) + ":" + std::to_string(port);
    if (ec) return Status::unavailable("resolve " + where + ": " + ec.message());
    stream_.expires_after(timeout_);
    stream_.async_connect(endpoints, [&ec](beast::error_code connect_ec, const tcp::endpoint&) { ec = connect_ec; });
    run();
    if (ec) {
      close();
      return Status::unavailable("connect " + where + ": " + ec.message());
    }
    stream_.socket().set_option(tcp::no_delay(true), ec);
    host_header_ = where;
    connected_ = true;
    return Status::ok();
  }

  // Writes bytes and reads `heads.size()` answers (heads[i]: the i-th
  // request is a HEAD, whose answer has no body).
  Status exchange(std::string bytes, const std::vector<bool>& heads, std::vector<HttpResponse>* responses) {
    assert(responses != nullptr);
    responses->clear();
    if (!connected_) return Status::unavailable("http client: not connected");
    responses->reserve(heads.size());
    beast::error_code write_ec;
    read_ec_ = {};
    heads_ = &heads;
    responses_ = responses;
    stream_.expires_after(timeout_);
    net::async_write(stream_, net::buffer(bytes), [&write_ec](beast::error_code ec, size_t) { write_ec = ec; });
    read_next();
    run();
    heads_ = nullptr;
    responses_ = nullptr;

    // A server may answer early and close (body over the limit): a write
    // error after a full set of answers is no error.
    if (responses->size() == heads.size()) {
      if (!responses->empty() && !responses->back().keep_alive) close();
      return Status::ok();
    }
    const beast::error_code ec = read_ec_ ? read_ec_ : write_ec;
    close();
    return Status::unavailable("http client: " + std::to_string(responses->size()) + " of " +
                               std::to_string(heads.size()) + " answers read: " +
                               (ec ? ec.message() : std::string("the server closed the connection")));
  }

  bool connected() const { return connected_; }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    buffer_.clear();
    connected_ = false;
  }

  void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
  const std::string& host_header() const { return host_header_; }

 private:
  void read_next() {
    if (responses_->size() == heads_->size()) return;
    parser_.emplace();
    parser_->body_limit(kClientResponseBodyMaxBytes);
    parser_->skip((*heads_)[responses_->size()]);
    http::async_read(stream_, buffer_, *parser_, [this](beast::error_code ec, size_t) {
      if (ec) {
        read_ec_ = ec;
        stream_.close();  // ends the pending write too
        return;
      }
      http::response<http::string_body> message = parser_->release();
      HttpResponse& response = responses_->emplace_back();
      response.status = static_cast<int>(message.result_int());
      response.keep_alive = message.keep_alive();
      for (const auto& field : message) {
        response.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
      }
      response.body = std::move(message.body());
      if (!response.keep_alive) return;  // nothing follows a closing answer
      read_next();
    });
  }

  void run() {
    ioc_.restart();
    ioc_.run();  // returns when the operations started above are done
  }

  net::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
  std::optional<http::response_parser<http::string_body>> parser_;
  std::chrono::milliseconds timeout_{30'000};
  std::string host_header_;

 public:
  std::string bearer;  // API key sent with every request
  bool connected_ = false;
  // The exchange in progress.
  const std::vector<bool>* heads_ = nullptr;
  std::vector<HttpResponse>* responses_ = nullptr;
  beast::error_code read_ec_;
};

namespace {

// Appends the request's HTTP/1.1 bytes to out.
void serialize(const HttpRequest& request, const std::string& host, const std::string& bearer, std::string* out) {
  http::request<http::string_body> message;
  message.version(11);
  message.method_string(to_beast(request.method));
  message.target(to_beast(request.target));
  message.set(http::field::host, host);
  message.set(http::field::user_agent, "autoriza-client");
  if (!request.body.empty() || request.method == "POST") message.set(http::field::content_type, "application/json");
  if (!bearer.empty()) message.set(http::field::authorization, "Bearer " + bearer);
  for (const auto& [name, value] : request.headers) message.set(to_beast(name), to_beast(value));
  message.keep_alive(true);
  message.body() = request.body;
  message.prepare_payload();
  std::ostringstream os;
  os << message;
  *out += os.str();
}

}  // namespace

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (beast::iequals(key, to_beast(name))) return value;
  }
  return {};
}

HttpClient::HttpClient() : impl_(std::make_unique<Impl>()) {}
HttpClient::~HttpClient() = default;

Status HttpClient::connect(std::string_view host, uint16_t port) { return impl_->connect(host, port); }

Status HttpClient::request(std::string_view method, std::string_view target, std::string_view body, int* status,
                           std::string* response_body, std::string_view extra_header_name,
                           std::string_view extra_header_value) {
  HttpRequest request{.method = std::string(method), .target = std::string(target), .body = std::string(body), .headers = {}};
  if (!extra_header_name.empty()) request.headers.emplace_back(extra_header_name, extra_header_value);
  HttpResponse response;
  Status st = send(request, &response);
  if (!st) return st;
  if (status != nullptr) *status = response.status;
  if (response_body != nullptr) *response_body = std::move(response.body);
  return Status::ok();
}

Status HttpClient::send(const HttpRequest& request, HttpResponse* response) {
  std::vector<HttpResponse> responses;
  Status st = pipeline({request}, &responses);
  if (!st) return st;
  assert(responses.size() == 1);
  if (response != nullptr) *response = std::move(responses.front());
  return Status::ok();
}

Status HttpClient::pipeline(const std::vector<HttpRequest>& requests, std::vector<HttpResponse>* responses) {
  assert(responses != nullptr);
  if (requests.empty() || requests.size() > kClientPipelineMax) {
    return Status::invalid("http client: pipeline of " + std::to_string(requests.size()) + " requests (1 to " +
                           std::to_string(kClientPipelineMax) + ")");
  }
  std::string bytes;
  std::vector<bool> heads;
  heads.reserve(requests.size());
  for (const HttpRequest& request : requests) {
    serialize(request, impl_->host_header(), impl_->bearer, &bytes);
    heads.push_back(request.method == "HEAD");
  }
  return impl_->exchange(std::move(bytes), heads, responses);
}

Status HttpClient::send_raw(std::string_view bytes, HttpResponse* response) {
  std::vector<HttpResponse> responses;
  Status st = impl_->exchange(std::string(bytes), {false}, &responses);
  if (!st) return st;
  if (response != nullptr) *response = std::move(responses.front());
  return Status::ok();
}

bool HttpClient::connected() const { return impl_->connected(); }
void HttpClient::close() { impl_->close(); }
void HttpClient::set_api_key(std::string key) { impl_->bearer = std::move(key); }

void HttpClient::set_timeout(std::chrono::milliseconds timeout) { impl_->set_timeout(timeout); }

}  // namespace autoriza
