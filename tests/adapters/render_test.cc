// render_result writes answers without a DOM; it must give the very bytes of
// encode_result(...).dump() (the DOM rendering replay exports and the CLI
// use), for every command type and whatever the strings hold.
#include <gtest/gtest.h>

#include <random>

#include "adapters/codec/codec.h"

namespace autoriza {
namespace {

// Pieces that exercise the escapes: quotes, backslashes, every short escape,
// other control characters, DEL, multi-byte UTF-8 and plain text.
const std::vector<std::string> kPieces = {"a", "Z", "0", " ", "\"", "\\", "/", "\b", "\f", "\n", "\r", "\t",
                                          std::string(1, '\0'), "\x01", "\x1f", "\x7f", "ñ", "€", "😀", "LAB127", "T-0-1"};

class RandomResults {
 public:
  explicit RandomResults(uint32_t seed) : rng_(seed) {}

  std::string text(size_t max_pieces = 6) {
    std::string s;
    const size_t n = pick(max_pieces + 1);
    for (size_t i = 0; i < n; ++i) s += kPieces[pick(kPieces.size())];
    return s;
  }
  int64_t cents() { return int64_t(pick(3)) == 0 ? 0 : int64_t(rng_() % 10'000'000) - 1'000'000; }
  fb::Status status() { return fb::EnumValuesStatus()[pick(std::size(fb::EnumValuesStatus()))]; }
  std::vector<fb::ReasonCode> reasons() {
    std::vector<fb::ReasonCode> out(pick(4));
    // NONE is no reason an answer can carry.
    for (auto& r : out) r = fb::EnumValuesReasonCode()[1 + pick(std::size(fb::EnumValuesReasonCode()) - 1)];
    return out;
  }

  fb::ResultT result() {
    fb::ResultT r;
    r.transaction = pick(4) == 0 ? "" : text();
    r.status = status();
    r.reasons = reasons();
    r.order = pick(2) == 0 ? "" : text();
    r.sap = pick(2) == 0 ? "" : text();
    for (size_t n = pick(4); n > 0; --n) {
      auto it = std::make_unique<fb::ItemResultT>();
      it->index = int32_t(pick(60));
      it->code = text();
      it->description = text(12);
      it->qty = int32_t(pick(1000));
      if (pick(2) == 0) it->tooth = int32_t(11 + pick(75));
      it->faces = pick(2) == 0 ? "" : text(3);
      it->status = status();
      it->reasons = reasons();
      it->professional_cents = cents();
      it->expenses_cents = cents();
      it->total_cents = cents();
      it->copay_cents = cents();
      r.items.push_back(std::move(it));
    }
    if (pick(3) != 0) {
      r.totals = std::make_unique<fb::TotalsT>();
      r.totals->total_cents = cents();
      r.totals->copay_cents = cents();
      r.totals->covered_cents = cents();
    }
    if (pick(3) != 0) {
      r.affiliate = std::make_unique<fb::AffiliateViewT>();
      r.affiliate->credential = text();
      r.affiliate->name = text(10);
      r.affiliate->cuil = text();
      r.affiliate->age = int32_t(pick(120));
      r.affiliate->sex = text(1);
      r.affiliate->plan = text();
      r.affiliate->titular = text();
    }
    for (size_t n = pick(3); n > 0; --n) {
      auto t = std::make_unique<fb::TokenViewT>();
      t->token = text();
      t->valid_from_ms = 1'762'084'800'000 + int64_t(pick(1'000'000'000));
      t->valid_until_ms = t->valid_from_ms + int64_t(pick(86'400'000));
      r.tokens.push_back(std::move(t));
    }
    return r;
  }

 private:
  size_t pick(size_t n) { return size_t(rng_() % n); }
  std::mt19937 rng_;
};

TEST(RenderResult, IsTheDomRenderingForEveryCommandType) {
  RandomResults gen(20261202);
  for (fb::Command type : fb::EnumValuesCommand()) {
    for (int i = 0; i < 300; ++i) {
      const fb::ResultT r = gen.result();
      const std::string expected = encode_result(type, r).dump();
      ASSERT_EQ(render_result(type, r), expected) << fb::EnumNameCommand(type) << " case " << i;
    }
  }
}

TEST(RenderResult, EscapesLikeNlohmann) {
  fb::ResultT r;
  r.transaction = std::string("a\"b\\c\x01\x1f\x7f\tñ\0z", 13);
  r.status = fb::Status::ELIGIBLE;
  const std::string text = render_result(fb::Command::AnnulCmd, r);
  EXPECT_EQ(text, R"({"reasons":[],"status":"ELIGIBLE","transaction":"a\"b\\c\u0001\u001f)"
                  "\x7f"
                  R"(\tñ\u0000z"})");
  EXPECT_EQ(text, encode_result(fb::Command::AnnulCmd, r).dump());
}

TEST(RenderResult, AppendsToWhatIsThere) {
  fb::ResultT r;
  r.status = fb::Status::ELIGIBLE;
  std::string out = "AZR2";
  render_result(fb::Command::EligibilityCmd, r, &out);
  EXPECT_EQ(out, "AZR2" + encode_result(fb::Command::EligibilityCmd, r).dump());
  EXPECT_EQ(out, R"(AZR2{"affiliate":null,"reasons":[],"status":"ELIGIBLE","transaction":null})");
}

}  // namespace
}  // namespace autoriza
