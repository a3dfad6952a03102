#include "engine/partition.h"

#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <chrono>

#include "engine/records.h"
#include "engine/state_store.h"
#include "engine/core/validator.h"

namespace autoriza {

struct Partition::Pending {
  Callback done;
  Outcome outcome;
  // Index in the commit's events of the event this answer recorded, whose
  // bytes the outcome carries once durable; npos: none.
  size_t event_index = std::string::npos;
};

// One batch on its way to the disk, with the answers it releases.
struct Partition::CommitJob {
  CommitBatch batch;
  std::vector<Pending> answers;
  Sequence last_sequence = 0;
  size_t commands = 0;
  uint64_t retries = 0;
};

namespace {

// Random material the adapter draws for a command differs between a request
// and its retry; it is not part of "the same body".
bool strip_drawn_material(fb::CommandUnion& c) {
  switch (c.type) {
    case fb::Command::TokenIssueCmd:
      c.AsTokenIssueCmd()->sealed_secret.clear();
      c.AsTokenIssueCmd()->sealed_tokens.clear();
      return true;
    case fb::Command::CardIssueCmd: c.AsCardIssueCmd()->sealed_secret.clear(); return true;
    case fb::Command::RegisterCmd:
      c.AsRegisterCmd()->sealed_code.clear();
      c.AsRegisterCmd()->password_hash.clear();  // salted: differs on every hashing
      return true;
    case fb::Command::RegisterConfirmCmd: c.AsRegisterConfirmCmd()->sealed_code.clear(); return true;
    case fb::Command::PasswordRecoverCmd: c.AsPasswordRecoverCmd()->sealed_code.clear(); return true;
    case fb::Command::PasswordResetCmd:
      c.AsPasswordResetCmd()->sealed_code.clear();
      c.AsPasswordResetCmd()->password_hash.clear();
      return true;
    case fb::Command::ShareCreateCmd:
      c.AsShareCreateCmd()->link_hash.clear();
      c.AsShareCreateCmd()->sealed_link.clear();
      return true;
    default: return false;
  }
}

// SHA-256 with the algorithm fetched once and one context per thread:
// OpenSSL 3's one-shot EVP_Digest(EVP_sha256()) fetches the implementation
// and allocates a context on every call (callgrind: command_digest took
// ~9,000 instructions per command with it, ~6,200 now, nearly all hashing).
void sha256(const uint8_t* data, size_t size, unsigned char* md, unsigned* len) {
  static EVP_MD* const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  AUTORIZA_CHECK(algorithm != nullptr && ctx != nullptr);
  const bool ok = EVP_DigestInit_ex(ctx.get(), algorithm, nullptr) == 1 && EVP_DigestUpdate(ctx.get(), data, size) == 1 &&
                  EVP_DigestFinal_ex(ctx.get(), md, len) == 1;
  AUTORIZA_CHECK(ok);
}

}  // namespace

Digest command_digest(const fb::CommandUnion& original) {
  fb::CommandUnion stripped;
  const fb::CommandUnion* command = &original;
  if (original.type == fb::Command::TokenIssueCmd || original.type == fb::Command::CardIssueCmd ||
      original.type == fb::Command::RegisterCmd || original.type == fb::Command::RegisterConfirmCmd ||
      original.type == fb::Command::PasswordRecoverCmd || original.type == fb::Command::PasswordResetCmd ||
      original.type == fb::Command::ShareCreateCmd) {
    stripped = original;
    strip_drawn_material(stripped);
    command = &stripped;
  }
  flatbuffers::FlatBufferBuilder builder(512);
  builder.Finish(command->Pack(builder));
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  sha256(builder.GetBufferPointer(), builder.GetSize(), md, &len);
  Digest d;
  std::copy(md, md + d.size(), d.begin());
  return d;
}

Partition::Partition(std::unique_ptr<PartitionState> state, IdempotencyIndex& index, Journal& journal,
                     std::function<ReferenceEras()> reference, size_t batch_max, size_t queue_max,
                     PartitionId partitions, std::shared_ptr<const KeyRing> keys, std::function<void()> on_commit)
    : state_(std::move(state)), id_(state_->partition()), index_(index), journal_(journal), reference_(std::move(reference)), keys_(std::move(keys)),
      on_commit_(std::move(on_commit)),
      partitions_(partitions), batch_max_(batch_max), queue_max_(queue_max) {
  AUTORIZA_CHECK(batch_max_ >= 1 && queue_max_ >= batch_max_);
  committed_sequence_.store(state_->last_sequence(), std::memory_order_release);
}

Partition::~Partition() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  ready_.notify_all();
  if (writer_.joinable()) writer_.join();  // drains the queue into commit jobs
  {
    std::lock_guard lock(commit_mutex_);
    commit_stopping_ = true;
  }
  commit_ready_.notify_all();
  if (committer_.joinable()) committer_.join();  // drains the commit jobs
}

