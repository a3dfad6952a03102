#include "adapters/kafka/claims.h"

#include <spdlog/spdlog.h>

#include <cstring>

#include "engine/core/status.h"

namespace autoriza::kafka {

namespace {

constexpr char kClaimMagic[4] = {'A', 'Z', 'K', '1'};
constexpr size_t kClaimBytes = 4 + 16 + 2;

std::string encode_claim(const Digest& digest, PartitionId target) {
  std::string value(kClaimBytes, '\0');
  std::memcpy(value.data(), kClaimMagic, 4);
  std::memcpy(value.data() + 4, digest.data(), digest.size());
  value[20] = char(target & 0xff);
  value[21] = char((target >> 8) & 0xff);
  return value;
}

bool decode_claim(std::string_view value, Digest* digest, PartitionId* target) {
  if (value.size() != kClaimBytes || std::memcmp(value.data(), kClaimMagic, 4) != 0) return false;
  std::memcpy(digest->data(), value.data() + 4, digest->size());
  *target = PartitionId(uint8_t(value[20]) | (uint16_t(uint8_t(value[21])) << 8));
  return true;
}

}  // namespace

RequestClaims::RequestClaims(ClaimsOptions options) : options_(std::move(options)) {}

RequestClaims::~RequestClaims() {
  stop_ = true;
  if (reader_.joinable()) reader_.join();
  if (poller_.joinable()) poller_.join();
  // Claims still in the producer's queue: delivered or purged now; their
  // reports (served by the poll) either decide at once or join the waiters.
  if (producer_) {
    rd_kafka_flush(producer_.get(), 2'000);
    rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(producer_.get(), 0);
  }
  std::vector<Waiter> left;
  {
    std::lock_guard lock(mutex_);
    for (Partition& p : read_) {
      for (auto& [offset, w] : p.waiting) left.push_back(std::move(w));
      p.waiting.clear();
    }
  }
  for (Waiter& w : left) w.done(Status::unavailable("the gateway is stopping; retry with the same request id"));
}

Status RequestClaims::start() {
  Status s;
  producer_ = make_producer(options_.brokers, options_.producer, &RequestClaims::on_delivery, this, &s);
  if (!producer_) return s;
  consumer_ = make_consumer(options_.brokers, "", options_.consumer, nullptr, nullptr, &s);
  if (!consumer_) return s;
  if (s = partition_count(consumer_.get(), kClaimsTopic, &partitions_); !s) {
    return Status::unavailable(std::string(kClaimsTopic) + " is needed by every gateway (create it: " +
                               "ops/kafka-cluster/create-topics.sh): " + s.to_string());
  }
  AUTORIZA_CHECK(partitions_ > 0);
  read_.resize(size_t(partitions_));
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions_);
  int64_t backlog = 0;
  for (int32_t p = 0; p < partitions_; ++p) {
    int64_t low = 0, high = 0;
    if (s = watermarks(consumer_.get(), kClaimsTopic, p, &low, &high); !s) {
      rd_kafka_topic_partition_list_destroy(list);
      return s;
    }
    read_[size_t(p)].read_upto = low;
    backlog += high - low;
    rd_kafka_topic_partition_list_add(list, kClaimsTopic, p)->offset = low;
  }
  const rd_kafka_resp_err_t err = rd_kafka_assign(consumer_.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err) return status_of(err, std::string("assign ") + kClaimsTopic);
  spdlog::info("gateway: reading {} request-id claims of {} ({} partitions)", backlog, kClaimsTopic, partitions_);
  reader_ = named_thread("az-gw-claims", [this] { run_reader(); });
  poller_ = named_thread("az-gw-claimp", [this] {
    while (!stop_.load()) rd_kafka_poll(producer_.get(), 50);
  });
  return Status::ok();
}

void RequestClaims::claim(std::string key, const Digest& digest, PartitionId target, std::string_view request_id,
                          Done done) {
  auto waiter = std::make_unique<Waiter>(Waiter{std::move(key), digest, target, std::string(request_id), std::move(done)});
  Status known;
  bool decided = false;
  {
    std::lock_guard lock(mutex_);
    // An entry is the key's first claim (the reader inserts in log order),
    // so it decides without a new claim.
    if (first_.contains(waiter->key)) {
      known = verdict(*waiter);
      decided = true;
    }
  }
  if (decided) {
    if (!known) refused_.fetch_add(1);
    return waiter->done(std::move(known));
  }
  const int32_t partition = int32_t(partition_of_credential(waiter->key, PartitionId(partitions_)));
  const std::string value = encode_claim(digest, target);
  const std::string claim_key = waiter->key;
  Waiter* raw = waiter.release();  // owned by the delivery report now
  const rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_.get(), RD_KAFKA_V_TOPIC(kClaimsTopic), RD_KAFKA_V_PARTITION(partition),
      RD_KAFKA_V_KEY(claim_key.data(), claim_key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(raw), RD_KAFKA_V_END);
  if (err) {
    std::unique_ptr<Waiter> back(raw);
    return back->done(status_of(err, std::string("claim the request id in ") + kClaimsTopic));
  }
  sent_.fetch_add(1);
}

void RequestClaims::on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* self = static_cast<RequestClaims*>(opaque);
  AUTORIZA_CHECK(m->_private != nullptr);
  self->delivered(std::unique_ptr<Waiter>(static_cast<Waiter*>(m->_private)), m->err, m->partition, m->offset);
}

