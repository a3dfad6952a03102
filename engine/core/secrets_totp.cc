// HOTP (RFC 4226) and TOTP (RFC 6238) with HMAC-SHA1: the dynamic tokens of
// docs/rules.md §12-13 (6 digits, 60 s steps).
#include <cassert>
#include <string>

#include "engine/core/secrets.h"

namespace autoriza {
namespace {

uint32_t power_of_ten(int digits) {
  uint32_t value = 1;
  for (int i = 0; i < digits; ++i) value *= 10;
  return value;
}

}  // namespace

uint32_t hotp(std::string_view secret, uint64_t counter, int digits) {
  AUTORIZA_CHECK(!secret.empty());
  AUTORIZA_CHECK(digits >= kOtpDigitsMin && digits <= kOtpDigitsMax);
  std::string message(8, '\0');
  for (int i = 7; i >= 0; --i, counter >>= 8) message[static_cast<size_t>(i)] = static_cast<char>(counter & 0xff);
  const std::string mac = hmac_sha1(secret, message);
  AUTORIZA_CHECK(mac.size() == 20);
  // Dynamic truncation: the low nibble of the last byte picks 4 bytes; the
  // top bit is dropped so the value reads the same signed or unsigned.
  const size_t offset = static_cast<unsigned char>(mac[19]) & 0x0f;
  const auto byte = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(mac[offset + i])); };
  const uint32_t truncated = (byte(0) & 0x7f) << 24 | byte(1) << 16 | byte(2) << 8 | byte(3);
  const uint32_t code = truncated % power_of_ten(digits);
  assert(code < power_of_ten(digits));
  return code;
}

std::string hotp_text(std::string_view secret, uint64_t counter, int digits) {
  const std::string value = std::to_string(hotp(secret, counter, digits));
  std::string text(static_cast<size_t>(digits) - value.size(), '0');
  text += value;
  assert(text.size() == static_cast<size_t>(digits));
  return text;
}

uint64_t totp_step(Millis t, int64_t step_seconds) {
  AUTORIZA_CHECK(t.value >= 0);
  AUTORIZA_CHECK(step_seconds > 0);
  return static_cast<uint64_t>(t.value / 1000 / step_seconds);
}

std::string totp(std::string_view secret, Millis t, int64_t step_seconds, int digits) {
  return hotp_text(secret, totp_step(t, step_seconds), digits);
}

}  // namespace autoriza
