#include "engine/core/secrets.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <set>
#include <string>

namespace autoriza {
namespace {

const std::string kHexA(64, 'a');
const std::string kHexB = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

KeyRing ring_of(const std::string& spec) {
  KeyRing ring;
  const Status status = KeyRing::parse(spec, &ring);
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  return ring;
}

Millis seconds(int64_t s) {
  return Millis{s * 1000};
}

// --- TOTP / HOTP -------------------------------------------------------------

TEST(SecretsOtp, Rfc4226HotpVectors) {
  const uint32_t expected[] = {755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489};
  for (uint64_t counter = 0; counter < 10; ++counter) {
    EXPECT_EQ(hotp("12345678901234567890", counter, 6), expected[counter]) << counter;
  }
}

TEST(SecretsOtp, Rfc6238Sha1Vectors) {
  const struct {
    int64_t t;
    const char* code;
  } cases[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
               {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& c : cases) EXPECT_EQ(totp("12345678901234567890", seconds(c.t), 30, 8), c.code) << c.t;
}

TEST(SecretsOtp, StepAndZeroPadding) {
  EXPECT_EQ(totp_step(Millis{59'999}, 60), 0u);
  EXPECT_EQ(totp_step(Millis{60'000}, 60), 1u);
  EXPECT_EQ(totp_step(seconds(1111111109), 30), 0x23523ECu);  // RFC 6238 table
  EXPECT_EQ(hotp_text("12345678901234567890", 0x23523EC, 8), "07081804");
  EXPECT_EQ(totp("12345678901234567890", seconds(1111111109), 30, 6), "081804");
}

// --- KeyRing -----------------------------------------------------------------

TEST(SecretsKeyRing, ParsesAndRoundTripsSpec) {
  KeyRing ring = ring_of("2:" + kHexB + ", 1:" + std::string(64, 'A'));
  EXPECT_EQ(ring.size(), 2u);
  EXPECT_EQ(ring.current_id(), 2);
  EXPECT_TRUE(ring.has(1));
  EXPECT_FALSE(ring.has(3));
  EXPECT_EQ(ring.to_spec(), "2:" + kHexB + ",1:" + kHexA);
}

TEST(SecretsKeyRing, ParseErrorsNameTheEntry) {
  const struct {
    std::string spec;
    std::string message;
  } cases[] = {
      {"", "no keys: expected ID:HEX64[,ID:HEX64...]"},
      {"1" + kHexA, "key entry 1: expected ID:HEX64"},
      {"0:" + kHexA, "key entry 1: id must be a number 1-255"},
      {"256:" + kHexA, "key entry 1: id must be a number 1-255"},
      {"x:" + kHexA, "key entry 1: id must be a number 1-255"},
      {"1:" + kHexA + ",2:abc", "key 2: expected 64 hex digits"},
      {"1:" + kHexA + ",2:" + std::string(63, 'a') + "g", "key 2: expected 64 hex digits"},
      {"1:" + kHexA + ",1:" + kHexB, "key 1: duplicate id"},
      {"1:" + kHexA + ",", "key entry 2: expected ID:HEX64"},
  };
  for (const auto& c : cases) {
    KeyRing ring;
    const Status status = KeyRing::parse(c.spec, &ring);
    EXPECT_EQ(status.kind(), StatusKind::kInvalidRequest) << c.spec;
    EXPECT_EQ(status.message(), c.message) << c.spec;
    EXPECT_EQ(status.message().find("aaaa"), std::string::npos);  // never quotes key material
    EXPECT_TRUE(ring.empty());
  }
}

TEST(SecretsKeyRing, ParseBoundsTheNumberOfKeys) {
  std::string spec;
  for (int id = 1; id <= static_cast<int>(kKeyRingKeysMax) + 1; ++id) {
    spec += (spec.empty() ? "" : ",") + std::to_string(id) + ":" + kHexA;
  }
  KeyRing ring;
  EXPECT_EQ(KeyRing::parse(spec, &ring).kind(), StatusKind::kInvalidRequest);
}

TEST(SecretsKeyRing, FromEnvironment) {
  ::unsetenv(kSecretKeysEnv);
  Status status;
  KeyRing ring = KeyRing::from_environment(&status);
  EXPECT_EQ(status.kind(), StatusKind::kNotFound);
  EXPECT_TRUE(ring.empty());

  ::setenv(kSecretKeysEnv, ("7:" + kHexB).c_str(), 1);
  ring = KeyRing::from_environment(&status);
  EXPECT_TRUE(status.is_ok()) << status.to_string();
  EXPECT_EQ(ring.current_id(), 7);

  ::setenv(kSecretKeysEnv, "7:zz", 1);
  ring = KeyRing::from_environment(&status);
  EXPECT_EQ(status.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(status.field(), kSecretKeysEnv);
  EXPECT_TRUE(ring.empty());
  ::unsetenv(kSecretKeysEnv);
}

TEST(SecretsKeyRing, GenerateDevIsRandomAndParsesBack) {
  const KeyRing a = KeyRing::generate_dev();
  const KeyRing b = KeyRing::generate_dev();
  EXPECT_EQ(a.current_id(), 1);
  EXPECT_NE(a.to_spec(), b.to_spec());
  EXPECT_EQ(ring_of(a.to_spec()).to_spec(), a.to_spec());
}

TEST(SecretsKeyRing, DerivedKeysDifferByLabelAndKey) {
  const KeyRing ring = ring_of("2:" + kHexB + ",1:" + kHexA);
  EXPECT_EQ(ring.derive(1, kLabelSeal).size(), kDerivedKeyBytes);
  EXPECT_EQ(ring.derive(1, kLabelSeal), ring.derive(1, kLabelSeal));
  EXPECT_NE(ring.derive(1, kLabelSeal), ring.derive(1, kLabelTokenHash));
  EXPECT_NE(ring.derive(1, kLabelSeal), ring.derive(2, kLabelSeal));
  EXPECT_EQ(ring.derive(1, "seal"), hmac_sha256(std::string(32, '\xaa'), "seal"));
}

// --- Sealing -----------------------------------------------------------------

TEST(SecretsSeal, RoundTrip) {
  const KeyRing ring = ring_of("1:" + kHexA);
  for (const std::string& plaintext : {std::string(), std::string("JBSWY3DPEHPK3PXP"), std::string(1000, 'x')}) {
    const std::string sealed = seal(ring, plaintext, "credential:123");
    ASSERT_EQ(sealed.size(), plaintext.size() + kSealOverheadBytes);
    EXPECT_EQ(sealed[0], 1);
    EXPECT_EQ(sealed[1], 1);
    std::string opened = "junk";
    ASSERT_TRUE(open(ring, sealed, "credential:123", &opened).is_ok());
    EXPECT_EQ(opened, plaintext);
  }
}

TEST(SecretsSeal, FreshNonceEachTime) {
  const KeyRing ring = ring_of("1:" + kHexA);
  EXPECT_NE(seal(ring, "same", ""), seal(ring, "same", ""));
  EXPECT_EQ(seal(ring, "JBSWY3DPEHPK3PXP", "").find("JBSWY3DPEHPK3PXP"), std::string::npos);
}

TEST(SecretsSeal, TamperedByteFails) {
  const KeyRing ring = ring_of("1:" + kHexA);
  const std::string sealed = seal(ring, "secret", "ad");
  for (size_t i = 0; i < sealed.size(); ++i) {
    if (i == 1) continue;  // the key id: tested below
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    std::string opened = "untouched";
    const Status status = open(ring, bad, "ad", &opened);
    EXPECT_EQ(status.kind(), StatusKind::kCorruption) << i;
    EXPECT_EQ(opened, "untouched");
  }
  std::string bad = sealed;
  bad[sealed.size() - 1] ^= 0x80;
  std::string opened;
  EXPECT_EQ(open(ring, bad, "ad", &opened).message(), "sealed data does not authenticate");
}

TEST(SecretsSeal, WrongAssociatedDataFails) {
  const KeyRing ring = ring_of("1:" + kHexA);
  const std::string sealed = seal(ring, "secret", "credential:1");
  std::string opened;
  const Status status = open(ring, sealed, "credential:2", &opened);
  EXPECT_EQ(status.kind(), StatusKind::kCorruption);
  EXPECT_EQ(status.message(), "sealed data does not authenticate");
  EXPECT_EQ(open(ring, sealed, "", &opened).kind(), StatusKind::kCorruption);
}

TEST(SecretsSeal, ShortAndUnknownKeyAndVersion) {
  const KeyRing ring = ring_of("1:" + kHexA);
  std::string opened;
  EXPECT_EQ(open(ring, "", "", &opened).kind(), StatusKind::kCorruption);
  EXPECT_EQ(open(ring, std::string(kSealOverheadBytes - 1, '\x01'), "", &opened).kind(), StatusKind::kCorruption);
  std::string sealed = seal(ring, "secret", "");
  sealed[1] = 9;
  const Status unknown = open(ring, sealed, "", &opened);
  EXPECT_EQ(unknown.kind(), StatusKind::kInvalidRequest);
  EXPECT_NE(unknown.message().find("key 9"), std::string::npos) << unknown.message();
  sealed[0] = 2;
  EXPECT_EQ(open(ring, sealed, "", &opened).kind(), StatusKind::kCorruption);
}

TEST(SecretsSeal, RotationOpensOldSealsAndSealsWithNewKey) {
  const KeyRing old_ring = ring_of("1:" + kHexA);
  const KeyRing new_ring = ring_of("2:" + kHexB + ",1:" + kHexA);
  const std::string old_sealed = seal(old_ring, "before rotation", "ad");
  std::string opened;
  ASSERT_TRUE(open(new_ring, old_sealed, "ad", &opened).is_ok());
  EXPECT_EQ(opened, "before rotation");

  const std::string new_sealed = seal(new_ring, "after rotation", "ad");
  EXPECT_EQ(new_sealed[1], 2);
  ASSERT_TRUE(open(new_ring, new_sealed, "ad", &opened).is_ok());
  EXPECT_EQ(opened, "after rotation");
  EXPECT_EQ(open(old_ring, new_sealed, "ad", &opened).kind(), StatusKind::kInvalidRequest);
}

// --- Randomness --------------------------------------------------------------

TEST(SecretsRandom, BytesLengthAndVariety) {
  EXPECT_EQ(random_bytes(0).size(), 0u);
  EXPECT_EQ(random_bytes(32).size(), 32u);
  EXPECT_NE(random_bytes(32), random_bytes(32));
}

TEST(SecretsRandom, DigitsLengthCharsetAndSpread) {
  EXPECT_EQ(random_digits(0), "");
  const std::string digits = random_digits(10'000);
  ASSERT_EQ(digits.size(), 10'000u);
  int counts[10] = {};
  for (char c : digits) {
    ASSERT_TRUE(c >= '0' && c <= '9') << static_cast<int>(c);
    ++counts[c - '0'];
  }
  for (int count : counts) EXPECT_GT(count, 800);  // expected 1000 each; a failure here is ~1e-10
  EXPECT_EQ(random_digits(8).size(), 8u);
}

// --- Keyed hashes and signatures ---------------------------------------------

TEST(SecretsKeyedHash, StableAndDiffersByContextValueAndKey) {
  const KeyRing ring = ring_of("1:" + kHexA);
  const std::string h = keyed_hash(ring, "dynamic", "123456");
  EXPECT_EQ(h.size(), kKeyedHashBytes);
  EXPECT_EQ(h, keyed_hash(ring, "dynamic", "123456"));
  EXPECT_NE(h, keyed_hash(ring, "preprinted", "123456"));
  EXPECT_NE(h, keyed_hash(ring, "dynamic", "123457"));
  EXPECT_EQ(h, hmac_sha256(ring.derive(1, kLabelTokenHash), std::string("dynamic") + '\0' + "123456"));

  const KeyRing rotated = ring_of("2:" + kHexB + ",1:" + kHexA);
  EXPECT_NE(keyed_hash(rotated, "dynamic", "123456"), h);
  EXPECT_EQ(keyed_hash_with(rotated, 1, "dynamic", "123456"), h);
}

TEST(SecretsSign, SignVerifyAndTamper) {
  const KeyRing ring = ring_of("1:" + kHexA);
  const std::string message = "credential=123|exp=2026-11-03";
  const std::string signature = sign(ring, message);
  ASSERT_EQ(signature.size(), kSignatureBytes);
  EXPECT_EQ(signature[0], 1);
  EXPECT_TRUE(verify(ring, message, signature));
  EXPECT_FALSE(verify(ring, "credential=124|exp=2026-11-03", signature));
  std::string bad = signature;
  bad[5] ^= 0x01;
  EXPECT_FALSE(verify(ring, message, bad));
  EXPECT_FALSE(verify(ring, message, signature.substr(0, 20)));
  EXPECT_FALSE(verify(ring, message, ""));
  bad = signature;
  bad[0] = 9;  // unknown key id
  EXPECT_FALSE(verify(ring, message, bad));
}

TEST(SecretsSign, RotationVerifiesOldSignatures) {
  const KeyRing old_ring = ring_of("1:" + kHexA);
  const KeyRing new_ring = ring_of("2:" + kHexB + ",1:" + kHexA);
  EXPECT_TRUE(verify(new_ring, "m", sign(old_ring, "m")));
  EXPECT_EQ(sign(new_ring, "m")[0], 2);
  EXPECT_FALSE(verify(old_ring, "m", sign(new_ring, "m")));
}

// --- Base64url ---------------------------------------------------------------

TEST(SecretsBase64Url, Rfc4648VectorsWithoutPadding) {
  const std::pair<std::string, std::string> cases[] = {
      {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},          {"foo", "Zm9v"},
      {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}, {"\xfb\xff", "-_8"}};
  for (const auto& [bytes, text] : cases) {
    EXPECT_EQ(base64url_encode(bytes), text);
    std::string decoded;
    ASSERT_TRUE(base64url_decode(text, &decoded)) << text;
    EXPECT_EQ(decoded, bytes);
  }
}

TEST(SecretsBase64Url, RoundTripsRandomBytes) {
  for (size_t n = 0; n < 70; ++n) {
    const std::string bytes = random_bytes(n);
    std::string decoded;
    ASSERT_TRUE(base64url_decode(base64url_encode(bytes), &decoded));
    EXPECT_EQ(decoded, bytes);
  }
}

TEST(SecretsBase64Url, RejectsBadInput) {
  std::string out = "untouched";
  EXPECT_FALSE(base64url_decode("Zg==", &out));   // padding
  EXPECT_FALSE(base64url_decode("Zm9v+", &out));  // standard alphabet / bad length
  EXPECT_FALSE(base64url_decode("Zm/v", &out));
  EXPECT_FALSE(base64url_decode("Z", &out));   // impossible length
  EXPECT_FALSE(base64url_decode("Zh", &out));  // non-zero trailing bits
  EXPECT_EQ(out, "untouched");
}

// --- Passwords ---------------------------------------------------------------

TEST(SecretsPassword, HashAndVerify) {
  const std::string password = "correct horse battery staple";
  const std::string encoded = password_hash(password);
  EXPECT_EQ(encoded.rfind("scrypt$15$8$1$", 0), 0u) << encoded;
  EXPECT_EQ(encoded.find(password), std::string::npos);
  EXPECT_EQ(encoded.find("horse"), std::string::npos);
  EXPECT_TRUE(password_verify(password, encoded));
  EXPECT_FALSE(password_verify("correct horse battery stapler", encoded));
  EXPECT_FALSE(password_verify("", encoded));
  EXPECT_NE(password_hash(password), encoded);  // fresh salt
}

TEST(SecretsPassword, MalformedEncodingsAreFalse) {
  EXPECT_FALSE(password_verify("pw", ""));
  EXPECT_FALSE(password_verify("pw", "scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(password_verify("pw", "bcrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(password_verify("pw", "scrypt$30$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(password_verify("pw", "scrypt$15$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA$x"));
  EXPECT_FALSE(password_verify("pw", "scrypt$15$8$1$!!!$AAAAAAAAAAAAAAAAAAAAAA"));
  EXPECT_FALSE(password_verify("pw", "scrypt$015$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA"));
}

}  // namespace
}  // namespace autoriza
