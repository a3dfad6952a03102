#include "adapters/kafka/kafka_client.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include <cstring>

namespace autoriza::kafka {

ErrorClass classify(rd_kafka_resp_err_t err, bool is_fatal_flag) {
  if (is_fatal_flag) return ErrorClass::kFatal;
  switch (err) {
    case RD_KAFKA_RESP_ERR__FATAL:
    case RD_KAFKA_RESP_ERR_PRODUCER_FENCED:
    case RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH:
    case RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER:
    case RD_KAFKA_RESP_ERR_UNKNOWN_PRODUCER_ID:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR__BAD_MSG:
      return ErrorClass::kFatal;
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      // A delivery that failed for good after the local commit: re-produce
      // from the local journal (the worker rewinds the partition).
      return ErrorClass::kRewind;
    default:
      return ErrorClass::kRetriable;
  }
}

const char* error_class_name(ErrorClass c) {
  switch (c) {
    case ErrorClass::kRetriable: return "retriable";
    case ErrorClass::kRewind: return "rewind";
    case ErrorClass::kFatal: return "fatal";
  }
  return "?";
}

void HandleDeleter::operator()(rd_kafka_t* rk) const {
  if (!rk) return;
  if (rd_kafka_type(rk) == RD_KAFKA_CONSUMER) rd_kafka_consumer_close(rk);
  rd_kafka_destroy(rk);
}

Status status_of(rd_kafka_resp_err_t err, const std::string& what) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return Status::ok();
  return Status::unavailable(what + ": " + rd_kafka_err2str(err) + " (" + error_class_name(classify(err)) + ")");
}

namespace {

struct TopicNames {
  std::string prefix = "autoriza.";
  std::string commands, events, replies, reference, claims;
};

TopicNames& topic_names() {
  static TopicNames names;
  return names;
}

}  // namespace

Status set_topic_prefix(std::string_view prefix) {
  const bool valid = !prefix.empty() && prefix.size() <= 200 &&
                     std::all_of(prefix.begin(), prefix.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
                     });
  if (!valid) {
    return Status::invalid("a topic prefix is 1 to 200 letters, digits, '.', '_' or '-'", kTopicPrefixEnv);
  }
  TopicNames& n = topic_names();
  n.prefix = prefix;
  n.commands = n.prefix + "commands";
  n.events = n.prefix + "events";
  n.replies = n.prefix + "replies";
  n.reference = n.prefix + "reference";
  n.claims = n.prefix + "claims";
  kCommandsTopic = n.commands.c_str();
  kEventsTopic = n.events.c_str();
  kRepliesTopic = n.replies.c_str();
  kReferenceTopic = n.reference.c_str();
  kClaimsTopic = n.claims.c_str();
  return Status::ok();
}

Status topic_prefix_from_env() {
  const char* prefix = std::getenv(kTopicPrefixEnv);
  return prefix ? set_topic_prefix(prefix) : Status::ok();
}

const std::string& topic_prefix() { return topic_names().prefix; }

Status assign_one(rd_kafka_t* consumer, const char* topic, int32_t partition, int64_t offset) {
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(list, topic, partition)->offset = offset;
  const rd_kafka_resp_err_t err = rd_kafka_assign(consumer, list);
  rd_kafka_topic_partition_list_destroy(list);
  return status_of(err, std::string("assign ") + topic + "[" + std::to_string(partition) + "]");
}

namespace {

// librdkafka's own log lines go through spdlog (the process's format: JSON
// lines by default), never raw to stderr. Levels are syslog's.
void log_line(const rd_kafka_t* rk, int level, const char* facility, const char* text) {
  // Said once per producer and known (ops/kafka.md): not worth a warning.
  if (std::strcmp(facility, "CONFWARN") == 0 && std::strstr(text, "enable.gapless.guarantee") != nullptr) level = 7;
  const spdlog::level::level_enum to = level <= 2   ? spdlog::level::critical
                                       : level == 3 ? spdlog::level::err
                                       : level == 4 ? spdlog::level::warn
                                       : level <= 6 ? spdlog::level::info
                                                    : spdlog::level::debug;
  spdlog::log(to, "kafka {} {}: {}", rd_kafka_name(rk), facility, text);
}

rd_kafka_conf_t* make_conf(const std::string& brokers, const Properties& props, Status* status) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  rd_kafka_conf_set_log_cb(conf, &log_line);
  char err[512];
  auto set = [&](const std::string& k, const std::string& v) {
    if (rd_kafka_conf_set(conf, k.c_str(), v.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
      *status = Status::invalid(std::string("kafka setting ") + k + "=" + v + ": " + err, k);
      return false;
    }
    return true;
  };
  bool ok = set("bootstrap.servers", brokers);
  for (const auto& [k, v] : props) ok = ok && set(k, v);
  if (!ok) {
    rd_kafka_conf_destroy(conf);
    return nullptr;
  }
  return conf;
}

Handle finish(rd_kafka_type_t type, rd_kafka_conf_t* conf, Status* status) {
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);  // owns conf on success
  if (!rk) {
    rd_kafka_conf_destroy(conf);
    *status = Status::invalid(std::string("cannot create a kafka client: ") + err);
  }
  return Handle(rk);
}

}  // namespace

