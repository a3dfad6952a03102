#include "adapters/kafka/follower.h"

#include <spdlog/spdlog.h>

#include "adapters/kafka/events_cursor.h"

namespace autoriza::kafka {

EventFollower::EventFollower(Engine& mirror, std::string brokers, FollowerOptions options)
    : mirror_(mirror), brokers_(std::move(brokers)), options_(std::move(options)) {}

EventFollower::~EventFollower() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  // Wait for apply callbacks still queued in the mirror's writers.
  std::unique_lock lock(mutex_);
  progress_.wait(lock, [&] { return in_flight_ == 0; });
}

Status EventFollower::start() {
  Status s;
  consumer_ = make_consumer(brokers_, "", options_.consumer, nullptr, nullptr, &s);
  if (!consumer_) return s;
  if (s = partition_count(consumer_.get(), kEventsTopic, &partitions_); !s) return s;
  if (partitions_ != int32_t(mirror_.options().partitions)) {
    return Status::invalid(std::string(kEventsTopic) + " has " + std::to_string(partitions_) +
                               " partitions but the store has " + std::to_string(mirror_.options().partitions),
                           "--partitions");
  }
  next_offset_.assign(size_t(partitions_), 0);
  rewind_to_.assign(size_t(partitions_), -1);
  std::vector<int64_t> start(size_t(partitions_), 0);
  int resumed = 0;
  for (int32_t p = 0; p < partitions_; ++p) {
    int64_t low = 0, high = 0;
    if (s = watermarks(consumer_.get(), kEventsTopic, p, &low, &high); !s) return s;
    EventsStart from;
    if (s = events_start(mirror_.journal(), consumer_.get(), p, low, high, &from); !s) return s;
    start[size_t(p)] = next_offset_[size_t(p)] = from.offset;
    resumed += from.from_cursor ? 1 : 0;
  }
  if (resumed > 0) spdlog::info("event follower: {} of {} partitions resume at their stored cursor", resumed, partitions_);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(partitions_);
  for (int32_t p = 0; p < partitions_; ++p) rd_kafka_topic_partition_list_add(list, kEventsTopic, p)->offset = start[size_t(p)];
  rd_kafka_resp_err_t err = rd_kafka_assign(consumer_.get(), list);
  rd_kafka_topic_partition_list_destroy(list);
  if (err) return status_of(err, "assign autoriza.events");
  thread_ = named_thread("az-follower", [this] { run(); });
  return Status::ok();
}

void EventFollower::run() {
  MessageBatch batch;
  while (!stop_.load()) {
    {
      std::unique_lock lock(mutex_);
      if (!progress_.wait_for(lock, std::chrono::milliseconds(100), [&] { return in_flight_ < kInFlightMax; })) continue;
    }
    rewind_when_writable();
    const size_t n = batch.poll(consumer_.get(), std::chrono::milliseconds(50));
    for (size_t i = 0; i < n; ++i) apply(batch[i]);
    batch.clear();
  }
}

bool EventFollower::absorb_refusal(size_t partition, int64_t offset, const Status& refusal) {
  if (partition >= rewind_to_.size()) return false;
  int64_t& to = rewind_to_[partition];
  // After a full disk's refusal, the events handed before the partition
  // reloaded its state may arrive after it with a gap: re-read too.
  if (refusal.kind() != StatusKind::kStoreFull && to < 0) return false;
  if (to < 0) {
    rewind_tried_ = std::chrono::steady_clock::now();  // the store watch notices the full disk within a second
    spdlog::error("event follower: autoriza.events[{}]@{} not applied ({}); re-read once the store takes writes",
                  partition, offset, refusal.message());
  }
  to = to < 0 ? offset : std::min(to, offset);
  return true;
}

void EventFollower::rewind_when_writable() {
  std::vector<std::pair<int32_t, int64_t>> seeks;
  {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    if (in_flight_ > 0 || now - rewind_tried_ < std::chrono::seconds(1)) return;
    for (size_t p = 0; p < rewind_to_.size(); ++p) {
      if (rewind_to_[p] >= 0) seeks.emplace_back(int32_t(p), rewind_to_[p]);
    }
    if (seeks.empty()) return;
    rewind_tried_ = now;
  }
  if (!mirror_.store_health().writable) return;  // outside mutex_: the store watch has its own lock
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(int(seeks.size()));
  for (const auto& [p, offset] : seeks) rd_kafka_topic_partition_list_add(list, kEventsTopic, p)->offset = offset;
  rd_kafka_error_t* error = rd_kafka_seek_partitions(consumer_.get(), list, 10'000);
  bool seeked = !error;
  for (int i = 0; seeked && i < list->cnt; ++i) seeked = !list->elems[i].err;
  rd_kafka_topic_partition_list_destroy(list);
  if (!seeked) {  // tried again in a second
    spdlog::warn("event follower: seek back after a full disk: {}",
                 error ? rd_kafka_error_string(error) : "a partition refused it");
    if (error) rd_kafka_error_destroy(error);
    return;
  }
  std::lock_guard lock(mutex_);
  for (const auto& [p, offset] : seeks) {
    spdlog::warn("event follower: the store takes writes again; re-reading autoriza.events[{}] from offset {}", p, offset);
    rewind_to_[size_t(p)] = -1;
    rewinds_.fetch_add(1);
  }
}

void EventFollower::apply(const rd_kafka_message_t* m) {
  if (m->err) {
    if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
      spdlog::warn("event follower: {} ({})", rd_kafka_message_errstr(m), error_class_name(classify(m->err)));
    }
    return;
  }
  const auto partition = size_t(m->partition);
  const int64_t offset = m->offset;
  std::string bytes(static_cast<const char*>(m->payload), m->len);
  {
    std::lock_guard lock(mutex_);
    if (partition < rewind_to_.size() && rewind_to_[partition] >= 0) return;  // read again after the seek
    ++in_flight_;
  }
  mirror_.apply_event(
      std::move(bytes),
      [this, partition, offset](Outcome o) {
    std::lock_guard lock(mutex_);
    --in_flight_;
    if (!o.status && absorb_refusal(partition, offset, o.status)) {
      progress_.notify_all();
      return;
    }
    if (!o.status) {
      spdlog::critical("event follower: {}", o.status.to_string());
      if (failure_) failure_ = o.status;
    } else {
      (o.replayed ? duplicates_ : applied_).fetch_add(1);
    }
    // Callbacks of one partition come in order from its writer.
    if (partition < next_offset_.size()) next_offset_[partition] = std::max(next_offset_[partition], offset + 1);
    progress_.notify_all();
      },
      offset);
}

Status EventFollower::sync(std::chrono::milliseconds timeout) {
  std::vector<int64_t> high(size_t(partitions_), 0);
  for (int32_t p = 0; p < partitions_; ++p) {
    int64_t low = 0;
    if (Status s = watermarks(consumer_.get(), kEventsTopic, p, &low, &high[size_t(p)], timeout); !s) return s;
  }
  std::unique_lock lock(mutex_);
  const bool done = progress_.wait_for(lock, timeout, [&] {
    if (!failure_) return true;
    for (size_t p = 0; p < high.size(); ++p) {
      if (next_offset_[p] < high[p] || rewind_to_[p] >= 0) return false;
    }
    return in_flight_ == 0;
  });
  if (!failure_) return failure_;
  return done ? Status::ok() : Status::unavailable("the mirror did not catch up with autoriza.events in time");
}

}  // namespace autoriza::kafka