void Partition::start() {
  // Named for profiles and debuggers (at most 15 characters).
  committer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), ("az-commit-" + std::to_string(state_->partition())).c_str());
    run_committer();
  });
  writer_ = std::thread([this] {
    pthread_setname_np(pthread_self(), ("az-writer-" + std::to_string(state_->partition())).c_str());
    run();
  });
}

void Partition::submit(Submission submission) {
  {
    std::unique_lock lock(mutex_);
    if (failed_.load() || stopping_) {
      Status refusal = failed_.load() ? failure_status()
                                      : Status::unavailable("partition " + std::to_string(id_) + " is stopping");
      lock.unlock();
      submission.done({std::move(refusal), nullptr, false});
      return;
    }
    if (queue_.size() >= queue_max_) {
      lock.unlock();
      submission.done({Status::unavailable("partition " + std::to_string(id_) +
                                           " queue is full; retry later"),
                       nullptr, false});
      return;
    }
    queue_.push_back(std::move(submission));
  }
  ready_.notify_one();
}

Status Partition::failure_status() const {
  const std::string partition = std::to_string(id_);
  if (failure_.kind() == StatusKind::kStoreFull) {
    return Status::store_full("el disco del almacén está lleno: la partición " + partition +
                              " no registra operaciones hasta que haya espacio (las consultas siguen respondiendo)");
  }
  return Status::unavailable("partition " + partition + " stopped after a storage failure; it takes commands again "
                             "once the store takes writes");
}

void Partition::fail(const Status& commit_status) {
  spdlog::error("partition {}: commit failed; commands refused until the store takes writes again and the state is "
                "reloaded from it: {}",
                id_, commit_status.to_string());
  std::lock_guard lock(mutex_);
  failure_ = commit_status;
  failed_ = true;
}

void Partition::reload_after_failure() {
  {
    std::lock_guard lock(mutex_);
    if (!failed_.load() || reload_requested_) return;
    reload_requested_ = true;
  }
  ready_.notify_all();
}

void Partition::reload() {
  std::vector<std::string> lost;
  {
    // The batches in flight are answered first (refused: the partition failed).
    std::unique_lock lock(commit_mutex_);
    commit_space_.wait(lock, [&] { return commit_queue_.empty() && !committing_; });
    lost.swap(lost_keys_);
  }
  Status st;
  std::unique_ptr<PartitionState> state = restore_partition(journal_, partitions_, state_->partition(), index_, &st);
  if (!state) {  // still failed: the store watch asks again
    spdlog::error("partition {}: cannot reload its state from the store: {}", state_->partition(), st.to_string());
    std::lock_guard lock(commit_mutex_);
    lost_keys_.insert(lost_keys_.end(), lost.begin(), lost.end());
    return;
  }
  // Entries are never overwritten, so one naming a lost event of this
  // partition was inserted by a lost batch (another partition's stays).
  for (const std::string& key : lost) {
    const auto entry = index_.find(key);
    if (entry && entry->position.partition == state->partition() && entry->position.sequence > state->last_sequence()) {
      index_.erase(key);
    }
  }
  spdlog::warn("partition {}: state reloaded from the store (last event {}, {} lost idempotency keys forgotten)",
               state->partition(), state->last_sequence(), lost.size());
  state_ = std::move(state);
  uncommitted_.clear();
  committed_sequence_.store(state_->last_sequence(), std::memory_order_release);
  {
    std::lock_guard lock(stats_mutex_);
    ++stats_.reloads;
  }
  std::lock_guard lock(mutex_);
  failure_ = Status::ok();
  failed_ = false;
}

size_t Partition::queue_depth() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

PartitionStats Partition::stats() const {
  std::lock_guard lock(stats_mutex_);
  return stats_;
}

PartitionMetrics Partition::metrics() const {
  return PartitionMetrics{queue_depth(), batch_commands_.snapshot(), commit_seconds_.snapshot()};
}