Handle make_producer(const std::string& brokers, const Properties& extra,
                     void (*dr_msg_cb)(rd_kafka_t*, const rd_kafka_message_t*, void*), void* opaque, Status* status) {
  Properties props = {{"enable.idempotence", "true"}, {"acks", "all"}, {"linger.ms", "1"},
                      {"message.timeout.ms", "30000"}, {"queue.buffering.max.messages", "1000000"}};
  for (const auto& [k, v] : extra) props[k] = v;
  rd_kafka_conf_t* conf = make_conf(brokers, props, status);
  if (!conf) return nullptr;
  if (dr_msg_cb) rd_kafka_conf_set_dr_msg_cb(conf, dr_msg_cb);
  rd_kafka_conf_set_opaque(conf, opaque);
  return finish(RD_KAFKA_PRODUCER, conf, status);
}

Handle make_consumer(const std::string& brokers, const std::string& group, const Properties& extra,
                     void (*rebalance_cb)(rd_kafka_t*, rd_kafka_resp_err_t, rd_kafka_topic_partition_list_t*, void*),
                     void* opaque, Status* status) {
  Properties props = {{"enable.auto.commit", "false"}, {"enable.auto.offset.store", "false"},
                      {"auto.offset.reset", "earliest"}, {"enable.partition.eof", "false"},
                      {"fetch.wait.max.ms", "5"}, {"group.id", group.empty() ? "autoriza-manual" : group}};
  for (const auto& [k, v] : extra) props[k] = v;
  rd_kafka_conf_t* conf = make_conf(brokers, props, status);
  if (!conf) return nullptr;
  if (rebalance_cb) rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
  rd_kafka_conf_set_opaque(conf, opaque);
  Handle h = finish(RD_KAFKA_CONSUMER, conf, status);
  if (h) rd_kafka_poll_set_consumer(h.get());
  return h;
}

Status watermarks(rd_kafka_t* rk, const char* topic, int32_t partition, int64_t* low, int64_t* high,
                  std::chrono::milliseconds timeout) {
  return status_of(rd_kafka_query_watermark_offsets(rk, topic, partition, low, high, int(timeout.count())),
                   std::string("watermarks of ") + topic + "[" + std::to_string(partition) + "]");
}

Status partition_count(rd_kafka_t* rk, const char* topic, int32_t* count, std::chrono::milliseconds timeout) {
  rd_kafka_topic_t* t = rd_kafka_topic_new(rk, topic, nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, t, &md, int(timeout.count()));
  rd_kafka_topic_destroy(t);
  if (err) return status_of(err, std::string("metadata of ") + topic);
  Status s = Status::ok();
  if (md->topic_cnt != 1 || md->topics[0].err) {
    s = Status::unavailable(std::string("topic ") + topic + " is unknown to the cluster");
  } else {
    *count = md->topics[0].partition_cnt;
  }
  rd_kafka_metadata_destroy(md);
  return s;
}

size_t MessageBatch::poll(rd_kafka_t* consumer, std::chrono::milliseconds timeout) {
  clear();
  rd_kafka_message_t* first = rd_kafka_consumer_poll(consumer, int(timeout.count()));
  if (!first) return 0;
  messages_[0] = first;
  size_ = 1;
  rd_kafka_queue_t* queue = rd_kafka_queue_get_consumer(consumer);
  if (!queue) return size_;
  // timeout 0: what is queued now, never waiting for a fuller batch.
  const ssize_t more = rd_kafka_consume_batch_queue(queue, 0, messages_ + 1, kMessagesMax - 1);
  rd_kafka_queue_destroy(queue);
  if (more > 0) size_ += size_t(more);
  AUTORIZA_CHECK(size_ <= kMessagesMax);
  return size_;
}

void MessageBatch::clear() {
  for (size_t i = 0; i < size_; ++i) rd_kafka_message_destroy(messages_[i]);
  size_ = 0;
}

}  // namespace autoriza::kafka
