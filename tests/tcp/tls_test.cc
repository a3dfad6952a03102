// TLS on the TCP adapter: a throwaway CA, server and client certificates
// made with the `openssl` command in the test's temp dir; API key over TLS,
// a client certificate as the principal, and refused handshakes.
#include <openssl/ssl.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <stdio.h>
#include <sys/wait.h>

#include <boost/asio/ssl.hpp>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "adapters/http/server.h"
#include "adapters/tcp/tcp_client.h"
#include "tests/tcp/tcp_fixture.h"

namespace autoriza::tcp {
namespace {

using testing::TcpFixture;
using testing::eligibility;
using testing::kNow;

class TcpTlsTest : public TcpFixture {
 protected:
  void SetUp() override {
    TcpFixture::SetUp();
    pki_ = dir_ / "pki";
    std::filesystem::create_directories(pki_);
    make_ca("ca");
    make_ca("rogue");
    make_leaf("server", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost");
    make_leaf("client", "ca", "subjectAltName=DNS:switch.example");
    make_leaf("stranger", "rogue", "subjectAltName=DNS:stranger.example");
    make_leaf("server-rsa", "ca", "subjectAltName=IP:127.0.0.1,DNS:localhost", "rsa -pkeyopt rsa_keygen_bits:2048");
  }

  void run(const std::string& command) {
    const std::string line = "cd '" + pki_.string() + "' && " + command + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(line.c_str()), 0) << line;
  }
  void make_ca(const std::string& name) {
    run("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=" + name +
        " -keyout " + name + ".key -out " + name + ".pem");
  }
  void make_leaf(const std::string& name, const std::string& ca, const std::string& san,
                 const std::string& key = "ec -pkeyopt ec_paramgen_curve:P-256") {
    run("openssl req -newkey " + key + " -nodes -subj /CN=" + name + " -keyout " + name + ".key -out " + name +
        ".csr");
    run("printf '" + san + "\\n' > " + name + ".ext && openssl x509 -req -in " + name + ".csr -CA " + ca +
        ".pem -CAkey " + ca + ".key -CAcreateserial -days 2 -extfile " + name + ".ext -out " + name + ".pem");
    run("openssl x509 -in " + name + ".pem -outform DER -out " + name + ".der");
  }
  std::string file(const std::string& name) const { return (pki_ / name).string(); }
  std::string read(const std::string& name) const {
    std::ifstream in(file(name), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  void start_tls(const std::string& server = "server") {
    TcpServerOptions o;
    o.tls = TlsServerFiles{file(server + ".pem"), file(server + ".key"), file("ca.pem")};
    start(o);
  }
  ClientOptions client_options() const {
    ClientOptions o;
    o.port = server_->port();
    o.tls = true;
    o.tls_files.ca = file("ca.pem");
    o.reconnect_attempts = 0;
    return o;
  }
  // A client presenting client.pem (signed by the CA the server trusts), no API key.
  ClientOptions certificate_client_options() const {
    ClientOptions o = client_options();
    o.tls_files.cert = file("client.pem");
    o.tls_files.key = file("client.key");
    return o;
  }

  std::filesystem::path pki_;
};

TEST_F(TcpTlsTest, ApiKeyOverTls) {
  start_tls();
  ClientOptions o = client_options();
  o.api_key = key_;
  TcpClient client(o);
  ASSERT_TRUE(client.connect());
  const Answer a = client.execute(eligibility("t1"), kNow);
  ASSERT_TRUE(a.ok()) << a.error.code << " " << a.error.message;
  EXPECT_EQ(a.result->status, fb::Status::ELIGIBLE);
}

// The certificate's expiry is a metric (the alert AutorizaCertificateExpiring
// reads it) and, within 30 days, a warning in the log at start.
TEST_F(TcpTlsTest, CertificateExpiryIsAMetricAndAWarning) {
  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  start_tls();  // made with -days 2 a moment ago
  spdlog::default_logger()->flush();
  spdlog::set_default_logger(previous);
  const std::string page = service_->metrics_page();
  const std::string name = "autoriza_tls_certificate_expiry_timestamp_seconds{port=\"" +
                           std::to_string(server_->port()) + "\"} ";
  const size_t at = page.find(name);
  ASSERT_NE(at, std::string::npos) << page;
  const double expiry = std::stod(page.substr(at + name.size()));
  const double in_two_days = double(wall_clock_now().value / 1000 + 2 * 86'400);
  EXPECT_NEAR(expiry, in_two_days, 600.0);
  EXPECT_NE(log.str().find("server.pem expires in "), std::string::npos) << log.str();
  EXPECT_NE(log.str().find("days; renew it"), std::string::npos) << log.str();
}

TEST_F(TcpTlsTest, ClientCertificateIsThePrincipal) {
  add_credential_hash(auth::sha256_hex(read("client.der")),
                      auth::Principal{"provider-LAB127-cert", auth::Role::kProvider, "LAB127", "", ""}, true);
  start_tls();
  TcpClient client(certificate_client_options());  // no API key
  ASSERT_TRUE(client.connect());
  const Answer a = client.execute(eligibility("t2"), kNow);
  ASSERT_TRUE(a.ok()) << a.error.code << " " << a.error.message;
  const Answer other = client.execute(eligibility("t3", "LAB200"), kNow);
  EXPECT_EQ(other.error.status, 403);
}

// A switch's certificate added while the server runs (`keys add --url ...
// --certificate`, the ops API) is its principal at the next handshake.
TEST_F(TcpTlsTest, CertificateAddedThroughTheOpsApiIsThePrincipal) {
  const std::string admin = add_key(auth::Principal{"admin", auth::Role::kOps, "", "", ""});
  HttpServer http(*service_, "127.0.0.1", 0);
  ASSERT_TRUE(http.start().is_ok());
  start_tls();
  const std::string line = std::string(AUTORIZA_BINARY) + " keys add --url http://127.0.0.1:" +
                           std::to_string(http.port()) + " --key " + admin + " --certificate " + file("client.pem") +
                           " --principal switch-lab127 --role provider --provider LAB127 >" +
                           (dir_ / "keys.out").string() + " 2>&1";
  ASSERT_EQ(std::system(line.c_str()), 0) << read("../keys.out");
  EXPECT_EQ(read("../keys.out").find("key "), std::string::npos);  // no key: the certificate is the credential
  TcpClient client(certificate_client_options());  // no API key
  ASSERT_TRUE(client.connect());
  const Answer a = client.execute(eligibility("cert-api"), kNow);
  ASSERT_TRUE(a.ok()) << a.error.code << " " << a.error.message;
  EXPECT_TRUE(engine_->find_request("provider:LAB127", "cert-api").has_value());
  http.stop();
}

TEST_F(TcpTlsTest, UnmappedCertificateStillNeedsAKey) {
  start_tls();
  TcpClient client(certificate_client_options());  // verifies, but maps to nobody
  ASSERT_TRUE(client.connect());
  const Answer a = client.execute(eligibility("t4"), kNow);
  EXPECT_EQ(a.error.code, "UNAUTHENTICATED") << a.error.message;
}

TEST_F(TcpTlsTest, CertificateOfAnotherCaFailsTheHandshake) {
  start_tls();
  ClientOptions o = client_options();
  o.api_key = key_;
  o.tls_files.cert = file("stranger.pem");
  o.tls_files.key = file("stranger.key");
  TcpClient client(o);
  EXPECT_EQ(client.connect().kind(), StatusKind::kUnavailable);
}

TEST_F(TcpTlsTest, ServerWithAnUntrustedCertificateIsRefused) {
  start_tls();
  ClientOptions o = client_options();
  o.api_key = key_;
  o.tls_files.ca = file("rogue.pem");
  TcpClient client(o);
  const Status s = client.connect();
  EXPECT_EQ(s.kind(), StatusKind::kUnavailable);
  EXPECT_NE(s.message().find("handshake"), std::string::npos) << s.message();
}

// A renewed certificate is read again without a restart (reload_tls: what
// SIGHUP and `systemctl reload` call): new connections get it, a connection
// open before goes on with the old one, and a broken renewal (a key that is
// not PEM) is refused while the listener keeps the certificate it had.
TEST_F(TcpTlsTest, RenewedCertificateIsReloadedWhileOpenConnectionsGoOn) {
  make_leaf("renewed", "rogue", "subjectAltName=IP:127.0.0.1,DNS:localhost");  // told apart by its CA
  std::filesystem::copy_file(file("server.pem"), file("live.pem"));
  std::filesystem::copy_file(file("server.key"), file("live.key"));
  start_tls("live");
  ClientOptions old_ca = client_options();
  old_ca.api_key = key_;
  ClientOptions new_ca = old_ca;
  new_ca.tls_files.ca = file("rogue.pem");
  TcpClient open_before(old_ca);
  ASSERT_TRUE(open_before.connect());
  ASSERT_TRUE(open_before.execute(eligibility("reload-1"), kNow).ok());
  EXPECT_EQ(TcpClient(new_ca).connect().kind(), StatusKind::kUnavailable);

  const auto overwrite = std::filesystem::copy_options::overwrite_existing;
  std::filesystem::copy_file(file("renewed.pem"), file("live.pem"), overwrite);
  std::filesystem::copy_file(file("renewed.key"), file("live.key"), overwrite);
  ASSERT_TRUE(server_->reload_tls().is_ok());
  EXPECT_TRUE(open_before.execute(eligibility("reload-2"), kNow).ok());  // the same connection
  TcpClient after(new_ca);
  ASSERT_TRUE(after.connect());
  EXPECT_TRUE(after.execute(eligibility("reload-3"), kNow).ok());
  EXPECT_EQ(TcpClient(old_ca).connect().kind(), StatusKind::kUnavailable);

  std::ofstream(file("live.key"), std::ios::trunc) << "not a key\n";
  const Status broken = server_->reload_tls();
  EXPECT_EQ(broken.kind(), StatusKind::kInvalidRequest);
  EXPECT_NE(broken.message().find("live.key"), std::string::npos) << broken.message();
  TcpClient still(new_ca);
  ASSERT_TRUE(still.connect());  // the renewed certificate, kept
  EXPECT_TRUE(still.execute(eligibility("reload-4"), kNow).ok());
  const std::string page = service_->metrics_page();
  const std::string port = std::to_string(server_->port());
  EXPECT_NE(page.find("autoriza_tls_certificate_reloads_total{port=\"" + port + "\",result=\"ok\"} 1\n"),
            std::string::npos)
      << page;
  EXPECT_NE(page.find("autoriza_tls_certificate_reloads_total{port=\"" + port + "\",result=\"error\"} 1\n"),
            std::string::npos)
      << page;
}

TEST_F(TcpTlsTest, PlainClientOnATlsPortGetsNoAnswer) {
  start_tls();
  ClientOptions o = client_options();
  o.api_key = key_;
  o.tls = false;
  o.connect_timeout = std::chrono::milliseconds(2000);
  TcpClient client(o);
  EXPECT_FALSE(client.connect());
}

// The protocol version a client offering only ciphers (TLS 1.2 suites) and
// at most max_version reaches with the server: empty when the handshake fails.
std::string negotiated_version(uint16_t port, const char* ciphers, int max_version = TLS1_2_VERSION) {
  namespace ssl = boost::asio::ssl;
  boost::asio::io_context io;
  ssl::context context(ssl::context::tls_client);
  SSL_CTX_set_max_proto_version(context.native_handle(), max_version);
  EXPECT_EQ(SSL_CTX_set_cipher_list(context.native_handle(), ciphers), 1) << ciphers;
  context.set_verify_mode(ssl::verify_none);  // what is tested is the server's choice of suites
  ssl::stream<boost::asio::ip::tcp::socket> stream(io, context);
  boost::system::error_code ec;
  stream.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
  EXPECT_FALSE(ec) << ec.message();
  if (!ec) stream.handshake(ssl::stream_base::client, ec);
  return ec ? std::string() : std::string(SSL_get_version(stream.native_handle()));
}

// Issue 17, item 5: TLS 1.2 accepted suites without forward secrecy (static
// RSA key exchange) and CBC suites. Now only ECDHE with an AEAD cipher, for
// RSA and ECDSA certificates alike; TLS 1.3 as OpenSSL has it.
TEST_F(TcpTlsTest, Tls12OnlyWithEcdheAndAeadSuites) {
  start_tls("server-rsa");
  const uint16_t rsa = server_->port();
  for (const char* refused : {"AES128-GCM-SHA256", "AES256-GCM-SHA384", "AES128-SHA256", "AES128-SHA",
                              "ECDHE-RSA-AES128-SHA256", "ECDHE-RSA-AES256-SHA", "DHE-RSA-AES128-GCM-SHA256"}) {
    EXPECT_EQ(negotiated_version(rsa, refused), "") << refused;
  }
  for (const char* accepted : {"ECDHE-RSA-AES128-GCM-SHA256", "ECDHE-RSA-AES256-GCM-SHA384",
                               "ECDHE-RSA-CHACHA20-POLY1305"}) {
    EXPECT_EQ(negotiated_version(rsa, accepted), "TLSv1.2") << accepted;
  }
  EXPECT_EQ(negotiated_version(rsa, "ECDHE-RSA-AES128-GCM-SHA256", TLS1_3_VERSION), "TLSv1.3");

  start_tls();  // an ECDSA certificate
  const uint16_t ec = server_->port();
  EXPECT_EQ(negotiated_version(ec, "ECDHE-ECDSA-AES128-SHA256"), "");
  EXPECT_EQ(negotiated_version(ec, "ECDHE-ECDSA-AES256-SHA"), "");
  EXPECT_EQ(negotiated_version(ec, "ECDHE-ECDSA-AES128-GCM-SHA256"), "TLSv1.2");
  EXPECT_EQ(negotiated_version(ec, "ECDHE-ECDSA-CHACHA20-POLY1305"), "TLSv1.2");
  EXPECT_EQ(negotiated_version(ec, "ECDHE-ECDSA-AES128-GCM-SHA256", TLS1_3_VERSION), "TLSv1.3");
}

// Issue 17: `autoriza client` with a certificate the server does not accept
// reconnected five times a second, silently, and the server logged every
// handshake. Now its attempts are spaced (0.2 s doubling, less a quarter at
// most of jitter), each failure is said on stderr with why and when it
// retries, it gives up after --retries with exit 1; the server logs the
// first failure of the address and counts the rest.
TEST_F(TcpTlsTest, ClientWithARejectedCertificateBacksOffSaysWhyAndTheServerLogsOnce) {
  std::ostringstream log;
  const auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  start_tls();
  const std::string err = (dir_ / "client.err").string();
  const std::string line = std::string(AUTORIZA_BINARY) + " client --port " + std::to_string(server_->port()) +
                           " --tls --ca " + file("ca.pem") + " --cert " + file("stranger.pem") + " --key " +
                           file("stranger.key") + " --retries 4 eligibility " +
                           "'{\"request_id\":\"bad-cert\",\"provider\":\"LAB127\",\"credential\":\"110000783851\"}'" +
                           " >/dev/null 2>" + err;
  const auto began = std::chrono::steady_clock::now();
  const int status = std::system(line.c_str());
  const auto took = std::chrono::steady_clock::now() - began;
  const std::string listener = "{port=\"" + std::to_string(server_->port()) + "\",tls=\"true\"}";
  const std::string failures = "autoriza_tcp_tls_handshake_failures_total" + listener + " 5\n";
  std::string page = service_->metrics_page();
  for (int i = 0; i < 50 && page.find(failures) == std::string::npos; ++i) {  // the last one may still be closing
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    page = service_->metrics_page();
  }
  server_->stop();
  spdlog::default_logger()->flush();
  spdlog::set_default_logger(previous);

  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  // 5 attempts, 4 pauses of at least 0.15 + 0.3 + 0.6 + 1.2 s: spaced, not
  // five a second (a lower bound, not a speed measure).
  EXPECT_GE(took, std::chrono::milliseconds(2'000));
  EXPECT_NE(page.find("autoriza_tcp_connections_accepted_total" + listener + " 5\n"), std::string::npos) << page;
  EXPECT_NE(page.find(failures), std::string::npos) << page;
  std::ifstream in(err);
  std::stringstream said;
  said << in.rdbuf();
  EXPECT_NE(said.str().find("no aceptó el certificado del cliente (intento 1;"), std::string::npos) << said.str();
  EXPECT_NE(said.str().find("reintento en 0,"), std::string::npos) << said.str();
  EXPECT_NE(said.str().find("(intento 5;"), std::string::npos) << said.str();
  EXPECT_NE(said.str().find("me rindo"), std::string::npos) << said.str();
  size_t lines = 0;
  for (size_t at = log.str().find("TLS handshake from"); at != std::string::npos;
       at = log.str().find("TLS handshake from", at + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 1u) << log.str();
}

}  // namespace
}  // namespace autoriza::tcp