void Partition::run() {
  std::vector<Submission> batch;
  batch.reserve(batch_max_);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      ready_.wait(lock, [&] { return stopping_ || !queue_.empty() || reload_requested_; });
      if (reload_requested_ && !stopping_) {
        reload_requested_ = false;
        lock.unlock();
        reload();
        continue;
      }
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < batch_max_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    process(batch);
    batch.clear();
  }
}

bool Partition::answer_retry(Submission& s, const IdempotencyEntry& entry, std::vector<Pending>& answers) {
  auto it = entry.position.partition == state_->partition() ? uncommitted_.find(entry.position.sequence)
                                                              : uncommitted_.end();
  if (it != uncommitted_.end()) {
    answers.push_back({std::move(s.done), {Status::ok(), it->second, true}});
    return true;
  }
  std::string bytes;
  fb::EventT event;
  Status st = journal_.read_event(entry.position.partition, entry.position.sequence, &bytes);
  if (st) st = unpack_event(bytes, &event);
  if (!st) {
    answers.push_back({std::move(s.done), {st, nullptr, false}});
    return false;
  }
  st = rehydrate_answer(event, *state_, keys_.get(), event.result.get());
  if (!st) {
    answers.push_back({std::move(s.done), {st, nullptr, false}});
    return false;
  }
  answers.push_back({std::move(s.done), {Status::ok(), std::shared_ptr<const fb::ResultT>(std::move(event.result)), true}});
  return true;
}

void Partition::apply_replicated(Submission& s, std::vector<Pending>& answers) {
  fb::EventT event;
  Status st = unpack_event(s.event, &event);
  if (st && event.partition != state_->partition()) {
    st = Status::corruption("event of partition " + std::to_string(event.partition) + " handed to partition " +
                            std::to_string(state_->partition()));
  }
  const Sequence last = state_->last_sequence();
  if (st && event.sequence > last + 1) {
    st = Status::corruption("partition " + std::to_string(state_->partition()) + ": event " +
                            std::to_string(event.sequence) + " arrived after " + std::to_string(last) + " (a gap)");
  }
  if (!st) {
    cursor_refused_ = true;  // no cursor may step over a message that was refused (until a restart re-reads it)
    answers.push_back({std::move(s.done), {st, nullptr, false}});
    return;
  }
  if (s.source_offset >= 0 && !cursor_refused_) cursor_ = {s.source_offset + 1, event.sequence};
  if (event.sequence <= last) {  // seen before: applied once, acknowledged again
    answers.push_back({std::move(s.done), {Status::ok(), nullptr, true}});
    return;
  }
  state_->apply(event, dirty_);
  batch_.events.push_back({state_->partition(), event.sequence, std::move(s.event)});
  answers.push_back({std::move(s.done), {Status::ok(), nullptr, false, event.sequence}});
}

void Partition::handle(Submission& s, const Reference& ref, std::vector<Pending>& answers) {
  if (!s.event.empty()) return apply_replicated(s, answers);
  const std::string scope = idempotency_scope(s.command);
  Digest digest{};
  if (!scope.empty()) {
    digest = command_digest(s.command);
    if (auto entry = state_->idempotency().find(idempotency_key(scope, request_id_of(s.command)))) {
      if (entry->digest != digest) {
        answers.push_back({std::move(s.done), {reused_request_id(request_id_of(s.command)), nullptr, false}});
        return;
      }
      ++retries_in_batch_;
      answer_retry(s, *entry, answers);
      return;
    }
  }
  const Sequence sequence = state_->last_sequence() + 1;
  Decision d = decide(DecideContext{ref, *state_, s.now, state_->partition(), sequence, partitions_, keys_.get()}, s.command);
  if (!d.status) {
    answers.push_back({std::move(s.done), {d.status, nullptr, false}});
    return;
  }
  if (!d.record) {
    answers.push_back({std::move(s.done), {Status::ok(), std::move(d.event.result), false}});
    return;
  }
  fb::EventT& event = d.event;
  event.partition = state_->partition();
  event.sequence = sequence;
  event.scope = scope;
  event.request_id = request_id_of(s.command);
  event.request_digest.assign(digest.begin(), digest.end());
  event.channel = std::move(s.channel);
  event.command_offset = s.command_offset;
  event.command = std::move(s.command);
  redact_command(event.command);  // after the digest: a retry still matches
  state_->apply(event, dirty_);
  if (event.token_use && event.token_use->outcome == fb::TokenOutcome::THROTTLED) {
    // Reported, never with the credential (PII): the event position finds it.
    spdlog::warn("partition {}: repeated invalid tokens throttled (event {})", state_->partition(), sequence);
  }
  batch_.events.push_back({state_->partition(), sequence, pack_event(event)});
  std::shared_ptr<const fb::ResultT> result(d.answer ? std::move(d.answer) : std::move(event.result));
  uncommitted_[sequence] = result;
  answers.push_back({std::move(s.done), {Status::ok(), std::move(result), false, sequence}, batch_.events.size() - 1});
}

