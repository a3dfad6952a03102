// The store's format (engine/journal.h, kStoreFormat): recorded when a store
// is opened for writing, a store without one (written before formats were
// recorded) taken as format 1, and a store of another format refused with
// both numbers instead of being misread.
#include <gtest/gtest.h>
#include <rocksdb/db.h>

#include <optional>

#include "tests/support/harness.h"

namespace autoriza::testing {
namespace {

std::string stored_format(const std::filesystem::path& store) {
  Status s;
  RocksJournalOptions o;
  o.read_only = true;
  auto journal = open_rocks_journal(store, o, &s);
  EXPECT_TRUE(journal) << s.to_string();
  if (!journal) return {};
  std::string value;
  s = journal->read_state(StateTable::kMeta, kStoreFormatKey, &value);
  return s ? value : "(" + s.to_string() + ")";
}

// Writes (or, with nullopt, deletes) the store's format with RocksDB itself,
// as another binary would have left it.
void set_format(const std::filesystem::path& store, const std::optional<std::string>& format) {
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), store.string(), &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  ASSERT_TRUE(rocksdb::DB::Open(rocksdb::DBOptions(), store.string(), families, &handles, &raw).ok());
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == state_table_name(StateTable::kMeta)) meta = handles[i];
  }
  ASSERT_NE(meta, nullptr);
  const rocksdb::Status s = format ? db->Put(rocksdb::WriteOptions(), meta, kStoreFormatKey, *format)
                                   : db->Delete(rocksdb::WriteOptions(), meta, kStoreFormatKey);
  EXPECT_TRUE(s.ok()) << s.ToString();
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
}

TEST(StoreFormat, ANewStoreRecordsItsFormat) {
  Harness h;
  h.close();
  EXPECT_EQ(stored_format(h.dir()), std::to_string(kStoreFormat));
}

TEST(StoreFormat, AStoreOfAnotherFormatIsRefusedSayingBothNumbers) {
  Harness h;
  const Json first = h.run("eligibility", {{"request_id", "f1"}, {"provider", "LAB127"}, {"credential", "110000783851"}},
                           kAt);
  ASSERT_EQ(h.last_status(), 200) << first;
  h.close();
  set_format(h.dir(), std::to_string(kStoreFormat + 1));
  EngineOptions o;
  o.store = h.dir();
  o.sync = false;
  Status s;
  EXPECT_EQ(Engine::open(o, &s), nullptr);
  EXPECT_EQ(s.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(s.field(), "--store");
  EXPECT_NE(s.message().find("tiene el formato " + std::to_string(kStoreFormat + 1)), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("el formato " + std::to_string(kStoreFormat) + ":"), std::string::npos) << s.message();
  RocksJournalOptions read_only;
  read_only.read_only = true;
  EXPECT_EQ(open_rocks_journal(h.dir(), read_only, &s), nullptr);  // replay, backup checks: refused alike
  EXPECT_NE(s.message().find("formato"), std::string::npos) << s.message();
}

TEST(StoreFormat, AStoreFromBeforeFormatsIsFormatOneAndItsDigestIsUnchanged) {
  Harness h;
  h.run("eligibility", {{"request_id", "f2"}, {"provider", "LAB127"}, {"credential", "110000783851"}}, kAt);
  std::string before;
  ASSERT_TRUE(h.engine().journal().digest(StateTable::kMeta, &before).is_ok());
  h.close();
  set_format(h.dir(), std::nullopt);  // as an earlier binary left it
  h.open(1);
  std::string after;
  ASSERT_TRUE(h.engine().journal().digest(StateTable::kMeta, &after).is_ok());
  EXPECT_EQ(after, before);
  h.close();
  EXPECT_EQ(stored_format(h.dir()), std::to_string(kStoreFormat));
}

}  // namespace
}  // namespace autoriza::testing
