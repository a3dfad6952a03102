// Idempotency: the same request answers the first answer again and writes no
// event; a reused request id with another body is refused (docs/rules.md §4-5).
#include <gtest/gtest.h>

#include "tests/support/harness.h"
#include "engine/core/idempotency.h"

namespace autoriza::testing {
namespace {

Json authorize_body(const std::string& id, const std::string& code) {
  return {{"request_id", id}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"prescribed_on", "2026-10-30"},
          {"prescriber", {{"kind", "MD"}, {"license", "1234"}}}, {"items", {{{"code", code}}}}};
}

uint64_t events_of(Engine& engine) {
  uint64_t n = 0;
  for (const auto& s : engine.stats()) n += s.events;
  return n;
}

TEST(Idempotency, RetryGetsTheFirstAnswerAndWritesNothing) {
  Harness h;
  Json first = h.run("authorize", authorize_body("r1", "000118"), kAt);
  const uint64_t events = events_of(h.engine());
  // Later, after the order was consumed, the retry still answers the first answer.
  h.run("consume", {{"request_id", "c1"}, {"provider", "LAB127"}, {"credential", "110000783851"}, {"order", first["order"]}, {"items", {0}}},
        "2026-11-02T11:00:00-03:00");
  Json again = h.run("authorize", authorize_body("r1", "000118"), "2026-11-05T10:00:00-03:00");
  EXPECT_EQ(again, first);
  EXPECT_EQ(events_of(h.engine()), events + 1);  // only the consume
}

TEST(Idempotency, SameBodyMeansEqualJsonAfterParsing) {
  Harness h;
  Json first = h.run("authorize", authorize_body("r1", "000118"), kAt);
  Json reordered = authorize_body("r1", "000118");
  reordered["note"] = nullptr;                // null means absent
  reordered["unknown_field"] = "ignored";      // unknown fields are ignored
  reordered["items"][0]["qty"] = 1;            // the default, made explicit
  EXPECT_EQ(h.run("authorize", reordered, kAt), first);
}

TEST(Idempotency, ReusedIdWithAnotherBodyIs409) {
  Harness h;
  h.run("authorize", authorize_body("r1", "000118"), kAt);
  Json other = h.run("authorize", authorize_body("r1", "000003"), kAt);
  EXPECT_EQ(h.last_status(), 409);
  EXPECT_EQ(other["error"]["code"], "REQUEST_ID_REUSED");
  // Another provider may use the same request id.
  Json body = authorize_body("r1", "000118");
  body["provider"] = "LAB200";
  EXPECT_EQ(h.run("authorize", body, kAt)["status"], "AUTHORIZED");
}

TEST(Idempotency, ReuseAcrossPartitionsIsCaught) {
  Harness h(8);
  // Same provider and request id, two credentials that live in other partitions.
  Json a = h.run("eligibility", {{"request_id", "x"}, {"provider", "LAB127"}, {"credential", "110000783851"}}, kAt);
  ASSERT_EQ(a["status"], "ELIGIBLE");
  for (const char* credential : {"110000783852", "110000783853", "354495", "438908"}) {
    Json b = h.run("eligibility", {{"request_id", "x"}, {"provider", "LAB127"}, {"credential", credential}}, kAt);
    EXPECT_EQ(h.last_status(), 409) << credential;
  }
}

TEST(Idempotency, ValidationComesBeforeTheLookup) {
  Harness h;
  h.run("authorize", authorize_body("r1", "000118"), kAt);
  Json bad = authorize_body("r1", "000118");
  bad["items"][0]["qty"] = 0;
  EXPECT_EQ(h.run("authorize", bad, kAt)["error"]["code"], "INVALID_REQUEST");
}

TEST(Idempotency, ValidateKeepsNoKey) {
  Harness h;
  Json v = authorize_body("r1", "000118");
  v["mode"] = "validate";
  EXPECT_TRUE(h.run("authorize", v, kAt)["transaction"].is_null());
  // The id is still free for a real authorization with another body.
  EXPECT_EQ(h.run("authorize", authorize_body("r1", "000003"), kAt)["status"], "AUTHORIZED");
}

TEST(Idempotency, RetriesInsideOneBatchAnswerOnce) {
  Harness h;
  std::vector<std::promise<Outcome>> promises(64);
  for (auto& p : promises) {
    Json body = authorize_body("same", "000118");
    fb::CommandUnion cmd;
    ASSERT_TRUE(decode_command("authorize", body, &cmd).is_ok());
    h.engine().submit(std::move(cmd), *parse_instant(kAt), [&p](Outcome o) { p.set_value(std::move(o)); });
  }
  std::set<std::string> transactions;
  int replayed = 0;
  for (auto& p : promises) {
    Outcome o = p.get_future().get();
    ASSERT_TRUE(o.status.is_ok());
    transactions.insert(o.result->transaction);
    replayed += o.replayed;
  }
  EXPECT_EQ(transactions.size(), 1u);
  EXPECT_EQ(replayed, 63);
}

// The index itself, past many growths of its tables: every key found with
// its own entry, absent keys (including prefixes and extensions of present
// ones) not found, the first insert of a key kept.
TEST(IdempotencyIndex, FindsEveryKeyAcrossGrowthAndKeepsTheFirst) {
  IdempotencyIndex index;
  constexpr uint64_t kKeys = 50'000;
  auto entry = [](uint64_t i, uint8_t tag) {
    IdempotencyEntry e;
    e.digest.fill(tag);
    e.position = {PartitionId(i % 7), Sequence(i + 1)};
    return e;
  };
  for (uint64_t i = 0; i < kKeys; ++i) index.insert(idempotency_key("provider:LAB127", "r-" + std::to_string(i)), entry(i, 1));
  for (uint64_t i = 0; i < kKeys; i += 3) index.insert(idempotency_key("provider:LAB127", "r-" + std::to_string(i)), entry(i, 2));
  EXPECT_EQ(index.size(), kKeys);
  for (uint64_t i = 0; i < kKeys; ++i) {
    auto found = index.find(idempotency_key("provider:LAB127", "r-" + std::to_string(i)));
    ASSERT_TRUE(found) << i;
    EXPECT_EQ(found->digest, entry(i, 1).digest) << i;
    EXPECT_EQ(found->position.partition, PartitionId(i % 7));
    EXPECT_EQ(found->position.sequence, Sequence(i + 1));
  }
  EXPECT_FALSE(index.find(idempotency_key("provider:LAB127", "r-")));
  EXPECT_FALSE(index.find(idempotency_key("provider:LAB127", "r-" + std::to_string(kKeys))));
  EXPECT_FALSE(index.find(idempotency_key("provider:LAB128", "r-1")));
  EXPECT_FALSE(index.find(idempotency_key("provider:LAB127", "r-10x")));
  EXPECT_FALSE(index.find(""));
}

// Erase (a partition reloading after a failed commit forgets the keys of the
// lost batches): every other key is still found across the shifted slots, an
// erased key is gone and may be inserted again with another entry.
TEST(IdempotencyIndex, EraseKeepsEveryOtherKeyFindable) {
  IdempotencyIndex index;
  constexpr uint64_t kKeys = 20'000;
  auto key = [](uint64_t i) { return idempotency_key("provider:LAB127", "r-" + std::to_string(i)); };
  auto entry = [](uint64_t i, uint8_t tag) {
    IdempotencyEntry e;
    e.digest.fill(tag);
    e.position = {PartitionId(0), Sequence(i + 1)};
    return e;
  };
  for (uint64_t i = 0; i < kKeys; ++i) index.insert(key(i), entry(i, 1));
  for (uint64_t i = 0; i < kKeys; i += 3) EXPECT_TRUE(index.erase(key(i))) << i;
  EXPECT_FALSE(index.erase(key(0)));
  EXPECT_FALSE(index.erase(key(kKeys)));
  EXPECT_EQ(index.size(), kKeys - (kKeys + 2) / 3);
  for (uint64_t i = 0; i < kKeys; ++i) {
    auto found = index.find(key(i));
    if (i % 3 == 0) {
      EXPECT_FALSE(found) << i;
    } else {
      ASSERT_TRUE(found) << i;
      EXPECT_EQ(found->position.sequence, Sequence(i + 1)) << i;
    }
  }
  index.insert(key(3), entry(99, 2));
  auto again = index.find(key(3));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->digest, entry(99, 2).digest);
  EXPECT_EQ(index.size(), kKeys - (kKeys + 2) / 3 + 1);
}

}  // namespace
}  // namespace autoriza::testing
