#include "adapters/kafka/gateway.h"

#include <spdlog/spdlog.h>

#include <random>

#include "adapters/kafka/messages.h"
#include "engine/core/command_fields.h"
#include "engine/core/state.h"
#include "engine/core/validator.h"  // engine: request_id_of
#include "engine/partition.h"       // command_digest

namespace autoriza::kafka {

namespace {

int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

KafkaGateway::KafkaGateway(Engine& engine, GatewayOptions options)
    : engine_(engine),
      options_(std::move(options)),
      stalled_until_(new std::atomic<int64_t>[engine.options().partitions]) {
  for (PartitionId p = 0; p < engine_.options().partitions; ++p) stalled_until_[p] = 0;
  std::random_device rd;
  epoch_ = uint64_t(rd()) & 0xffffffffu;
}

KafkaGateway::~KafkaGateway() {
  engine_.set_command_sink([](PartitionId, Submission s) {
    s.done({Status::unavailable("the Kafka gateway has stopped"), nullptr, false});
  });
  claims_.reset();  // claims still waiting answer 503 through finish()
  stop_ = true;
  for (std::thread* t : {&replies_, &timer_, &poller_}) {
    if (t->joinable()) t->join();
  }
  std::unordered_map<uint64_t, Pending> left;
  {
    std::lock_guard lock(mutex_);
    left.swap(pending_);
  }
  for (auto& [c, p] : left) p.done({Status::unavailable("the gateway is stopping; retry with the same request id"), nullptr, false});
  if (producer_) rd_kafka_flush(producer_.get(), 2'000);
}

Status KafkaGateway::start() {
  Status s;
  producer_ = make_producer(options_.brokers, options_.producer, &KafkaGateway::on_delivery, this, &s);
  if (!producer_) return s;
  consumer_ = make_consumer(options_.brokers, "", options_.consumer, nullptr, nullptr, &s);
  if (!consumer_) return s;
  int32_t count = 0;
  if (s = partition_count(consumer_.get(), kRepliesTopic, &count); !s) return s;
  int32_t commands = 0;
  if (s = partition_count(consumer_.get(), kCommandsTopic, &commands); !s) return s;
  if (commands != int32_t(engine_.options().partitions)) {
    return Status::invalid(std::string(kCommandsTopic) + " has " + std::to_string(commands) +
                               " partitions but --partitions is " + std::to_string(engine_.options().partitions),
                           "--partitions");
  }
  // One partition: every use of a request id reaches the one validator,
  // whose index decides as the embedded engine's; nothing to claim (and no
  // round trip per command). Partitions are never added in place (ops/kafka.md).
  if (commands > 1) {
    claims_ = std::make_unique<RequestClaims>(
        ClaimsOptions{options_.brokers, options_.producer, options_.consumer, options_.claims_keys_max});
    if (s = claims_->start(); !s) return s;
  }
  reply_partition_ = int32_t(options_.instance % uint16_t(count));
  int64_t low = 0, high = 0;
  if (s = watermarks(consumer_.get(), kRepliesTopic, reply_partition_, &low, &high); !s) return s;
  if (s = assign_one(consumer_.get(), kRepliesTopic, reply_partition_, high); !s) return s;
  replies_ = named_thread("az-gw-replies", [this] { run_replies(); });
  timer_ = named_thread("az-gw-timer", [this] { run_timeouts(); });
  poller_ = named_thread("az-gw-poll", [this] {
    while (!stop_.load()) rd_kafka_poll(producer_.get(), 50);
  });
  engine_.set_command_sink([this](PartitionId p, Submission sub) { submit(p, std::move(sub)); });
  return Status::ok();
}

void KafkaGateway::submit(PartitionId partition, Submission s) {
  if (steady_ms() < stalled_until_[partition].load()) {
    // Nothing is sent: the command is not decided, a retry is safe.
    refused_stalled_.fetch_add(1);
    return s.done({Status::unavailable("partition " + std::to_string(partition) +
                                       " cannot record events now (Kafka does not acknowledge them); the command "
                                       "was not sent; retry later with the same request_id"),
                   nullptr, false});
  }
  const uint64_t correlation = (epoch_ << 32) | (counter_.fetch_add(1) & 0xffffffffu);
  std::string request_id = request_id_of(s.command);
  std::string key = credential_of(s.command);
  if (key.empty()) key = request_id;
  const std::string scope = idempotency_scope(s.command);
  const bool to_claim = claims_ && !scope.empty();  // one partition, or no idempotency key: nothing to claim
  const Digest digest = to_claim ? command_digest(s.command) : Digest{};
  CommandMessage m;
  m.correlation = correlation;
  m.reply_partition = uint16_t(reply_partition_);
  m.now = s.now;
  m.channel = s.channel;
  m.command = std::move(s.command);
  std::string value = encode_command(m);
  {
    std::lock_guard lock(mutex_);
    if (pending_.size() >= options_.pending_max) {
      return s.done({Status::unavailable("too many requests awaiting an answer; retry later"), nullptr, false});
    }
    const int64_t deadline = steady_ms() + options_.timeout_ms;
    pending_.emplace(correlation, Pending{std::move(s.done), deadline, request_id});
    deadlines_.emplace_back(deadline, correlation);
  }
  if (!to_claim) return send(partition, correlation, key, value);
  // The request id is claimed first (claims.h): a reuse with another body
  // for another partition is refused here, whatever the mirror's lag.
  claims_->claim(idempotency_key(scope, request_id), digest, partition, request_id,
                 [this, partition, correlation, key = std::move(key), value = std::move(value)](Status claimed) {
                   if (!claimed) return finish(correlation, {std::move(claimed), nullptr, false});
                   send(partition, correlation, key, value);
                 });
}

void KafkaGateway::send(PartitionId partition, uint64_t correlation, const std::string& key, const std::string& value) {
  rd_kafka_resp_err_t err = rd_kafka_producev(
      producer_.get(), RD_KAFKA_V_TOPIC(kCommandsTopic), RD_KAFKA_V_PARTITION(int32_t(partition)),
      RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(reinterpret_cast<void*>(correlation)), RD_KAFKA_V_END);
  if (err) finish(correlation, {status_of(err, "produce to autoriza.commands"), nullptr, false});
}

void KafkaGateway::on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (!m->err) return;  // the answer comes as a reply
  auto* self = static_cast<KafkaGateway*>(opaque);
  // Not written (or unknown): the client retries with the same request id.
  self->finish(uint64_t(reinterpret_cast<uintptr_t>(m->_private)),
               {Status::unavailable(std::string("command not delivered to Kafka: ") + rd_kafka_err2str(m->err) +
                                    "; retry with the same request id"),
                nullptr, false});
}

void KafkaGateway::finish(uint64_t correlation, Outcome outcome) {
  Callback done;
  {
    std::lock_guard lock(mutex_);
    auto it = pending_.find(correlation);
    if (it == pending_.end()) return;  // answered already (a duplicate reply) or timed out
    done = std::move(it->second.done);
    pending_.erase(it);
  }
  done(std::move(outcome));
}

void KafkaGateway::run_replies() {
  MessageBatch batch;
  while (!stop_.load()) {
    const size_t n = batch.poll(consumer_.get(), std::chrono::milliseconds(50));
    for (size_t i = 0; i < n; ++i) {
      const rd_kafka_message_t* m = batch[i];
      if (m->err) {
        if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) spdlog::warn("gateway replies: {}", rd_kafka_message_errstr(m));
        continue;
      }
      const std::string_view value(static_cast<const char*>(m->payload), m->len);
      if (PartitionWord word; decode_partition_word(value, &word)) {
        heard(word);
        continue;
      }
      const Status framing = visit_replies(value, [this](std::string_view bytes) {
            ReplyMessage r;
            if (Status s = decode_reply(bytes, &r); !s) {
              spdlog::error("gateway replies: skipping a reply: {}", s.to_string());
              return;
            }
            finish(r.correlation, std::move(r.outcome));
          });
      if (!framing) spdlog::error("gateway replies: {} (the rest of that message is skipped)", framing.to_string());
    }
    batch.clear();
  }
}

void KafkaGateway::heard(const PartitionWord& word) {
  if (word.partition >= engine_.options().partitions) return;
  // A word lasts 3 s: a validator that stopped saying it (it died, or its
  // replies are lost) does not keep its partition refused.
  stalled_until_[word.partition] = word.stalled ? steady_ms() + 3'000 : 0;
}

void KafkaGateway::run_timeouts() {
  while (!stop_.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const int64_t now = steady_ms();
    std::vector<Pending> expired;
    {
      std::lock_guard lock(mutex_);
      while (!deadlines_.empty() && deadlines_.front().first <= now) {
        auto it = pending_.find(deadlines_.front().second);
        deadlines_.pop_front();
        if (it == pending_.end()) continue;
        expired.push_back(std::move(it->second));
        pending_.erase(it);
      }
    }
    for (Pending& p : expired) {
      timeouts_.fetch_add(1);
      p.done({Status::timeout("no answer within " + std::to_string(options_.timeout_ms) +
                                  " ms; retry with the same request_id to get the original answer",
                              p.request_id),
              nullptr, false});
    }
  }
}

}  // namespace autoriza::kafka