void RequestClaims::delivered(std::unique_ptr<Waiter> waiter, rd_kafka_resp_err_t err, int32_t partition,
                              int64_t offset) {
  if (err) {
    return waiter->done(Status::unavailable(std::string("the request id could not be claimed in ") + kClaimsTopic +
                                            ": " + rd_kafka_err2str(err) + "; retry with the same request id"));
  }
  AUTORIZA_CHECK(partition >= 0 && partition < partitions_ && offset >= 0);
  Status outcome;
  {
    std::lock_guard lock(mutex_);
    Partition& p = read_[size_t(partition)];
    if (p.read_upto <= offset) {
      p.waiting.emplace(offset, std::move(*waiter));  // decided when the reader passes it
      return;
    }
    outcome = verdict(*waiter);  // the reader already read our claim
  }
  if (!outcome) refused_.fetch_add(1);
  waiter->done(std::move(outcome));
}

Status RequestClaims::verdict(const Waiter& w) const {
  auto it = first_.find(w.key);
  // Forgotten (keys_max) since it was read: the validators' indexes decide.
  if (it == first_.end()) return Status::ok();
  if (it->second.digest == w.digest || it->second.target == w.target) return Status::ok();
  return reused_request_id(w.request_id);
}

void RequestClaims::remember(const std::string& key, const First& first) {
  if (first_.contains(key)) return;  // the first claim wins
  first_.emplace(key, first);
  order_.push_back(key);
  while (order_.size() > options_.keys_max) {
    first_.erase(order_.front());
    order_.pop_front();
  }
}

void RequestClaims::run_reader() {
  MessageBatch batch;
  while (!stop_.load()) {
    const size_t n = batch.poll(consumer_.get(), std::chrono::milliseconds(50));
    for (size_t i = 0; i < n; ++i) read(batch[i]);
    batch.clear();
  }
}

void RequestClaims::read(const rd_kafka_message_t* m) {
  if (m->err) {
    if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) spdlog::warn("gateway claims: {}", rd_kafka_message_errstr(m));
    return;
  }
  if (m->partition < 0 || m->partition >= partitions_) return;
  First first;
  const std::string key(m->key ? static_cast<const char*>(m->key) : "", m->key_len);
  const bool valid = decode_claim(std::string_view(static_cast<const char*>(m->payload), m->len), &first.digest,
                                  &first.target);
  if (!valid) spdlog::error("gateway claims: {}[{}]@{} does not decode; skipped", kClaimsTopic, m->partition, m->offset);
  std::vector<Waiter> ready;
  std::vector<Status> outcomes;
  {
    std::lock_guard lock(mutex_);
    if (valid && !key.empty()) remember(key, first);
    Partition& p = read_[size_t(m->partition)];
    p.read_upto = std::max(p.read_upto, m->offset + 1);
    while (!p.waiting.empty() && p.waiting.begin()->first <= m->offset) {
      outcomes.push_back(verdict(p.waiting.begin()->second));
      ready.push_back(std::move(p.waiting.begin()->second));
      p.waiting.erase(p.waiting.begin());
    }
  }
  for (size_t i = 0; i < ready.size(); ++i) {
    if (!outcomes[i]) refused_.fetch_add(1);
    ready[i].done(std::move(outcomes[i]));
  }
}

}  // namespace autoriza::kafka
