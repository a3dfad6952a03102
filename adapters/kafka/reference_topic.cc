#include "adapters/kafka/reference_topic.h"

#include <spdlog/spdlog.h>

#include <functional>

#include "engine/state_store.h"

namespace autoriza::kafka {

namespace {

// Decodes one message of autoriza.reference; false (logged) when it does not.
bool is_mark_key(std::string_view key) { return key.starts_with("load/"); }

bool decode(const rd_kafka_message_t* m, std::string* key, ReferenceEntry* entry) {
  key->assign(m->key ? static_cast<const char*>(m->key) : "", m->key_len);
  const std::string_view value(static_cast<const char*>(m->payload), m->len);
  if (Status s = decode_reference_value(*key, value, &entry->record, &entry->at_ms); !s) {
    spdlog::error("{}@{}: {}; skipped", kReferenceTopic, m->offset, s.to_string());
    return false;
  }
  if (Reference::record_key(entry->record) != *key) {
    spdlog::error("{}@{}: key '{}' is not the record's ('{}'); skipped", kReferenceTopic, m->offset, *key,
                  Reference::record_key(entry->record));
    return false;
  }
  rd_kafka_timestamp_type_t type = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE;
  const int64_t written = rd_kafka_message_timestamp(m, &type);
  entry->written_ms = type == RD_KAFKA_TIMESTAMP_NOT_AVAILABLE || written < 0 ? entry->at_ms : written;
  return true;
}

}  // namespace

Status visit_reference_topic(rd_kafka_t* reader, const std::function<void(const rd_kafka_message_t*)>& visit,
                             int64_t* next_offset, std::chrono::milliseconds timeout) {
  int64_t low = 0, high = 0;
  if (Status s = watermarks(reader, kReferenceTopic, 0, &low, &high); !s) return s;
  *next_offset = low;
  if (high <= low) return Status::ok();
  if (Status s = assign_one(reader, kReferenceTopic, 0, low); !s) return s;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  MessageBatch batch;
  // Compaction leaves holes in the offsets (the last ones too): done when the
  // next offset reaches high or the consumer reports the partition's end
  // (readers are made with enable.partition.eof, reference_reader()).
  bool end = false;
  while (*next_offset < high && !end) {
    if (std::chrono::steady_clock::now() > deadline) {
      rd_kafka_assign(reader, nullptr);
      return Status::unavailable(std::string(kReferenceTopic) + " was not read to its end (offset " +
                                 std::to_string(high) + ") in time; read up to " + std::to_string(*next_offset));
    }
    const size_t n = batch.poll(reader, std::chrono::milliseconds(100));
    for (size_t i = 0; i < n; ++i) {
      const rd_kafka_message_t* m = batch[i];
      if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        *next_offset = std::max(*next_offset, m->offset);
        end = true;
        continue;
      }
      if (m->err) continue;
      *next_offset = std::max(*next_offset, m->offset + 1);
      visit(m);
    }
    batch.clear();
  }
  rd_kafka_assign(reader, nullptr);
  return Status::ok();
}

Status read_reference_topic(rd_kafka_t* reader, std::map<std::string, ReferenceEntry>* records, int64_t* next_offset,
                            std::chrono::milliseconds timeout) {
  return visit_reference_topic(
      reader,
      [records](const rd_kafka_message_t* m) {
        if (m->key && is_mark_key(std::string_view(static_cast<const char*>(m->key), m->key_len))) return;
        std::string key;
        ReferenceEntry entry;
        if (decode(m, &key, &entry)) (*records)[key] = std::move(entry);
      },
      next_offset, timeout);
}

Reference reference_of(const std::map<std::string, ReferenceEntry>& records) {
  Reference ref;
  for (const auto& [key, entry] : records) ref.upsert(entry.record, entry.at_ms);
  return ref;
}

std::string load_mark_key(const LoadMark& mark) { return "load/" + std::to_string(mark.at_ms); }

std::string encode_load_mark(const LoadMark& mark) {
  std::string out = "AZL1";
  for (int64_t v : {mark.at_ms, mark.in_force_ms}) {
    for (int i = 0; i < 8; ++i) out.push_back(char((uint64_t(v) >> (8 * i)) & 0xff));
  }
  return out;
}

bool decode_load_mark(std::string_view key, std::string_view value, LoadMark* out) {
  if (!is_mark_key(key) || value.size() != 20 || value.substr(0, 4) != "AZL1") return false;
  auto get = [&](size_t at) {
    uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= uint64_t(uint8_t(value[at + size_t(i)])) << (8 * i);
    return int64_t(v);
  };
  out->at_ms = get(4);
  out->in_force_ms = get(12);
  return true;
}

Handle reference_reader(const std::string& brokers, Status* status) {
  return make_consumer(brokers, "", {{"enable.partition.eof", "true"}}, nullptr, nullptr, status);
}

