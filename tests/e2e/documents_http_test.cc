// Documents over a real socket (docs/http-api.md, "Documents"): an upload
// above the old global body limit taken by POST /v1/documents and refused
// by every other route, the headers of a document, HEAD, the portal's
// session, "Expect: 100-continue", callers refused before their body is read.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "adapters/auth/key_admin.h"
#include "adapters/auth/portal_users.h"
#include "adapters/documents/documents.h"
#include "adapters/http/client.h"
#include "adapters/http/server.h"
#include "adapters/service/documents_api.h"
#include "adapters/service/service.h"
#include "engine/core/reference_loader.h"
#include "engine/engine.h"

namespace autoriza {
namespace {

using Json = nlohmann::json;

// A PNG of size bytes: its signature, then filler.
std::string png_of_size(size_t size) {
  std::string bytes("\x89PNG\r\n\x1A\n", 8);
  bytes.resize(size, 'x');
  return bytes;
}

// A socket the test writes and reads itself, for what HttpClient does not
// do (wait for 100 Continue, send a chunked body).
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    AUTORIZA_CHECK(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    timeval timeout{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  bool connected() const { return connected_; }
  // Whether every byte went (the server may close early).
  bool write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(size_t(n));
    }
    return true;
  }
  // Bytes up to and including the first "\r\n\r\n" (an answer's header).
  std::string read_header() {
    std::string out;
    char c;
    while (!out.ends_with("\r\n\r\n") && ::recv(fd_, &c, 1, 0) == 1) out += c;
    return out;
  }
  // Everything until the server closes.
  std::string read_all() {
    std::string out;
    char buf[4096];
    for (ssize_t n; (n = ::recv(fd_, buf, sizeof buf, 0)) > 0;) out.append(buf, size_t(n));
    return out;
  }

