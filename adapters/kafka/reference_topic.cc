#include "adapters/kafka/reference_topic.h"

#include <spdlog/spdlog.h>

#include "engine/state_store.h"

namespace autoriza::kafka {

namespace {

// Decodes one message of autoriza.reference; false (logged) when it does not.
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
  return true;
}

}  // namespace

Status read_reference_topic(rd_kafka_t* reader, std::map<std::string, ReferenceEntry>* records, int64_t* next_offset,
                            std::chrono::milliseconds timeout) {
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
      return Status::unavailable("autoriza.reference was not read to its end (offset " + std::to_string(high) +
                                 ") in time; read up to " + std::to_string(*next_offset));
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
      std::string key;
      ReferenceEntry entry;
      if (decode(m, &key, &entry)) (*records)[key] = std::move(entry);
    }
    batch.clear();
  }
  rd_kafka_assign(reader, nullptr);
  return Status::ok();
}

Reference reference_of(const std::map<std::string, ReferenceEntry>& records) {
  Reference ref;
  for (const auto& [key, entry] : records) ref.upsert(entry.record, entry.at_ms);
  return ref;
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
                         ReferenceLoadStats* stats, const Reference* published) {
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
  return Status::ok();
}

ReferenceFollower::ReferenceFollower(Engine& engine, std::string brokers) : engine_(engine), brokers_(std::move(brokers)) {}

ReferenceFollower::~ReferenceFollower() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

Status ReferenceFollower::load(const std::vector<ReferenceEntry>& entries) {
  // One load per update time, in the order read (so each record keeps its own).
  for (size_t i = 0; i < entries.size();) {
    size_t j = i;
    std::vector<fb::ReferenceRecordUnion> records;
    for (; j < entries.size() && entries[j].at_ms == entries[i].at_ms; ++j) records.push_back(entries[j].record);
    ReferenceLoadStats stats;
    if (Status s = engine_.load_reference(records, &stats, Millis{entries[i].at_ms}); !s) return s;
    loaded_.fetch_add(stats.added + stats.updated);
    i = j;
  }
  return Status::ok();
}

Status ReferenceFollower::start() {
  Status s;
  consumer_ = reference_reader(brokers_, &s);
  if (!consumer_) return s;
  std::map<std::string, ReferenceEntry> records;
  int64_t next = 0;
  if (s = read_reference_topic(consumer_.get(), &records, &next); !s) return s;
  std::vector<ReferenceEntry> entries;
  entries.reserve(records.size());
  for (auto& [key, entry] : records) entries.push_back(std::move(entry));
  // Plans before the affiliates that name them, and so on: the loader's order.
  std::stable_sort(entries.begin(), entries.end(),
                   [](const ReferenceEntry& a, const ReferenceEntry& b) { return a.at_ms < b.at_ms; });
  if (s = load(entries); !s) return s;
  spdlog::info("reference: {} records read from {} (to offset {}), {} new or changed in the store", records.size(),
               kReferenceTopic, next, loaded_.load());
  if (s = assign_one(consumer_.get(), kReferenceTopic, 0, next); !s) return s;
  thread_ = named_thread("az-reference", [this] { run(); });
  return Status::ok();
}

void ReferenceFollower::run() {
  MessageBatch batch;
  while (!stop_.load()) {
    const size_t n = batch.poll(consumer_.get(), std::chrono::milliseconds(200));
    std::vector<ReferenceEntry> entries;
    for (size_t i = 0; i < n; ++i) {
      std::string key;
      ReferenceEntry entry;
      if (!batch[i]->err && decode(batch[i], &key, &entry)) entries.push_back(std::move(entry));
    }
    batch.clear();
    if (entries.empty()) continue;
    if (Status s = load(entries); !s) {
      spdlog::error("reference: {} updates from {} not loaded: {}", entries.size(), kReferenceTopic, s.to_string());
    } else {
      spdlog::info("reference: {} updates loaded from {}", entries.size(), kReferenceTopic);
    }
  }
}

}  // namespace autoriza::kafka