namespace {

// Delivery reports of a reference publish: how many records Kafka refused.
void count_refused(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (m->err) {
    spdlog::error("{}: a record was not written: {}", kReferenceTopic, rd_kafka_err2str(m->err));
    static_cast<std::atomic<size_t>*>(opaque)->fetch_add(1);
  }
}

}  // namespace

Status publish_reference(const std::string& brokers, const std::vector<fb::ReferenceRecordUnion>& records, int64_t at_ms,
                         ReferenceLoadStats* stats, const Reference* published, int64_t* in_force_ms,
                         int64_t settle_ms) {
  Status s;
  Reference read;
  if (!published) {
    Handle reader = reference_reader(brokers, &s);
    if (!reader) return s;
    std::map<std::string, ReferenceEntry> current;
    int64_t next = 0;
    if (s = read_reference_topic(reader.get(), &current, &next); !s) return s;
    read = reference_of(current);
    published = &read;
  }
  std::atomic<size_t> refused{0};
  Handle producer = make_producer(brokers, {{"linger.ms", "5"}}, &count_refused, &refused, &s);
  if (!producer) return s;
  for (const fb::ReferenceRecordUnion& record : records) {
    if (published->contains_equal(record)) {
      ++stats->unchanged;
      continue;
    }
    ++(published->contains_key(record) ? stats->updated : stats->added);
    const std::string key = Reference::record_key(record);
    const std::string value = encode_reference_value(record, at_ms);
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer.get(), RD_KAFKA_V_TOPIC(kReferenceTopic), RD_KAFKA_V_PARTITION(0), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_BLOCK), RD_KAFKA_V_END);
    if (err) return status_of(err, "publish " + key + " to autoriza.reference");
    rd_kafka_poll(producer.get(), 0);
  }
  if (rd_kafka_resp_err_t err = rd_kafka_flush(producer.get(), 60'000)) return status_of(err, "flush autoriza.reference");
  if (const int left = rd_kafka_outq_len(producer.get()); left > 0) {
    return Status::unavailable(std::to_string(left) + " reference records were not acknowledged by Kafka");
  }
  rd_kafka_poll(producer.get(), 0);  // the last delivery reports
  if (refused.load() > 0) {
    return Status::unavailable(std::to_string(refused.load()) + " reference records were refused by Kafka (see the log)");
  }
  // Every record is in the topic: the mark puts them in force from a time
  // every validator can wait for (the header).
  const LoadMark mark{at_ms, wall_clock_now().value + settle_ms};
  const std::string key = load_mark_key(mark), value = encode_load_mark(mark);
  if (rd_kafka_resp_err_t err = rd_kafka_producev(
          producer.get(), RD_KAFKA_V_TOPIC(kReferenceTopic), RD_KAFKA_V_PARTITION(0),
          RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END)) {
    return status_of(err, "publish the load's mark to autoriza.reference");
  }
  if (rd_kafka_resp_err_t err = rd_kafka_flush(producer.get(), 60'000)) return status_of(err, "flush the load's mark");
  rd_kafka_poll(producer.get(), 0);
  if (refused.load() > 0) return Status::unavailable("the load's mark was refused by Kafka (see the log)");
  if (in_force_ms) *in_force_ms = mark.in_force_ms;
  return Status::ok();
}

ReferenceFollower::ReferenceFollower(Engine& engine, std::string brokers, int64_t settle_ms)
    : engine_(engine), brokers_(std::move(brokers)), settle_ms_(settle_ms) {}

ReferenceFollower::~ReferenceFollower() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

Status ReferenceFollower::load(const std::vector<ReferenceEntry>& entries, std::optional<Millis> in_force_from) {
  // One load per update time, in the order read (so each record keeps its own).
  for (size_t i = 0; i < entries.size();) {
    size_t j = i;
    std::vector<fb::ReferenceRecordUnion> records;
    for (; j < entries.size() && entries[j].at_ms == entries[i].at_ms; ++j) records.push_back(entries[j].record);
    ReferenceLoadStats stats;
    const Millis from = in_force_from ? *in_force_from : Millis{std::max<int64_t>(entries[i].at_ms, 1)};
    if (Status s = engine_.load_reference(records, &stats, Millis{entries[i].at_ms}, from); !s) return s;
    loaded_.fetch_add(stats.added + stats.updated);
    i = j;
  }
  return Status::ok();
}

void ReferenceFollower::take(const rd_kafka_message_t* m) {
  next_offset_ = std::max(next_offset_, m->offset + 1);
  const std::string_view key(m->key ? static_cast<const char*>(m->key) : "", m->key_len);
  LoadMark mark;
  if (decode_load_mark(key, std::string_view(static_cast<const char*>(m->payload), m->len), &mark)) {
    if (Status s = apply_mark(mark); !s) {
      spdlog::error("reference: the load of {} ms not applied: {}", mark.at_ms, s.to_string());
    }
    return;
  }
  if (is_mark_key(key)) {
    spdlog::error("{}@{}: a load mark that does not decode; skipped", kReferenceTopic, m->offset);
    return;
  }
  std::string record_key;
  ReferenceEntry entry;
  if (decode(m, &record_key, &entry)) staged_.push_back(std::move(entry));
}

Status ReferenceFollower::apply_mark(const LoadMark& mark) {
  marks_.fetch_add(1);
  if (mark.in_force_ms < wall_clock_now().value - kHistoryMs && !old_applied_) {
    // Beyond every command still to decide: folded into the first era.
    for (ReferenceEntry& e : staged_) old_[Reference::record_key(e.record)] = std::move(e);
    staged_.clear();
    return Status::ok();
  }
  if (Status s = apply_unmarked(-1); !s) return s;  // the folded history first, in force for every time
  std::vector<ReferenceEntry> entries = std::move(staged_);
  staged_.clear();
  // The first data a store gets is in force for every time: nothing was
  // decided before it (commands stamped earlier find it too).
  const ReferencePtr now = engine_.reference();
  const bool first = now->affiliates.empty() && now->plans.empty() && now->practices.empty();
  return load(entries, first ? Millis{0} : Millis{std::max<int64_t>(mark.in_force_ms, 1)});
}

// The folded history (once), then staged records older than older_than_ms
// (an `autoriza load` from before marks) in force from their own stamps.
Status ReferenceFollower::apply_unmarked(int64_t older_than_ms) {
  if (!old_applied_) {
    old_applied_ = true;
    std::vector<ReferenceEntry> entries;
    for (auto& [key, entry] : old_) entries.push_back(std::move(entry));
    old_.clear();
    // Plans before the affiliates that name them, and so on: the loader's order.
    std::stable_sort(entries.begin(), entries.end(),
                     [](const ReferenceEntry& a, const ReferenceEntry& b) { return a.at_ms < b.at_ms; });
    if (Status s = load(entries, Millis{0}); !s) return s;
  }
  if (older_than_ms < 0 || staged_.empty() || staged_.back().written_ms >= older_than_ms) return Status::ok();
  spdlog::warn("reference: {} records without a load mark (an older `autoriza load`), in force from their load time",
               staged_.size());
  std::vector<ReferenceEntry> entries = std::move(staged_);
  staged_.clear();
  return load(entries, std::nullopt);  // each stamp from its own time
}

void ReferenceFollower::note_caught_up() {
  const int64_t asked = wall_clock_now().value;
  int64_t low = 0, high = 0;
  if (!watermarks(consumer_.get(), kReferenceTopic, 0, &low, &high, std::chrono::milliseconds(2'000))) return;
  if (next_offset_ >= high) caught_up_ms_ = asked;  // everything written before we asked is read
}

bool ReferenceFollower::ready_for(Millis t) const {
  const int64_t needed = std::min(t.value, wall_clock_now().value) - settle_ms_ + 1'000;
  return caught_up_ms_.load() >= needed;
}

Status ReferenceFollower::start() {
  Status s;
  consumer_ = reference_reader(brokers_, &s);
  if (!consumer_) return s;
  const int64_t asked = wall_clock_now().value;
  // In offset order: records staged, marks applied.
  int64_t next = 0;
  if (s = visit_reference_topic(consumer_.get(), [this](const rd_kafka_message_t* m) { take(m); }, &next); !s) return s;
  next_offset_ = std::max(next_offset_, next);
  if (s = apply_unmarked(wall_clock_now().value - kUnmarkedMs); !s) return s;
  caught_up_ms_ = asked;
  spdlog::info("reference: {} read to offset {} ({} load marks), {} new or changed in the store", kReferenceTopic,
               next_offset_, marks_.load(), loaded_.load());
  if (s = assign_one(consumer_.get(), kReferenceTopic, 0, next_offset_); !s) return s;
  thread_ = named_thread("az-reference", [this] { run(); });
  return Status::ok();
}

void ReferenceFollower::run() {
  MessageBatch batch;
  auto asked = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    const size_t n = batch.poll(consumer_.get(), std::chrono::milliseconds(100));
    const uint64_t loaded_before = loaded_.load();
    for (size_t i = 0; i < n; ++i) {
      if (!batch[i]->err) take(batch[i]);
    }
    batch.clear();
    if (loaded_.load() != loaded_before) {
      spdlog::info("reference: {} updates put in force from {}", loaded_.load() - loaded_before, kReferenceTopic);
    }
    if (const auto now = std::chrono::steady_clock::now(); now - asked >= std::chrono::milliseconds(500)) {
      asked = now;
      note_caught_up();
      if (Status s = apply_unmarked(wall_clock_now().value - kUnmarkedMs); !s) {
        spdlog::error("reference: records without a load mark not loaded: {}", s.to_string());
      }
    }
  }
}

}  // namespace autoriza::kafka
