#pragma once
// HttpClient: a small synchronous HTTP/1.1 client for tests and the load
// generator. One keep-alive connection; a request blocks until its answer is
// read or the timeout passes. pipeline() writes many requests at once and
// reads their answers in order (writing and reading concurrently, so a long
// pipeline cannot deadlock on full socket buffers).
//
// Not thread-safe: one client per thread. Errors: kUnavailable when the
// connection fails, closes or times out (the client is then disconnected);
// kInvalidRequest for a malformed answer or bad arguments.
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/routes.h"
#include "engine/core/status.h"

namespace autoriza {

inline constexpr size_t kClientPipelineMax = 1024;                 // requests per pipeline() call
inline constexpr size_t kClientResponseBodyMaxBytes = 64u << 20;  // per answer

struct HttpRequest {
  std::string method = "POST";
  std::string target;  // "/v1/authorize"
  std::string body;    // sent as application/json when not empty or POST (a Content-Type in headers overrides)
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

struct HttpResponse {
  int status = 0;
  std::string body;
  bool keep_alive = true;  // false: the server closes after this answer
  std::vector<std::pair<std::string, std::string>> headers;  // as received, in order

  // The value of the first header called name (case-insensitive), or empty.
  std::string header(std::string_view name) const;
};

class HttpClient {
 public:
  HttpClient();
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Closes any open connection, then connects to host:port.
  Status connect(std::string_view host, uint16_t port);

  // One request and its answer. status and response_body receive the answer
  // (either may be null). extra_header_name, when not empty, adds one header.
  Status request(std::string_view method, std::string_view target, std::string_view body, int* status,
                 std::string* response_body, std::string_view extra_header_name = {},
                 std::string_view extra_header_value = {});
  Status send(const HttpRequest& request, HttpResponse* response);

  // Writes every request in one go, then reads as many answers, in order,
  // into responses (resized to the answers read; fewer when the server
  // closed early, which is then an error). At most kClientPipelineMax.
  Status pipeline(const std::vector<HttpRequest>& requests, std::vector<HttpResponse>* responses);

  // Writes bytes as they are (malformed HTTP in tests) and reads one answer.
  Status send_raw(std::string_view bytes, HttpResponse* response);

  bool connected() const;
  void close();
  // Sends "Authorization: Bearer key" with every request (empty: none).
  void set_api_key(std::string key);
  // Bound of each request()/pipeline()/send_raw() call; default 30 s.
  void set_timeout(std::chrono::milliseconds timeout);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoriza
