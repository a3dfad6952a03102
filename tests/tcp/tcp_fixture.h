#pragma once
// Shared by the TCP tests: an engine in a temp dir with the test fixtures,
// the Service, a TcpServer on 127.0.0.1 (port 0), API keys as reference
// records, and a raw blocking socket that speaks frames byte by byte.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "adapters/auth/auth.h"
#include "tests/support/crash_process.h"  // crash::TempDir
#include "engine/engine.h"
#include "adapters/tcp/frame.h"
#include "adapters/tcp/payload.h"
#include "engine/core/reference_loader.h"
#include "adapters/tcp/tcp_server.h"
#include "adapters/service/service.h"

namespace autoriza::tcp::testing {

inline const Millis kNow{1'793'624'400'000};  // 2026-11-02T10:00:00-03:00

inline fb::CommandUnion eligibility(const std::string& request_id, const std::string& provider = "LAB127",
                                    const std::string& credential = "110000783851") {
  fb::EligibilityCmdT c;
  c.request_id = request_id;
  c.provider = provider;
  c.credential = credential;
  fb::CommandUnion u;
  u.Set(std::move(c));
  return u;
}

inline fb::CommandUnion authorize(const std::string& request_id) {
  fb::AuthorizeCmdT c;
  c.request_id = request_id;
  c.provider = "LAB127";
  c.credential = "110000783851";
  auto item = std::make_unique<fb::AuthorizeItemT>();
  item->code = "000118";
  c.items.push_back(std::move(item));
  fb::CommandUnion u;
  u.Set(std::move(c));
  return u;
}

// Commands the engine has taken in (every partition).
inline uint64_t engine_commands(const Engine& engine) {
  uint64_t n = 0;
  for (const PartitionStats& s : engine.stats()) n += s.commands;
  return n;
}

class TcpFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    Status st;
    EngineOptions options;
    options.store = dir_ / "store";
    engine_ = Engine::open(options, &st);
    ASSERT_TRUE(st) << st.to_string();
    const ReferenceLoad load = load_reference_dir(AUTORIZA_TEST_FIXTURES, *engine_->reference());
    ASSERT_TRUE(load.ok());
    ReferenceLoadStats stats;
    ASSERT_TRUE(engine_->load_reference(load.records, &stats));
    service_ = std::make_unique<Service>(*engine_);  // channel "http": the TCP adapter records its own
    key_ = add_key(auth::Principal{"provider-LAB127", auth::Role::kProvider, "LAB127", "", ""});
  }

  void TearDown() override {
    server_.reset();
    service_.reset();
    engine_.reset();
  }

  // Starts the server; call from the test with the options it needs.
  void start(TcpServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.allow_client_time = true;
    server_ = std::make_unique<TcpServer>(*service_, options);
    Status st = server_->start();
    ASSERT_TRUE(st) << st.to_string();
  }

  // A new API key of principal (its hash loaded as a reference record).
  std::string add_key(const auth::Principal& principal) {
    const std::string key = auth::new_api_key();
    add_credential_hash(auth::sha256_hex(key), principal, false);
    return key;
  }
  void add_credential_hash(const std::string& sha256, const auth::Principal& principal, bool certificate) {
    fb::ReferenceRecordUnion record;
    record.Set(auth::api_key_record(sha256, principal, certificate, 0));
    ReferenceLoadStats stats;
    Status st = engine_->load_reference({record}, &stats);
    ASSERT_TRUE(st) << st.to_string();
  }

  crash::TempDir tmp_{"tcp"};  // removed after the fixture (TearDown closed the engine)
  const std::filesystem::path& dir_ = tmp_.path();
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<TcpServer> server_;
  std::string key_;  // provider-LAB127
};

// A blocking socket speaking raw bytes; reads give up after 10 s instead of
// hanging a broken test.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : socket_(ioc_) {
    boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), port);
    socket_.connect(endpoint);
    timeval timeout{10, 0};
    setsockopt(socket_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }

  void write(std::string_view bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size())); }
  void send(FrameKind kind, uint64_t id, std::string_view payload) { write(encode_frame(kind, id, payload)); }
  void authenticate(const std::string& key) {
    send(FrameKind::kAuth, 1, key);
    Frame f;
    ASSERT_TRUE(read_frame(&f));
    ASSERT_EQ(f.kind, FrameKind::kAuthOk) << frame_kind_name(f.kind);
  }

  // Reads one frame; false on EOF, reset, timeout or a bad frame.
  bool read_frame(Frame* out) {
    for (;;) {
      const Decoded d = decode_frame(buffer_, out);
      if (d.state == DecodeState::kFrame) {
        buffer_.erase(0, d.bytes);
        return true;
      }
      if (d.state == DecodeState::kError) return false;
      char chunk[4096];
      boost::system::error_code ec;
      const size_t n = socket_.read_some(boost::asio::buffer(chunk), ec);
      if (ec) return false;
      buffer_.append(chunk, n);
    }
  }

  // The answer of a RESULT or GOAWAY frame.
  static Answer answer_of(const Frame& frame) {
    Answer a;
    Status s = read_reply(frame.payload, &a);
    EXPECT_TRUE(s) << s.to_string();
    return a;
  }

  // Whether the server closed: reading reaches EOF (or a reset) with no frame.
  bool closed_by_server() {
    Frame f;
    return !read_frame(&f);
  }

 private:
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  std::string buffer_;
};

}  // namespace autoriza::tcp::testing