 private:
  int fd_;
  bool connected_ = false;
};

class DocumentsHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string dir_template = (std::filesystem::temp_directory_path() / "autoriza-docs-http-XXXXXX").string();
    ASSERT_NE(mkdtemp(dir_template.data()), nullptr);
    dir_ = dir_template;
    Status st;
    EngineOptions options;
    options.store = dir_;
    engine_ = Engine::open(options, &st);
    ASSERT_TRUE(st) << st.to_string();
    const ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, *engine_->reference());
    ASSERT_TRUE(load.ok());
    ReferenceLoadStats stats;
    ASSERT_TRUE(engine_->load_reference(load.records, &stats));
    std::string key_id;
    ASSERT_TRUE(auth::add_key(*engine_, {"provider-LAB127", auth::Role::kProvider, "LAB127", {}, {}}, Millis{0},
                              &lab127_key_, &key_id));
    ASSERT_TRUE(auth::add_key(*engine_, {"provider-LAB200", auth::Role::kProvider, "LAB200", {}, {}}, Millis{0},
                              &lab200_key_, &key_id));
    ASSERT_TRUE(
        auth::add_key(*engine_, {"auditor", auth::Role::kAuditor, {}, {}, {}}, Millis{0}, &auditor_key_, &key_id));
    ASSERT_TRUE(auth::add_key(*engine_, {"ops-test", auth::Role::kOps, {}, {}, {}}, Millis{0}, &ops_key_, &key_id));
    service_ = std::make_unique<Service>(*engine_);
    server_ = std::make_unique<HttpServer>(*service_, "127.0.0.1", 0, /*threads=*/2);
    ASSERT_TRUE(server_->start());
  }
  void TearDown() override {
    server_.reset();
    service_.reset();
    engine_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }

  HttpResponse send(const std::string& key, HttpRequest request) {
    HttpClient client;
    client.set_api_key(key);
    EXPECT_TRUE(client.connect("127.0.0.1", server_->port()));
    HttpResponse response;
    const Status st = client.send(request, &response);
    EXPECT_TRUE(st) << st.to_string();
    return response;
  }
  HttpResponse upload(const std::string& key, const std::string& bytes, const std::string& type) {
    return send(key, HttpRequest{"POST", "/v1/documents", bytes, {{"Content-Type", type}}});
  }
  static std::string message_of(const HttpResponse& response) {
    const Json body = Json::parse(response.body, nullptr, false);
    return body.is_object() ? body["error"]["message"].get<std::string>() : response.body;
  }
  // An upload's request header (the body not included).
  std::string upload_header(size_t length, std::string_view extra) const {
    return "POST /v1/documents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + lab127_key_ +
           "\r\nContent-Type: image/png\r\nContent-Length: " + std::to_string(length) + "\r\n" + std::string(extra) +
           "\r\n";
  }

  std::filesystem::path dir_;
  std::string lab127_key_, lab200_key_, auditor_key_, ops_key_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(DocumentsHttpTest, AnUploadOverTheOldLimitIsTakenThenReadBack) {
  const std::string bytes = png_of_size(3 * 1024 * 1024);
  ASSERT_GT(bytes.size(), kBodyMaxBytes);
  const HttpResponse created = upload(lab127_key_, bytes, "image/png");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string hash = Json::parse(created.body)["hash"];
  EXPECT_EQ(hash, documents::sha256_hex(bytes));
  EXPECT_EQ(created.header("Location"), "/v1/documents/" + hash);

  const HttpResponse read = send(lab127_key_, HttpRequest{"GET", "/v1/documents/" + hash, "", {}});
  ASSERT_EQ(read.status, 200);
  EXPECT_TRUE(read.body == bytes);
  EXPECT_EQ(read.header("Content-Type"), "image/png");
  EXPECT_EQ(read.header("X-Content-Type-Options"), "nosniff");
  EXPECT_TRUE(read.header("Content-Disposition").starts_with("inline"));
  EXPECT_NE(read.header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(read.header("Content-Length"), std::to_string(bytes.size()));

  const HttpResponse head = send(auditor_key_, HttpRequest{"HEAD", "/v1/documents/" + hash, "", {}});
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.header("Content-Length"), std::to_string(bytes.size()));
  EXPECT_EQ(head.header("Content-Type"), "image/png");

  EXPECT_EQ(send(lab200_key_, HttpRequest{"GET", "/v1/documents/" + hash, "", {}}).status, 404);
  EXPECT_EQ(send(lab200_key_, HttpRequest{"HEAD", "/v1/documents/" + hash, "", {}}).status, 404);

  // Every large-body slot was given back once the answers were written.
  const HttpResponse metrics = send(ops_key_, HttpRequest{"GET", "/metrics", "", {}});
  EXPECT_NE(metrics.body.find("autoriza_http_large_bodies{port=\"" + std::to_string(server_->port()) + "\"} 0"),
            std::string::npos)
      << metrics.body;
}

TEST_F(DocumentsHttpTest, EveryOtherRouteKeepsTheOldLimit) {
  const std::string body = png_of_size(kBodyMaxBytes + 1);
  const HttpResponse keys = send(ops_key_, HttpRequest{"POST", "/v1/admin/keys", body, {}});
  EXPECT_EQ(keys.status, 400);
  EXPECT_EQ(message_of(keys), "body over 65536 bytes");
  EXPECT_FALSE(keys.keep_alive);
  const HttpResponse command = send(lab127_key_, HttpRequest{"POST", "/v1/authorize", body, {}});
  EXPECT_EQ(command.status, 400);
  // A chunked body is counted as it comes.
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.connected());
  std::string chunked = "POST /v1/admin/keys HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + ops_key_ +
                        "\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 3; ++i) chunked += "8000\r\n" + std::string(0x8000, 'a') + "\r\n";
  raw.write(chunked + "0\r\n\r\n");
  const std::string answer = raw.read_all();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer.substr(0, 200);
  EXPECT_NE(answer.find("body over 65536 bytes"), std::string::npos);
}

TEST_F(DocumentsHttpTest, TooLargeIsSaidInSpanish) {
  // Over the maximum but within the route's body: a JSON answer, the connection stays.
  const HttpResponse over = upload(lab127_key_, png_of_size(documents::kDocumentMaxBytes + 10), "image/png");
  EXPECT_EQ(over.status, 400);
  EXPECT_EQ(message_of(over), "El archivo supera el máximo de 8 MB");
  EXPECT_TRUE(over.keep_alive);
  // Over the route's body: refused on its Content-Length, before the body.
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.connected());
  raw.write(upload_header(documents_api::kDocumentBodyMaxBytes + 1, ""));
  const std::string answer = raw.read_all();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 400")) << answer.substr(0, 200);
  EXPECT_NE(answer.find("El archivo supera el máximo de 8 MB"), std::string::npos);
  EXPECT_NE(answer.find("Connection: close"), std::string::npos);
}

