#pragma once
// Thin RAII over librdkafka's C API, shared by the gateway, the validator
// workers and the event followers: configuration, handles, watermarks and
// the classification of errors.
//
// Topics (ops/kafka.md has the kafka-topics commands and configs):
//   autoriza.commands  partition p = engine partition p; key = the routing key
//                      (credential, or the id that names the partition)
//   autoriza.events    same partitioning; value = the packed fb::Event as the
//                      validator journaled it (partition, sequence and the
//                      offset of the command it answers are inside)
//   autoriza.replies   one partition per gateway instance; see messages.h
//   autoriza.reference compacted, one partition; key = the record's key (see
//                      reference_topic.h)
#include <librdkafka/rdkafka.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "engine/core/status.h"

namespace autoriza::kafka {

// The topics' names: "autoriza." + commands, events, replies, reference,
// claims (claims.h), unless another prefix is set (AUTORIZA_KAFKA_TOPIC_PREFIX:
// several clusters' topics on one Kafka, or a test run's own topics on a real
// cluster). Constant-initialised; set_topic_prefix() repoints them, and runs
// before any Kafka handle is made (the binary's main, a test's set-up).
inline const char* kCommandsTopic = "autoriza.commands";
inline const char* kEventsTopic = "autoriza.events";
inline const char* kRepliesTopic = "autoriza.replies";
inline const char* kReferenceTopic = "autoriza.reference";
inline const char* kClaimsTopic = "autoriza.claims";
inline constexpr const char* kTopicPrefixEnv = "AUTORIZA_KAFKA_TOPIC_PREFIX";
// prefix: letters, digits, '.', '_' and '-' (Kafka's topic characters), at
// most 200 bytes; kInvalidRequest otherwise (names unchanged).
Status set_topic_prefix(std::string_view prefix);
// set_topic_prefix(getenv(kTopicPrefixEnv)) when it is set.
Status topic_prefix_from_env();
const std::string& topic_prefix();

// What to do about an error (STYLE: the three kinds of Kafka error).
enum class ErrorClass {
  kRetriable,  // librdkafka retries by itself (timeouts, leader moves): wait
  kRewind,     // our position is no longer durable downstream: seek back to
               // the last durable position and re-process (e.g. an event whose
               // produce failed after the local commit)
  kFatal,      // the idempotent producer is fenced / broken, or bytes do not
               // decode: stop the worker, exit non-zero; a restart rebuilds
};
ErrorClass classify(rd_kafka_resp_err_t err, bool is_fatal_flag = false);
const char* error_class_name(ErrorClass c);

struct HandleDeleter {
  void operator()(rd_kafka_t* rk) const;
};
using Handle = std::unique_ptr<rd_kafka_t, HandleDeleter>;

// Properties on top of librdkafka defaults; bootstrap.servers is added.
using Properties = std::map<std::string, std::string>;

// A producer that is idempotent with acks=all (the only kind we make):
// dr_msg_cb receives delivery reports from poll(); opaque is the handle's.
Handle make_producer(const std::string& brokers, const Properties& extra,
                     void (*dr_msg_cb)(rd_kafka_t*, const rd_kafka_message_t*, void*), void* opaque, Status* status);
// A consumer; group.id empty: manual assignment only (no group).
Handle make_consumer(const std::string& brokers, const std::string& group, const Properties& extra,
                     void (*rebalance_cb)(rd_kafka_t*, rd_kafka_resp_err_t, rd_kafka_topic_partition_list_t*, void*),
                     void* opaque, Status* status);

// [low, high) offsets of a partition; high is the next offset to be written.
Status watermarks(rd_kafka_t* rk, const char* topic, int32_t partition, int64_t* low, int64_t* high,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000));
// Number of partitions of a topic (metadata).
Status partition_count(rd_kafka_t* rk, const char* topic, int32_t* count,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000));

Status status_of(rd_kafka_resp_err_t err, const std::string& what);

// Replaces a consumer's assignment with one partition, read from offset.
Status assign_one(rd_kafka_t* consumer, const char* topic, int32_t partition, int64_t offset);

// A thread named for top and perf (at most 15 characters) running body.
template <typename Body>
std::thread named_thread(const char* name, Body body) {
  return std::thread([name, body = std::move(body)]() mutable {
    pthread_setname_np(pthread_self(), name);
    body();
  });
}

// Messages taken from a consumer in one go, destroyed together. Taking many
// messages per call is what keeps librdkafka's per-message cost low (one
// queue lock and one wake-up per batch instead of per message).
class MessageBatch {
 public:
  static constexpr size_t kMessagesMax = 1024;
  MessageBatch() = default;
  MessageBatch(const MessageBatch&) = delete;
  MessageBatch& operator=(const MessageBatch&) = delete;
  ~MessageBatch() { clear(); }
  // Waits up to timeout for a first message, then takes without waiting
  // whatever else is queued, at most kMessagesMax in all (serves the
  // consumer's callbacks too, e.g. rebalances). Returns how many it holds.
  size_t poll(rd_kafka_t* consumer, std::chrono::milliseconds timeout);
  size_t size() const { return size_; }
  const rd_kafka_message_t* operator[](size_t i) const { return messages_[i]; }
  void clear();

 private:
  rd_kafka_message_t* messages_[kMessagesMax] = {};
  size_t size_ = 0;
};

}  // namespace autoriza::kafka