void Partition::process(std::vector<Submission>& batch) {
  const ReferenceEras eras = reference_();
  auto job = std::make_unique<CommitJob>();
  job->answers.reserve(batch.size());
  batch_.clear();
  dirty_.clear();
  cursor_ = {};
  // Answers of batches already durable are read back from the journal.
  const Sequence committed = committed_sequence_.load(std::memory_order_acquire);
  std::erase_if(uncommitted_, [committed](const auto& e) { return e.first <= committed; });
  retries_in_batch_ = 0;
  for (Submission& s : batch) {
    if (failed_.load()) {
      std::unique_lock lock(mutex_);
      Status refusal = failure_status();
      lock.unlock();
      job->answers.push_back({std::move(s.done), {std::move(refusal), nullptr, false}});
      continue;
    }
    handle(s, reference_in_force(*eras, s.now), job->answers);
  }
  if (!batch_.events.empty()) {
    write_dirty(*state_, dirty_, batch_);
    if (cursor_.next_offset >= 0) write_topic_cursor(state_->partition(), cursor_, batch_);
  }
  job->batch = std::move(batch_);
  job->commands = batch.size();
  job->retries = retries_in_batch_;
  job->last_sequence = state_->last_sequence();
  std::unique_lock lock(commit_mutex_);
  // At most kCommitsInFlight batches wait for the disk: the writer decides the
  // next batch while the previous one is synced, and no further ahead.
  commit_space_.wait(lock, [&] { return commit_queue_.size() < kCommitsInFlight; });
  commit_queue_.push_back(std::move(job));
  commit_ready_.notify_one();
}

void Partition::run_committer() {
  for (;;) {
    std::unique_ptr<CommitJob> job;
    {
      std::unique_lock lock(commit_mutex_);
      commit_ready_.wait(lock, [&] { return commit_stopping_ || !commit_queue_.empty(); });
      if (commit_queue_.empty()) return;  // stopping and drained
      job = std::move(commit_queue_.front());
      commit_queue_.pop_front();
      committing_ = true;
      commit_space_.notify_all();
    }
    commit(*job);
    {
      std::lock_guard lock(commit_mutex_);
      committing_ = false;
    }
    commit_space_.notify_all();  // the writer may wait for an idle committer (reload)
  }
}

void Partition::forget_batch(const CommitJob& job) {
  std::lock_guard lock(commit_mutex_);
  for (const StateWrite& w : job.batch.writes) {
    if (w.table == StateTable::kIdempotency) lost_keys_.push_back(w.key);
  }
}

void Partition::commit(CommitJob& job) {
  bool lost = !job.batch.events.empty() && failed_.load();
  if (!job.batch.events.empty() && !failed_.load()) {
    const auto started = std::chrono::steady_clock::now();
    Status st = journal_.commit(job.batch);
    commit_seconds_.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    if (st) {
      committed_sequence_.store(job.last_sequence, std::memory_order_release);
      if (on_commit_) on_commit_();
    } else {
      // Memory state is now ahead of the store: no command is taken until
      // the state is reloaded from it. Nothing of this batch is acknowledged.
      fail(st);
      lost = true;
    }
  }
  if (lost) forget_batch(job);
  if (failed_.load()) {
    std::unique_lock lock(mutex_);
    const Status refusal = failure_status();
    lock.unlock();
    for (Pending& p : job.answers) {
      if (p.outcome.status.is_ok()) p.outcome = {refusal, nullptr, false};
    }
  }
  {
    std::lock_guard lock(stats_mutex_);
    stats_.commands += job.commands;
    stats_.batches += 1;
    stats_.events += lost ? 0 : job.batch.events.size();
    stats_.retries += job.retries;
    stats_.failed_commits += lost ? 1 : 0;
  }
  batch_commands_.observe(double(job.commands));
  for (Pending& p : job.answers) {
    if (p.event_index != std::string::npos && p.outcome.status.is_ok()) {
      AUTORIZA_CHECK(p.event_index < job.batch.events.size());
      p.outcome.event = std::move(job.batch.events[p.event_index].bytes);
    }
    p.done(std::move(p.outcome));
  }
}

}  // namespace autoriza