TEST_F(DocumentsHttpTest, ACallerWhoMayNotUploadIsRefusedBeforeItsBody) {
  for (const std::string& key : {std::string(), std::string("az_not_a_key"), auditor_key_}) {
    RawConnection raw(server_->port());
    ASSERT_TRUE(raw.connected());
    std::string header = upload_header(2 * 1024 * 1024, "Expect: 100-continue\r\n");
    const std::string bearer = "Authorization: Bearer " + lab127_key_ + "\r\n";
    header.replace(header.find(bearer), bearer.size(), key.empty() ? "" : "Authorization: Bearer " + key + "\r\n");
    raw.write(header);
    const std::string answer = raw.read_header();  // no 100 Continue: the refusal
    EXPECT_TRUE(answer.starts_with(key == auditor_key_ ? "HTTP/1.1 403" : "HTTP/1.1 401")) << answer;
  }
}

TEST_F(DocumentsHttpTest, ExpectContinueGetsAHundredThenTheAnswer) {
  RawConnection raw(server_->port());
  ASSERT_TRUE(raw.connected());
  const std::string bytes = png_of_size(1024 * 1024);
  raw.write(upload_header(bytes.size(), "Expect: 100-continue\r\nConnection: close\r\n"));
  EXPECT_EQ(raw.read_header(), "HTTP/1.1 100 Continue\r\n\r\n");
  raw.write(bytes);
  const std::string answer = raw.read_all();
  EXPECT_TRUE(answer.starts_with("HTTP/1.1 201")) << answer.substr(0, 300);
  EXPECT_NE(answer.find(documents::sha256_hex(bytes)), std::string::npos);
}

TEST_F(DocumentsHttpTest, APortalSessionUploadsLikeEveryPortalWrite) {
  auth::PortalUserSpec spec{"maria", "María", "maria@example.org", "", {"LAB127"}};
  ASSERT_TRUE(auth::add_portal_user(*engine_, spec, "clave-de-maria", false, Millis{0}, nullptr));
  const HttpResponse login = send(
      "", HttpRequest{
              "POST", "/v1/portal/login", R"({"user":"maria","provider":"LAB127","password":"clave-de-maria"})", {}});
  ASSERT_EQ(login.status, 200) << login.body;
  const std::string set_cookie = login.header("Set-Cookie");
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
  const std::string csrf = Json::parse(login.body)["csrf"];
  const std::string bytes = png_of_size(200 * 1024);
  HttpRequest request{
      "POST", "/v1/documents?name=placa.png", bytes, {{"Content-Type", "image/png"}, {"Cookie", cookie}}};
  const HttpResponse no_token = send("", request);
  EXPECT_EQ(no_token.status, 403);  // refused on its header: the body was not read
  EXPECT_NE(message_of(no_token).find("X-CSRF-Token"), std::string::npos);
  request.headers.emplace_back("X-CSRF-Token", csrf);
  const HttpResponse created = send("", request);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string hash = Json::parse(created.body)["hash"];
  EXPECT_TRUE(service_->documents().owned_by(hash, "LAB127"));
  const HttpResponse read = send("", HttpRequest{"GET", "/v1/documents/" + hash, "", {{"Cookie", cookie}}});
  EXPECT_EQ(read.status, 200);
}

TEST_F(DocumentsHttpTest, LargeBodySlotsAreBoundedAndGivenBack) {
  ServerCore core(*service_);  // only counts here
  for (int i = 0; i < kLargeBodiesMax; ++i) EXPECT_TRUE(core.begin_large_body());
  EXPECT_FALSE(core.begin_large_body());
  core.end_large_body();
  EXPECT_TRUE(core.begin_large_body());
  EXPECT_EQ(core.large_bodies(), kLargeBodiesMax);
}

}  // namespace
}  // namespace autoriza
