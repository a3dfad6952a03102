// The documents store (adapters/documents): typing by magic numbers, the
// checks of an upload, one file per content and its owners, integrity on
// read, concurrent puts from threads and from two stores on one folder.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "adapters/documents/documents.h"
#include "adapters/documents/durable_file.h"
#include "adapters/documents/sidecar.h"

namespace autoriza::documents {
namespace {

const std::string kPdfBytes = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n";
const std::string kJpegBytes = std::string("\xFF\xD8\xFF\xE0\x00\x10JFIF\x00", 11) + "jpeg body";
const std::string kPngBytes = std::string("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR", 16) + "png body";
constexpr Millis kUploadAt{1'793'624'400'000};

std::filesystem::path fresh_dir() {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() /
             ("autoriza-documents-" + std::to_string(rd()) + "-" + std::to_string(rd()));
  return dir;
}

class DocumentStoreTest : public ::testing::Test {
 protected:
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  // Files of the folder of hash: bytes and sidecars, not the lock nor temporaries.
  std::vector<std::string> files_of(std::string_view hash) const {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(dir_ / std::string(hash.substr(0, 2)))) {
      const std::string name = entry.path().filename().string();
      if (!name.starts_with(".")) out.push_back(name);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  size_t temporaries() const {
    size_t n = 0;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir_)) {
      n += entry.path().filename().string().starts_with(kTempPrefix);
    }
    return n;
  }
  Sidecar sidecar_of(std::string_view hash) const {
    std::string text;
    EXPECT_TRUE(read_file(store_.data_path(hash).string() + ".meta", 1 << 20, &text).is_ok());
    Sidecar sidecar;
    EXPECT_TRUE(decode_sidecar(text, &sidecar).is_ok()) << text;
    return sidecar;
  }

