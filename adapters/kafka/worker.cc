#include "adapters/kafka/worker.h"

#include <spdlog/spdlog.h>

#include <condition_variable>

#include "adapters/kafka/events_cursor.h"
#include "adapters/kafka/messages.h"
#include "engine/records.h"
#include "engine/core/state.h"
#include "engine/state_store.h"

namespace autoriza::kafka {

// Per partition: events produced / acknowledged, and replies waiting for
// the acknowledgement of the event before them.
struct ValidatorWorker::Lane {
  std::mutex mutex;
  Sequence produced = 0, delivered = 0;
  // Where the local store may resume autoriza.events[p] (events_cursor.h),
  // advanced by deliveries at consecutive offsets with consecutive sequences
  // after the last catch-up (another writer's message in between, or a
  // sequence that failed and was re-produced later, stops it: the cursor never
  // steps over a message the store lacks), stored by the run loop every
  // second; stopped when the partition is revoked.
  TopicCursor cursor;
  bool cursor_dirty = false;
  std::deque<std::pair<Sequence, PendingReply>> waiting;  // (event sequence it needs acknowledged, reply)
  // Stalls (WorkerOptions::events_stall_ms): when the acknowledgements last
  // moved (or the first unacknowledged event was produced), whether the
  // partition is stalled, whether its commands are paused, when the
  // gateways were last told.
  int64_t progress_ms = 0;
  bool stalled = false, paused = false;
  int64_t told_ms = 0;
};

namespace {

int64_t steady_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

// What a delivery report is about (the message's opaque).
struct ValidatorWorker::Tag {
  enum Kind { kEvent, kReply, kReproduced } kind = kEvent;
  int32_t partition = 0;
  Sequence sequence = 0;
  PendingReply reply;  // kEvent: the reply released by this event's acknowledgement
};

ValidatorWorker::ValidatorWorker(Engine& engine, WorkerOptions options) : engine_(engine), options_(std::move(options)) {
  for (PartitionId p = 0; p < engine_.options().partitions; ++p) lanes_.push_back(std::make_unique<Lane>());
}

ValidatorWorker::~ValidatorWorker() { stop(); }

Status ValidatorWorker::start() {
  Status s;
  // An event is never given up on: retried until the cluster takes it (no
  // local timeout), and an error that could leave a hole in the sequence is
  // fatal (the worker stops; a restart re-produces in order). A hole would
  // stop every follower at the gap. Overridable (tests, experiments).
  Properties producer = {{"message.timeout.ms", "0"}, {"enable.gapless.guarantee", "true"}};
  for (const auto& [k, v] : options_.producer) producer[k] = v;
  producer_ = make_producer(options_.brokers, producer, &ValidatorWorker::on_delivery, this, &s);
  if (!producer_) return s;
  // Replies: a lost or doubled one costs a 504 and a retry, never an effect;
  // so no idempotence, the leader's ack only, and a finite timeout.
  Properties replier = {{"enable.idempotence", "false"}, {"acks", "1"}};
  for (const auto& [k, v] : options_.producer) replier[k] = v;
  replier["message.timeout.ms"] = std::to_string(options_.reply_timeout_ms);
  replier_ = make_producer(options_.brokers, replier, &ValidatorWorker::on_reply_delivery, this, &s);
  if (!replier_) return s;
  const bool manual = options_.manual;
  consumer_ = make_consumer(options_.brokers, manual ? "" : options_.group, options_.consumer,
                            manual ? nullptr : &ValidatorWorker::on_rebalance, this, &s);
  if (!consumer_) return s;
  reader_ = make_consumer(options_.brokers, "", {}, nullptr, nullptr, &s);
  if (!reader_) return s;
  int32_t count = 0;
  if (s = partition_count(reader_.get(), kCommandsTopic, &count); !s) return s;
  if (count != int32_t(engine_.options().partitions)) {
    return Status::invalid(std::string(kCommandsTopic) + " has " + std::to_string(count) +
                               " partitions but --partitions is " + std::to_string(engine_.options().partitions),
                           "--partitions");
  }
  if (s = partition_count(reader_.get(), kRepliesTopic, &reply_partitions_); !s) return s;
  poller_ = named_thread("az-val-poll", [this] {
    char reason[512];
    while (!stop_.load()) {
      rd_kafka_poll(producer_.get(), 20);
      flush_replies();
      watch_stalls();
      rd_kafka_poll(replier_.get(), 0);
      if (rd_kafka_resp_err_t e = rd_kafka_fatal_error(producer_.get(), reason, sizeof reason)) {
        fail(Status::unavailable(std::string("fatal producer error: ") + rd_kafka_err2name(e) + ": " + reason));
        return;
      }
    }
  });
  if (manual) {
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(int(options_.partitions.size()));
    for (int32_t p : options_.partitions) {
      if (p < 0 || p >= count) {
        rd_kafka_topic_partition_list_destroy(list);
        return Status::invalid("partition " + std::to_string(p) + " is not in 0.." + std::to_string(count - 1),
                               "--own");
      }
      rd_kafka_topic_partition_list_add(list, kCommandsTopic, p);
    }
    s = assign(list);
    rd_kafka_topic_partition_list_destroy(list);
    if (!s) return s;
  } else {
    rd_kafka_topic_partition_list_t* topics = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(topics, kCommandsTopic, RD_KAFKA_PARTITION_UA);
    rd_kafka_resp_err_t err = rd_kafka_subscribe(consumer_.get(), topics);
    rd_kafka_topic_partition_list_destroy(topics);
    if (err) return status_of(err, "subscribe to autoriza.commands");
  }
  loop_ = named_thread("az-val-loop", [this] { run(); });
  return Status::ok();
}

void ValidatorWorker::stop() {
  stop_ = true;
  if (loop_.joinable()) loop_.join();
  consumer_.reset();  // leaves the group (a revoke callback may run here)
  reader_.reset();
  // Answers still inside the engine produce events and replies: let them out.
  for (int i = 0; i < 500 && in_flight_.load() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  if (producer_) {
    flush_replies();
    for (int i = 0; i < 100 && rd_kafka_outq_len(producer_.get()) > 0; ++i) {
      rd_kafka_poll(producer_.get(), 50);
      flush_replies();  // replies released by these reports
    }
  }
  if (producer_ && rd_kafka_outq_len(producer_.get()) > 0) {
    // Kafka did not take them in time (an events leader away): they stay in
    // the local store and the next start re-produces them. Purged here so
    // their delivery reports free what they carry.
    spdlog::warn("validator: stopping with {} event(s) not acknowledged by Kafka; the next start re-produces them",
                 rd_kafka_outq_len(producer_.get()));
    rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    rd_kafka_poll(producer_.get(), 0);
  }
  if (replier_) rd_kafka_flush(replier_.get(), int(std::min<int64_t>(options_.reply_timeout_ms, 5'000)));
  store_cursors();
  if (poller_.joinable()) poller_.join();
}

Status ValidatorWorker::failure() const {
  std::lock_guard lock(mutex_);
  return failure_;
}

WorkerStats ValidatorWorker::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::set<int32_t> ValidatorWorker::owned() const {
  std::lock_guard lock(mutex_);
  return owned_;
}

void ValidatorWorker::fail(Status s) {
  std::lock_guard lock(mutex_);
  if (failure_) {
    spdlog::critical("validator: fatal: {}", s.to_string());
    failure_ = std::move(s);
  }
  stop_ = true;
}

void ValidatorWorker::on_rebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* list,
                                   void* opaque) {
  auto* self = static_cast<ValidatorWorker*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    if (Status s = self->assign(list); !s) self->fail(s);
  } else {
    rd_kafka_assign(rk, nullptr);
    for (int i = 0; i < list->cnt; ++i) {
      const int32_t p = list->elems[i].partition;
      if (p < 0 || size_t(p) >= self->lanes_.size()) continue;
      Lane& lane = *self->lanes_[size_t(p)];
      std::lock_guard lock(lane.mutex);
      lane.cursor.next_offset = -1;  // another owner writes now: no more advancing
    }
    std::lock_guard lock(self->mutex_);
    self->owned_.clear();
  }
}

// Steps 1-3 of the header for every partition in the list, then assigns the
// commands at the resume offsets.
Status ValidatorWorker::assign(rd_kafka_topic_partition_list_t* list) {
  for (int i = 0; i < list->cnt; ++i) {
    int64_t resume = 0;
    if (Status s = take(list->elems[i].partition, &resume); !s) return s;
    list->elems[i].offset = resume;
  }
  if (rd_kafka_resp_err_t err = rd_kafka_assign(consumer_.get(), list)) return status_of(err, "assign autoriza.commands");
  for (int i = 0; i < list->cnt; ++i) {  // a new assignment is not paused: pause_stalled() pauses it again if needed
    const auto p = PartitionId(list->elems[i].partition);
    {
      std::lock_guard lock(lanes_[p]->mutex);
      lanes_[p]->paused = false;
    }
    tell_gateways(p, false);  // a new owner takes commands: a word of its predecessor's stall ends here
  }
  std::lock_guard lock(mutex_);
  owned_.clear();
  for (int i = 0; i < list->cnt; ++i) owned_.insert(list->elems[i].partition);
  return Status::ok();
}

// Step 1 from offset `from` to high: applies what the store lacks and
// returns the highest sequence read (and how many events were read).
Status ValidatorWorker::fold(int32_t p, int64_t from, int64_t high, Sequence* kafka_last, uint64_t* read_count) {
  // Shared with the apply callbacks, which may outlive an early return.
  struct Progress {
    std::mutex m;
    std::condition_variable cv;
    size_t submitted = 0, answered = 0;
    Status failed;
  };
  auto progress = std::make_shared<Progress>();
  auto drain = [&progress] {
    std::unique_lock lock(progress->m);
    progress->cv.wait(lock, [&] { return progress->answered == progress->submitted; });
    return progress->failed;
  };
  if (Status s = assign_one(reader_.get(), kEventsTopic, p, from); !s) return s;
  int64_t next = from;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  Status read;
  while (next < high && read) {
    if (std::chrono::steady_clock::now() > deadline || stop_.load()) {
      read = Status::unavailable("catch-up of autoriza.events[" + std::to_string(p) + "] did not finish");
      break;
    }
    rd_kafka_message_t* msg = rd_kafka_consumer_poll(reader_.get(), 100);
    if (!msg) continue;
    if (msg->err) {
      rd_kafka_message_destroy(msg);
      continue;
    }
    const int64_t offset = msg->offset;
    next = offset + 1;
    std::string bytes(static_cast<const char*>(msg->payload), msg->len);
    rd_kafka_message_destroy(msg);
    fb::EventT probe;
    if (Status s = unpack_event(bytes, &probe); !s) {
      read = Status::corruption("autoriza.events[" + std::to_string(p) + "]@" + std::to_string(offset) + ": " + s.message());
      break;
    }
    *kafka_last = std::max<Sequence>(*kafka_last, probe.sequence);
    {
      std::unique_lock lock(progress->m);
      progress->cv.wait(lock, [&] { return progress->submitted - progress->answered < 8192; });
      ++progress->submitted;
    }
    engine_.apply_event(
        std::move(bytes),
        [progress](Outcome o) {
          std::lock_guard lock(progress->m);
          if (!o.status && progress->failed) progress->failed = o.status;
          ++progress->answered;
          progress->cv.notify_all();
        },
        offset);
  }
  rd_kafka_assign(reader_.get(), nullptr);
  Status applied = drain();
  *read_count = progress->submitted;
  if (!read) return read;
  return applied;
}

namespace {

// Step 3: the offset after the command of the partition's last local event
// (local: its sequence, 0 for none), or the beginning of autoriza.commands.
Status command_resume_offset(Engine& engine, PartitionId partition, Sequence local, int64_t* resume) {
  *resume = RD_KAFKA_OFFSET_BEGINNING;
  if (local > 0) {
    std::string bytes;
    fb::EventT event;
    if (Status s = engine.journal().read_event(partition, local, &bytes); !s) return s;
    if (Status s = unpack_event(bytes, &event); !s) return s;
    if (event.command_offset >= 0) *resume = event.command_offset + 1;
  }
  return Status::ok();
}

}  // namespace

Status ValidatorWorker::take(int32_t p, int64_t* resume) {
  const auto partition = PartitionId(p);
  int64_t low = 0, high = 0;
  if (Status s = watermarks(reader_.get(), kEventsTopic, p, &low, &high); !s) return s;
  // 1. From the stored cursor when the topic still matches it, else from the start.
  EventsStart from;
  if (Status s = events_start(engine_.journal(), reader_.get(), p, low, high, &from); !s) return s;
  Sequence kafka_last = 0;
  uint64_t folded = 0;
  if (Status s = catch_up(p, from, low, high, &kafka_last, &folded); !s) return s;
  // 2. Local events the topic lacks.
  const Sequence local = engine_.committed_sequence(partition);
  uint64_t reproduced = 0;
  if (Status s = reproduce(p, kafka_last, local, &reproduced); !s) return s;
  // 3. Resume after the command of the last event.
  if (Status s = command_resume_offset(engine_, partition, local, resume); !s) return s;
  std::lock_guard lock(mutex_);
  stats_.caught_up += folded;
  stats_.reproduced += reproduced;
  spdlog::info("validator: partition {}: {} events read from offset {}{} (last {}), {} re-produced, commands from offset {}",
               p, folded, from.offset, from.from_cursor ? " (stored cursor)" : "", local, reproduced, *resume);
  return Status::ok();
}

// Step 1: folds autoriza.events[p] from `from` up to high (from low when the
// stored cursor proves wrong), then starts the lane's cursor at high.
// *kafka_last: the highest sequence the topic holds below high.
Status ValidatorWorker::catch_up(int32_t p, const EventsStart& from, int64_t low, int64_t high, Sequence* kafka_last,
                                 uint64_t* read_count) {
  *kafka_last = from.sequence;
  if (high > from.offset) {
    Status s = fold(p, from.offset, high, kafka_last, read_count);
    if (!s && from.from_cursor && s.kind() == StatusKind::kCorruption) {
      // Another writer's events before the cursor (two owners for a moment):
      // the cursor skipped some; read the whole partition instead.
      spdlog::warn("validator: partition {}: {} after the stored cursor; folding from offset {}", p, s.to_string(), low);
      *kafka_last = 0;
      s = fold(p, low, high, kafka_last, read_count);
    }
    if (!s) return s;
  }
  // The topic held 1..kafka_last below high: the lane's cursor advances from
  // there, one offset and one sequence at a time (set before anything is
  // re-produced, so the first re-produced event can advance it).
  Lane& lane = *lanes_[PartitionId(p)];
  std::lock_guard lock(lane.mutex);
  lane.cursor = {high, *kafka_last};
  lane.cursor_dirty = false;
  return Status::ok();
}

// Step 2: produces again the local events kafka_last+1..local that the topic
// lacks (a crash between the local commit and the produce), and waits until
// Kafka has them: they must be there before new commands are answered.
Status ValidatorWorker::reproduce(int32_t p, Sequence kafka_last, Sequence local, uint64_t* reproduced) {
  const auto partition = PartitionId(p);
  *reproduced = 0;
  for (Sequence seq = kafka_last + 1; seq <= local; ++seq) {
    std::string bytes;
    fb::EventT event;
    if (Status s = engine_.journal().read_event(partition, seq, &bytes); !s) return s;
    if (Status s = unpack_event(bytes, &event); !s) return s;
    const std::string& key = credential_of(event.command);
    auto tag = std::make_unique<Tag>();
    tag->kind = Tag::kReproduced;
    tag->partition = p;
    tag->sequence = seq;
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(kEventsTopic), RD_KAFKA_V_PARTITION(p), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(bytes.data(), bytes.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_OPAQUE(tag.get()), RD_KAFKA_V_END);
    if (err) return status_of(err, "re-produce an event");
    tag.release();  // owned by the delivery report now
    ++*reproduced;
  }
  {
    Lane& lane = *lanes_[partition];
    std::lock_guard lock(lane.mutex);
    lane.produced = std::max(lane.produced, local);
    if (*reproduced == 0) lane.delivered = std::max(lane.delivered, local);
  }
  if (*reproduced > 0) {
    if (rd_kafka_resp_err_t err = rd_kafka_flush(producer_.get(), 60'000)) return status_of(err, "flush re-produced events");
  }
  return Status::ok();
}

void ValidatorWorker::store_cursors() {
  CommitBatch batch;
  std::vector<PartitionId> stored;
  for (PartitionId p = 0; p < lanes_.size(); ++p) {
    Lane& lane = *lanes_[p];
    std::lock_guard lock(lane.mutex);
    if (!lane.cursor_dirty) continue;
    write_topic_cursor(p, lane.cursor, batch);
    lane.cursor_dirty = false;
    stored.push_back(p);
  }
  if (batch.writes.empty()) return;
  if (Status s = engine_.journal().commit(batch); !s) {
    // An older cursor stays, which is safe; try again next time.
    spdlog::warn("validator: storing {} cursors: {}", stored.size(), s.to_string());
    for (PartitionId p : stored) {
      std::lock_guard lock(lanes_[p]->mutex);
      lanes_[p]->cursor_dirty = true;
    }
  }
}

void ValidatorWorker::run() {
  MessageBatch batch;
  auto cursors_stored = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    if (const auto now = std::chrono::steady_clock::now(); now - cursors_stored > std::chrono::seconds(1)) {
      store_cursors();
      cursors_stored = now;
    }
    if (rewind_.exchange(false)) {
      // Re-run the assignment steps for what we own (re-produces what failed).
      rd_kafka_topic_partition_list_t* list = nullptr;
      if (!rd_kafka_assignment(consumer_.get(), &list) && list) {
        for (int i = 0; i < 500 && in_flight_.load() > 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (Status s = assign(list); !s) fail(s);
        rd_kafka_topic_partition_list_destroy(list);
      }
      std::lock_guard lock(mutex_);
      ++stats_.rewinds;
      continue;
    }
    pause_stalled();
    if (in_flight_.load() >= options_.in_flight_max) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      continue;
    }
    // A batch may overshoot in_flight_max by MessageBatch::kMessagesMax: the bound is their sum.
    const size_t n = batch.poll(consumer_.get(), std::chrono::milliseconds(50));
    for (size_t i = 0; i < n; ++i) {
      const rd_kafka_message_t* m = batch[i];
      if (!m->err) {
        on_command(m);
      } else if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        spdlog::warn("validator: {} ({})", rd_kafka_message_errstr(m), error_class_name(classify(m->err)));
      }
    }
    batch.clear();
  }
}

void ValidatorWorker::on_command(const rd_kafka_message_t* m) {
  CommandMessage c;
  Status s = decode_command(std::string_view(static_cast<const char*>(m->payload), m->len), &c);
  if (!s) {
    // No correlation to answer: a poison message is logged and skipped.
    spdlog::error("validator: autoriza.commands[{}]@{}: {}; skipped", m->partition, m->offset, s.to_string());
    return;
  }
  const int32_t p = m->partition;
  const fb::Command type = c.command.type;
  std::string key(m->key ? static_cast<const char*>(m->key) : "", m->key_len);
  if (engine_.route(c.command) != PartitionId(p)) {
    answer(p, type, key, c.correlation, c.reply_partition,
           {Status::invalid("command routed to partition " + std::to_string(p) + " but it belongs to " +
                            std::to_string(engine_.route(c.command)) + " (gateway and validator disagree on --partitions?)"),
            nullptr, false});
    return;
  }
  await_reference(c.now);
  in_flight_.fetch_add(1);
  {
    std::lock_guard lock(mutex_);
    ++stats_.commands;
  }
  engine_.submit(
      std::move(c.command), c.now,
      [this, p, type, key = std::move(key), correlation = c.correlation, reply = c.reply_partition](Outcome o) mutable {
        answer(p, type, std::move(key), correlation, reply, std::move(o));
        in_flight_.fetch_sub(1);
      },
      c.channel, m->offset);
}

void ValidatorWorker::await_reference(Millis t) {
  if (!options_.reference_ready || options_.reference_ready(t)) return;
  const auto since = std::chrono::steady_clock::now();
  bool said = false;
  while (!stop_.load() && !options_.reference_ready(t)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (!said && std::chrono::steady_clock::now() - since > std::chrono::seconds(2)) {
      said = true;  // the topic is not being read: no command is decided meanwhile
      spdlog::warn("validator: waiting to read {} as it stood at the command's time before deciding it",
                   kReferenceTopic);
    }
  }
  if (said) spdlog::info("validator: {} read; deciding again", kReferenceTopic);
}

// From the engine's committer thread, in commit order per partition. Only
// produces the event: the reply is rendered on the poll thread once Kafka
// acknowledged it (the committer is its partition's serial stage).
void ValidatorWorker::answer(int32_t p, fb::Command type, std::string key, uint64_t correlation,
                             uint16_t reply_partition, Outcome o) {
  Lane& lane = *lanes_[size_t(p)];
  if (o.status && o.recorded_sequence > 0 && !o.replayed) {
    std::string bytes = std::move(o.event);  // as journaled; read back only if the engine did not hand it over
    if (bytes.empty()) {
      if (Status s = engine_.journal().read_event(PartitionId(p), o.recorded_sequence, &bytes); !s) return fail(s);
    }
    auto tag = std::make_unique<Tag>();
    tag->kind = Tag::kEvent;
    tag->partition = p;
    tag->sequence = o.recorded_sequence;
    const Sequence sequence = o.recorded_sequence;
    tag->reply = PendingReply{reply_partition, correlation, type, std::move(o)};
    {
      std::lock_guard lock(lane.mutex);
      if (lane.produced <= lane.delivered) lane.progress_ms = steady_now_ms();  // the first one awaited
      lane.produced = std::max(lane.produced, sequence);
    }
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(kEventsTopic), RD_KAFKA_V_PARTITION(p), RD_KAFKA_V_KEY(key.data(), key.size()),
        RD_KAFKA_V_VALUE(bytes.data(), bytes.size()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY | RD_KAFKA_MSG_F_BLOCK),
        RD_KAFKA_V_OPAQUE(tag.get()), RD_KAFKA_V_END);
    if (err) {
      spdlog::error("validator: produce event {}/{}: {} (rewind)", p, sequence, rd_kafka_err2str(err));
      rewind_ = true;
      return;
    }
    tag.release();
    return;
  }
  {
    std::lock_guard lock(lane.mutex);
    if (lane.delivered < lane.produced) {
      lane.waiting.emplace_back(lane.produced, PendingReply{reply_partition, correlation, type, std::move(o)});
      return;
    }
  }
  // Nothing before it awaits Kafka (errors, retries): answer now.
  std::string single;
  append_reply(&single, encode_reply(correlation, type, o));
  produce_reply(reply_partition, single, 1);
}

void ValidatorWorker::produce_reply(uint16_t reply_partition, const std::string& value, size_t replies) {
  rd_kafka_resp_err_t err = rd_kafka_producev(
      replier_.get(), RD_KAFKA_V_TOPIC(kRepliesTopic), RD_KAFKA_V_PARTITION(int32_t(reply_partition)),
      RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
      // No F_BLOCK: this runs inside delivery reports too, on the poll thread.
      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  if (err) {
    spdlog::warn("validator: reply not produced: {} (the gateway times out; the client retries)", rd_kafka_err2str(err));
    return;
  }
  std::lock_guard lock(mutex_);
  stats_.replies += replies;
}

void ValidatorWorker::on_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  auto* self = static_cast<ValidatorWorker*>(opaque);
  AUTORIZA_CHECK(m->_private != nullptr);  // every event carries its tag (replies go through replier_)
  std::unique_ptr<Tag> tag(static_cast<Tag*>(m->_private));
  if (m->err == RD_KAFKA_RESP_ERR__PURGE_QUEUE || m->err == RD_KAFKA_RESP_ERR__PURGE_INFLIGHT) return;  // stop()
  self->delivered(*tag, m->err, m->offset);
}

void ValidatorWorker::on_reply_delivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (!m->err) return;
  auto* self = static_cast<ValidatorWorker*>(opaque);
  uint64_t lost = 0;
  {
    std::lock_guard lock(self->mutex_);
    lost = ++self->stats_.replies_lost;
  }
  // One line for the first and then one per 1,000: an outage of a replies
  // partition drops a message per batch of replies.
  if (lost == 1 || lost % 1000 == 0) {
    spdlog::warn("validator: {} reply message(s) not delivered so far, latest: {} (their gateways answered 504; "
                 "clients retry and get the original answers)",
                 lost, rd_kafka_err2str(m->err));
  }
}

void ValidatorWorker::delivered(Tag& tag, rd_kafka_resp_err_t err, int64_t offset) {
  Lane& lane = *lanes_[size_t(tag.partition)];
  if (err) {
    const ErrorClass c = classify(err, err == RD_KAFKA_RESP_ERR__FATAL);
    spdlog::error("validator: event {}/{} not delivered: {} ({})", tag.partition, tag.sequence, rd_kafka_err2str(err),
                  error_class_name(c));
    if (c == ErrorClass::kFatal) return fail(Status::unavailable(std::string("event delivery: ") + rd_kafka_err2str(err)));
    std::lock_guard lock(lane.mutex);
    lane.waiting.clear();  // their clients time out and retry
    rewind_ = true;
    return;
  }
  std::vector<PendingReply> release;
  {
    std::lock_guard lock(lane.mutex);
    if (tag.sequence > lane.delivered) lane.progress_ms = steady_now_ms();
    lane.delivered = std::max(lane.delivered, tag.sequence);
    // Consecutive offsets and sequences: nobody else wrote in between.
    if (offset >= 0 && offset == lane.cursor.next_offset && tag.sequence == lane.cursor.sequence + 1) {
      lane.cursor = {offset + 1, tag.sequence};
      lane.cursor_dirty = true;
    }
    if (tag.kind == Tag::kEvent) release.push_back(std::move(tag.reply));
    while (!lane.waiting.empty() && lane.waiting.front().first <= lane.delivered) {
      release.push_back(std::move(lane.waiting.front().second));
      lane.waiting.pop_front();
    }
  }
  {
    std::lock_guard lock(mutex_);
    if (tag.kind == Tag::kEvent) ++stats_.events_produced;
  }
  for (PendingReply& r : release) replies_.add(std::move(r));  // rendered and produced after this round of reports
}

void ValidatorWorker::flush_replies() {
  for (auto& [partition, value] : replies_.take()) produce_reply(partition, value, replies_in(value));
}

void ValidatorWorker::watch_stalls() {
  const int64_t now = steady_now_ms();
  for (PartitionId p = 0; p < lanes_.size(); ++p) {
    Lane& lane = *lanes_[p];
    bool tell = false, stalled = false, changed = false;
    Sequence waiting = 0;
    {
      std::lock_guard lock(lane.mutex);
      waiting = lane.produced > lane.delivered ? lane.produced - lane.delivered : 0;
      stalled = waiting > 0 && (now - lane.progress_ms >= options_.events_stall_ms ||
                                waiting > options_.events_backlog_max);
      changed = stalled != lane.stalled;
      tell = changed || (stalled && now - lane.told_ms >= 1'000);
      if (changed) {
        std::lock_guard stats_lock(mutex_);
        if (stalled) ++stats_.stalls;
        stalled ? ++stats_.stalled_now : --stats_.stalled_now;
      }
      lane.stalled = stalled;
      if (tell) lane.told_ms = now;
    }
    if (!tell) continue;
    if (changed && stalled) {
      spdlog::warn("validator: partition {}: {} event(s) not acknowledged by Kafka for {} ms; its commands are "
                   "paused and gateways answer 503 until they are",
                   p, waiting, now - lane.progress_ms);
    }
    if (changed && !stalled) spdlog::info("validator: partition {}: events acknowledged again; taking commands", p);
    tell_gateways(p, stalled);
  }
}

void ValidatorWorker::tell_gateways(PartitionId partition, bool stalled) {
  const std::string word = encode_partition_word({uint16_t(partition), stalled});
  for (int32_t r = 0; r < reply_partitions_; ++r) {
    // Through the replies' producer: it expires, so a word not taken is lost,
    // and the next one (every second) says it again.
    rd_kafka_producev(replier_.get(), RD_KAFKA_V_TOPIC(kRepliesTopic), RD_KAFKA_V_PARTITION(r),
                      RD_KAFKA_V_VALUE(const_cast<char*>(word.data()), word.size()),
                      RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
  }
}

void ValidatorWorker::pause_stalled() {
  for (PartitionId p = 0; p < lanes_.size(); ++p) {
    Lane& lane = *lanes_[p];
    bool pause = false;
    {
      std::lock_guard lock(lane.mutex);
      if (lane.stalled == lane.paused) continue;
      pause = lane.stalled;
      lane.paused = pause;
    }
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(1);
    rd_kafka_topic_partition_list_add(list, kCommandsTopic, int32_t(p));
    const rd_kafka_resp_err_t err = pause ? rd_kafka_pause_partitions(consumer_.get(), list)
                                          : rd_kafka_resume_partitions(consumer_.get(), list);
    rd_kafka_topic_partition_list_destroy(list);
    if (err) spdlog::warn("validator: {} commands[{}]: {}", pause ? "pause" : "resume", p, rd_kafka_err2str(err));
  }
}

}  // namespace autoriza::kafka
