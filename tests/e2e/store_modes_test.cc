// The store is private to its user (issue 17, item 6: its files were 0644
// in a 0755 folder, and they hold the names, CUILs and e-mails of every
// affiliate). The real `autoriza serve`, under the usual umask 022, writes
// everything it writes (keys, users, the sample family, commands, a
// document, projections, the mail spool); then every folder under the store
// must be 0700 and every file 0600. A store left readable (as one written
// before the rule) is tightened when it is served again.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "adapters/auth/key_admin.h"
#include "adapters/http/client.h"
#include "adapters/http/routes.h"
#include "tests/support/crash_process.h"

namespace autoriza {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kStoreServeTimeout = 60s;
constexpr std::string_view kStoreCommandsAt = "2026-11-02T10:00:00-03:00";

// Sets the process's umask for a scope (the server inherits it).
class Umask {
 public:
  explicit Umask(mode_t mask) : old_(::umask(mask)) {}
  ~Umask() { ::umask(old_); }

 private:
  mode_t old_;
};

// "path mode" of every folder under root (root too) that is not 0700 and
// of every file that is not 0600.
std::vector<std::string> not_private(const fs::path& root) {
  std::vector<std::string> out;
  const auto check = [&out](const fs::path& p, fs::perms want) {
    const fs::perms got = fs::symlink_status(p).permissions() & fs::perms::mask;
    if (got != want) {
      char octal[8];
      std::snprintf(octal, sizeof octal, "%04o", unsigned(got));
      out.push_back(p.string() + " " + octal);
    }
  };
  check(root, fs::perms::owner_all);
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(root)) {
    if (e.is_symlink()) continue;
    check(e.path(), e.is_directory() ? fs::perms::owner_all : fs::perms::owner_read | fs::perms::owner_write);
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& l : lines) out += "\n  " + l;
  return out;
}

class StoreModesTest : public ::testing::Test {
 protected:
  void serve() {
    std::string error;
    const std::vector<std::string> argv = {AUTORIZA_BINARY, "serve", "--store", store_.string(), "--http",
                                           "127.0.0.1:0", "--allow-client-time", "--data", AUTORIZA_TEST_FIXTURES,
                                           "--sample-family"};
    ASSERT_TRUE(server_.start(argv, tmp_.path() / "serve-stderr.log", kStoreServeTimeout, &error)) << error;
  }
  void stop() { ASSERT_TRUE(server_.terminate(std::chrono::milliseconds(30'000)).has_value()); }

  // One request as the store's key of principal; the answer's status.
  int call(const std::string& principal, const HttpRequest& request, std::string* body = nullptr) {
    std::vector<auth::DevKey> keys;
    EXPECT_TRUE(auth::read_dev_keys(store_ / "dev-keys.csv", &keys));
    const auth::DevKey* key = auth::find_dev_key(keys, principal);
    EXPECT_NE(key, nullptr) << principal;
    HttpClient client;
    client.set_api_key(key ? key->key : "");
    EXPECT_TRUE(client.connect("127.0.0.1", server_.port()));
    HttpRequest r = request;
    r.headers.emplace_back(std::string(kClientTimeHeader), std::string(kStoreCommandsAt));
    HttpResponse response;
    EXPECT_TRUE(client.send(r, &response));
    if (body) *body = response.body;
    return response.status;
  }

  crash::TempDir tmp_{"store-modes"};
  const fs::path store_ = tmp_.path() / "store";
  crash::ServerProcess server_;
};

TEST_F(StoreModesTest, EveryFolderIs0700AndEveryFile0600AfterServing) {
  const Umask usual(022);
  ASSERT_NO_FATAL_FAILURE(serve());
  const std::string authorize = Json{{"request_id", "m1"}, {"provider", "LAB127"}, {"credential", "110000783851"},
                                     {"items", Json::array({{{"code", "000118"}}})}}.dump();
  std::string answer;
  EXPECT_EQ(call("provider-LAB127", {"POST", "/v1/authorize", authorize, {}}, &answer), 200) << answer;
  const HttpRequest upload{"POST", "/v1/documents?name=orden.pdf", "%PDF-1.4\n% orden\n%%EOF\n",
                           {{"Content-Type", "application/pdf"}}};
  EXPECT_EQ(call("provider-LAB127", upload, &answer), 201) << answer;
  // A recovery code for the sample family's titular goes to the mail spool.
  const std::string recovery =
      Json{{"request_id", "r1"}, {"document", "24515260"}, {"email", "adrian.cataldi@example.org"}}.dump();
  EXPECT_EQ(call("admin", {"POST", "/v1/password_recovery", recovery, {}}, &answer), 200) << answer;
  ASSERT_NO_FATAL_FAILURE(stop());

  for (const char* made : {"CURRENT", "dev-keys.csv", "dev-secret-keys", "dev-users.csv", "dev-affiliates.csv",
                           "outbox.jsonl", "projections/CURRENT", "documents"}) {
    EXPECT_TRUE(fs::exists(store_ / made)) << made << " was not written: the test no longer covers it";
  }
  EXPECT_EQ(joined(not_private(store_)), "");
}

TEST_F(StoreModesTest, AStoreLeftReadableIsTightenedWhenServed) {
  const Umask usual(022);
  ASSERT_NO_FATAL_FAILURE(serve());
  ASSERT_NO_FATAL_FAILURE(stop());
  // As a store written before the rule: readable by all.
  fs::permissions(store_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                              fs::perms::others_read | fs::perms::others_exec);
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(store_)) {
    if (e.is_regular_file()) fs::permissions(e.path(), fs::perms::owner_read | fs::perms::owner_write |
                                                          fs::perms::group_read | fs::perms::others_read);
  }
  ASSERT_NE(joined(not_private(store_)), "");
  ASSERT_NO_FATAL_FAILURE(serve());
  ASSERT_NO_FATAL_FAILURE(stop());
  EXPECT_EQ(joined(not_private(store_)), "");
}

}  // namespace
}  // namespace autoriza