  std::filesystem::path dir_ = fresh_dir();
  DocumentStore store_{dir_};
};

TEST(DocumentType, DecidedByMagicNumbersNeverByTheClient) {
  EXPECT_EQ(type_of(kPdfBytes), kPdf);
  EXPECT_EQ(type_of(kJpegBytes), kJpeg);
  EXPECT_EQ(type_of(kPngBytes), kPng);
  EXPECT_EQ(type_of("GIF89a..."), "");
  EXPECT_EQ(type_of("<html><script>alert(1)</script>"), "");
  EXPECT_EQ(type_of(" %PDF-1.4"), "");                    // the magic must come first
  EXPECT_EQ(type_of(std::string("\x89PNG\r\n", 6)), "");  // a cut PNG signature
  std::string_view type;
  const Status html = check_document("<html>", "image/png", &type);
  EXPECT_EQ(html.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(html.message(), "Tipo de archivo no permitido: solo PDF, JPEG o PNG");
}

TEST(DocumentType, ADeclaredTypeMustAgreeWithTheBytes) {
  std::string_view type;
  for (const char* declared : {"", "application/octet-stream", "image/png", "IMAGE/PNG", "image/png; name=x.png"}) {
    EXPECT_TRUE(check_document(kPngBytes, declared, &type).is_ok()) << declared;
    EXPECT_EQ(type, kPng);
  }
  EXPECT_TRUE(check_document(kJpegBytes, "image/jpg", &type).is_ok());
  EXPECT_EQ(type, kJpeg);
  const Status s = check_document(kPngBytes, "application/pdf", &type);
  EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(s.field(), "Content-Type");
  EXPECT_NE(s.message().find("se envió como PDF pero su contenido es PNG"), std::string::npos) << s.message();
  EXPECT_NE(check_document(kPdfBytes, "text/html", &type).message().find("como text/html pero"), std::string::npos);
  // What the client sent is quoted only when it reads as a media type.
  const Status junk = check_document(kPdfBytes, "image/\xFF<b>", &type);
  EXPECT_EQ(junk.kind(), StatusKind::kInvalidRequest);
  EXPECT_NE(junk.message().find("como otro tipo pero su contenido es PDF"), std::string::npos) << junk.message();
}

TEST(DocumentType, EmptyAndOversizeAreRefusedInSpanish) {
  std::string_view type;
  const Status empty = check_document("", "application/pdf", &type);
  EXPECT_EQ(empty.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(empty.message(), "El archivo está vacío");
  std::string big = kPdfBytes;
  big.resize(kDocumentMaxBytes, ' ');
  EXPECT_TRUE(check_document(big, "application/pdf", &type).is_ok());  // exactly the maximum
  big.push_back(' ');
  const Status over = check_document(big, "application/pdf", &type);
  EXPECT_EQ(over.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(over.message(), "El archivo supera el máximo de 8 MB");
}

TEST(DocumentType, HashesAndOwnersWellFormed) {
  const std::string hash = sha256_hex("abc");
  EXPECT_EQ(hash, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2's example
  EXPECT_TRUE(hash_well_formed(hash));
  EXPECT_FALSE(hash_well_formed(hash.substr(1)));
  EXPECT_FALSE(hash_well_formed("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
  EXPECT_FALSE(hash_well_formed("../" + hash.substr(3)));
  EXPECT_FALSE(hash_well_formed(""));
  EXPECT_TRUE(owner_well_formed(""));
  EXPECT_TRUE(owner_well_formed("LAB127"));
  EXPECT_FALSE(owner_well_formed("-"));
  EXPECT_FALSE(owner_well_formed("LAB 127"));
  EXPECT_FALSE(owner_well_formed("../LAB"));
  EXPECT_FALSE(owner_well_formed("LAB127\nowner X"));
}

TEST(DocumentType, NamesAreSanitized) {
  EXPECT_EQ(sanitize_name("C:\\Users\\ana\\radiografía panorámica.png"), "radiografía panorámica.png");
  EXPECT_EQ(sanitize_name("../../etc/passwd"), "passwd");
  EXPECT_EQ(sanitize_name("  orden\n\r\t.pdf  "), "orden.pdf");
  EXPECT_EQ(sanitize_name("a\xFF\xC3(b.pdf"), "a(b.pdf");                   // invalid UTF-8 dropped
  const std::string long_name = std::string(kNameMaxBytes - 1, 'a') + "ñ";  // ñ would cross the limit
  EXPECT_EQ(sanitize_name(long_name), std::string(kNameMaxBytes - 1, 'a'));
}

TEST(DocumentSidecar, RoundTripsAndRefusesJunk) {
  Sidecar sidecar{std::string(kPdf), 1234, kUploadAt, {}};
  EXPECT_TRUE(sidecar.add_owner("LAB127", kUploadAt, "orden médica.pdf"));
  EXPECT_TRUE(sidecar.add_owner("", Millis{kUploadAt.value + 1}, ""));
  EXPECT_FALSE(sidecar.add_owner("LAB127", Millis{kUploadAt.value + 2}, "otra.pdf"));
  Sidecar back;
  ASSERT_TRUE(decode_sidecar(encode_sidecar(sidecar), &back).is_ok()) << encode_sidecar(sidecar);
  EXPECT_EQ(back.type, kPdf);
  EXPECT_EQ(back.size, 1234u);
  EXPECT_EQ(back.first_at, kUploadAt);
  ASSERT_EQ(back.owners.size(), 2u);
  EXPECT_EQ(back.owners[0].name, "orden médica.pdf");
  EXPECT_EQ(back.owners[1].id, "");
  EXPECT_TRUE(back.owned_by("LAB127"));
  EXPECT_FALSE(back.owned_by(""));  // ops uploads own nothing
  EXPECT_EQ(decode_sidecar("hello\n", &back).kind(), StatusKind::kCorruption);
  EXPECT_EQ(decode_sidecar("autoriza-document 1\ntype text/html\nsize 1\n", &back).kind(), StatusKind::kCorruption);
  EXPECT_EQ(decode_sidecar("autoriza-document 1\ntype image/png\nsize x\n", &back).kind(), StatusKind::kCorruption);
  EXPECT_TRUE(decode_sidecar("autoriza-document 1\ntype image/png\nsize 3\nlater_key 7\n", &back).is_ok());
}

TEST_F(DocumentStoreTest, PutThenGetAndMeta) {
  StoredDocument doc;
  bool created = false;
  ASSERT_TRUE(store_.put(kPngBytes, "image/png", "LAB127", kUploadAt, &doc, "placa.png", &created).is_ok());
  EXPECT_TRUE(created);
  EXPECT_EQ(doc.hash, sha256_hex(kPngBytes));
  EXPECT_EQ(doc.type, kPng);
  EXPECT_EQ(doc.size, kPngBytes.size());
  EXPECT_EQ(store_.data_path(doc.hash), dir_ / doc.hash.substr(0, 2) / doc.hash);
  std::string bytes;
  StoredDocument meta;
  ASSERT_TRUE(store_.get(doc.hash, &bytes, &meta).is_ok());
  EXPECT_EQ(bytes, kPngBytes);
  EXPECT_EQ(meta.type, kPng);
  EXPECT_EQ(meta.size, kPngBytes.size());
  ASSERT_TRUE(store_.meta(doc.hash, &meta).is_ok());
  EXPECT_EQ(meta.hash, doc.hash);
  EXPECT_EQ(sidecar_of(doc.hash).owners.at(0).name, "placa.png");
  EXPECT_EQ(temporaries(), 0u);
}

TEST_F(DocumentStoreTest, UnknownAndMalformedHashesAreNotFound) {
  std::string bytes;
  StoredDocument meta;
  EXPECT_EQ(store_.get(sha256_hex("nothing"), &bytes, &meta).kind(), StatusKind::kNotFound);
  EXPECT_EQ(store_.get("../../etc/passwd", &bytes, &meta).kind(), StatusKind::kNotFound);
  EXPECT_EQ(store_.meta("ABC", &meta).kind(), StatusKind::kNotFound);
  EXPECT_FALSE(store_.owned_by(sha256_hex("nothing"), "LAB127"));
  EXPECT_FALSE(store_.owned_by("../x", "LAB127"));
  EXPECT_FALSE(std::filesystem::exists(dir_));  // reads make nothing
}

TEST_F(DocumentStoreTest, RefusalsStoreNothing) {
  StoredDocument doc;
  EXPECT_EQ(store_.put("", "", "LAB127", kUploadAt, &doc).kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(store_.put("GIF89a", "", "LAB127", kUploadAt, &doc).kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(store_.put(kPngBytes, "image/jpeg", "LAB127", kUploadAt, &doc).kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(store_.put(kPngBytes, "image/png", "LAB 127", kUploadAt, &doc).kind(), StatusKind::kInvalidRequest);
  EXPECT_FALSE(std::filesystem::exists(dir_));
}

TEST_F(DocumentStoreTest, SameBytesTwiceAreOneFileWithTwoOwners) {
  StoredDocument first, second;
  bool created = false;
  ASSERT_TRUE(store_.put(kPdfBytes, "application/pdf", "LAB127", kUploadAt, &first, {}, &created).is_ok());
  EXPECT_TRUE(created);
  ASSERT_TRUE(store_.put(kPdfBytes, "", "LAB200", Millis{kUploadAt.value + 1000}, &second, {}, &created).is_ok());
  EXPECT_FALSE(created);
  ASSERT_TRUE(store_.put(kPdfBytes, "", "LAB127", Millis{kUploadAt.value + 2000}, &second, {}, &created).is_ok());
  EXPECT_EQ(first.hash, second.hash);
  EXPECT_EQ(files_of(first.hash), (std::vector<std::string>{first.hash, first.hash + ".meta"}));
  EXPECT_TRUE(store_.owned_by(first.hash, "LAB127"));
  EXPECT_TRUE(store_.owned_by(first.hash, "LAB200"));
  EXPECT_FALSE(store_.owned_by(first.hash, "LAB300"));
  EXPECT_FALSE(store_.owned_by(first.hash, ""));
  const Sidecar sidecar = sidecar_of(first.hash);
  ASSERT_EQ(sidecar.owners.size(), 2u);  // LAB127 once
  EXPECT_EQ(sidecar.first_at, kUploadAt);
  EXPECT_EQ(sidecar.owners[1].at.value, kUploadAt.value + 1000);
}

TEST_F(DocumentStoreTest, OpsUploadsOwnNothing) {
  StoredDocument doc;
  ASSERT_TRUE(store_.put(kJpegBytes, "image/jpeg", "", kUploadAt, &doc).is_ok());
  EXPECT_FALSE(store_.owned_by(doc.hash, ""));
  EXPECT_FALSE(store_.owned_by(doc.hash, "LAB127"));
  EXPECT_EQ(sidecar_of(doc.hash).owners.size(), 1u);  // recorded as "-"
}

TEST_F(DocumentStoreTest, ACorruptedFileIsRefusedThenRepairedByAnUpload) {
  StoredDocument doc;
  ASSERT_TRUE(store_.put(kPdfBytes, "", "LAB127", kUploadAt, &doc).is_ok());
  {
    std::fstream file(store_.data_path(doc.hash), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(10);
    file.put('X');  // one byte flipped, same size
  }
  std::string bytes;
  StoredDocument meta;
  Status s = store_.get(doc.hash, &bytes, &meta);
  EXPECT_EQ(s.kind(), StatusKind::kCorruption);
  EXPECT_NE(s.message().find("está dañado"), std::string::npos) << s.message();
  EXPECT_TRUE(bytes.empty());
  std::filesystem::resize_file(store_.data_path(doc.hash), 5);  // cut short
  EXPECT_EQ(store_.get(doc.hash, &bytes, &meta).kind(), StatusKind::kCorruption);
  std::filesystem::remove(store_.data_path(doc.hash));  // gone
  EXPECT_EQ(store_.get(doc.hash, &bytes, &meta).kind(), StatusKind::kCorruption);

  bool created = true;
  ASSERT_TRUE(store_.put(kPdfBytes, "", "LAB200", kUploadAt, &doc, {}, &created).is_ok());
  EXPECT_FALSE(created);  // known, and now whole again
  ASSERT_TRUE(store_.get(doc.hash, &bytes, &meta).is_ok());
  EXPECT_EQ(bytes, kPdfBytes);
  EXPECT_TRUE(store_.owned_by(doc.hash, "LAB127"));
}

TEST_F(DocumentStoreTest, ADamagedSidecarIsCorruptionAndAnUploadRewritesIt) {
  StoredDocument doc;
  ASSERT_TRUE(store_.put(kPngBytes, "", "LAB127", kUploadAt, &doc).is_ok());
  std::ofstream(store_.data_path(doc.hash).string() + ".meta") << "garbage";
  StoredDocument meta;
  EXPECT_EQ(store_.meta(doc.hash, &meta).kind(), StatusKind::kCorruption);
  EXPECT_FALSE(store_.owned_by(doc.hash, "LAB127"));
  ASSERT_TRUE(store_.put(kPngBytes, "", "LAB127", kUploadAt, &doc).is_ok());
  EXPECT_TRUE(store_.meta(doc.hash, &meta).is_ok());
  EXPECT_TRUE(store_.owned_by(doc.hash, "LAB127"));
}

// Many threads, and two stores on one folder (two gateways on a shared
// volume), put the same bytes at once: one file, every owner, no leftovers.
TEST_F(DocumentStoreTest, ConcurrentPutsOfTheSameBytes) {
  DocumentStore other(dir_);
  constexpr int kThreads = 8;
  constexpr int kRounds = 5;
  std::string bytes = kPdfBytes;
  bytes.resize(256 * 1024, '.');
  std::atomic<int> created_count{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      DocumentStore& store = t % 2 ? other : store_;
      for (int round = 0; round < kRounds; ++round) {
        StoredDocument doc;
        bool created = false;
        const std::string owner = "LAB" + std::to_string(100 + t);
        if (!store.put(bytes, "application/pdf", owner, kUploadAt, &doc, {}, &created).is_ok()) failures++;
        created_count += created;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(created_count.load(), 1);
  const std::string hash = sha256_hex(bytes);
  EXPECT_EQ(files_of(hash), (std::vector<std::string>{hash, hash + ".meta"}));
  EXPECT_EQ(temporaries(), 0u);
  EXPECT_EQ(sidecar_of(hash).owners.size(), size_t(kThreads));
  for (int t = 0; t < kThreads; ++t) EXPECT_TRUE(store_.owned_by(hash, "LAB" + std::to_string(100 + t)));
  std::string back;
  StoredDocument meta;
  ASSERT_TRUE(other.get(hash, &back, &meta).is_ok());
  EXPECT_EQ(back, bytes);
}

TEST_F(DocumentStoreTest, ConcurrentPutsOfDifferentBytes) {
  constexpr int kThreads = 6;
  std::vector<std::thread> threads;
  std::vector<StoredDocument> docs(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      if (!store_.put(kPngBytes + std::to_string(t), "image/png", "LAB127", kUploadAt, &docs[t]).is_ok()) failures++;
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  std::set<std::string> hashes;
  for (const StoredDocument& doc : docs) {
    hashes.insert(doc.hash);
    std::string bytes;
    StoredDocument meta;
    EXPECT_TRUE(store_.get(doc.hash, &bytes, &meta).is_ok());
  }
  EXPECT_EQ(hashes.size(), size_t(kThreads));
}

}  // namespace
}  // namespace autoriza::documents
