#pragma once
// The connections of a listener (HTTP, binary TCP), bounded, with the
// oldest idle connection evicted to make room (issue 17: 1,024 idle sockets
// used to lock every client out for the whole idle timeout).
//
// A connection is idle while it waits for a request with nothing in progress:
// never sent a byte yet, or between requests of a keep-alive connection. It
// says so through its IdleMark, on its own strand; the acceptor may then
// evict it from any thread. The mark is one atomic so the two cannot both
// win: a connection whose first byte arrives first is busy and is never
// evicted; one evicted first closes without reading the bytes that came.
// Connections with a request in progress are never evicted: when every
// connection in the table is busy, a new one is refused as before.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "engine/core/status.h"  // AUTORIZA_CHECK

namespace autoriza {

class IdleMark {
 public:
  // On the connection's strand: it waits for a request with nothing in
  // progress. False when it was evicted (its close is on its way).
  bool set_idle() {
    since_ns_.store(now_ns(), std::memory_order_relaxed);
    State expected = State::kBusy;
    return state_.compare_exchange_strong(expected, State::kIdle, std::memory_order_acq_rel) ||
           expected == State::kIdle;
  }
  // On the connection's strand: a request began. False when the connection
  // was evicted first: it must close without handling what it read.
  bool set_busy() {
    State expected = State::kIdle;
    return state_.compare_exchange_strong(expected, State::kBusy, std::memory_order_acq_rel) ||
           expected == State::kBusy;
  }
  // Any thread: whether it is idle, and since when (steady clock, ns).
  bool idle(int64_t* since_ns) const {
    if (state_.load(std::memory_order_acquire) != State::kIdle) return false;
    *since_ns = since_ns_.load(std::memory_order_relaxed);
    return true;
  }
  // Any thread: idle -> evicted, once. True when this call evicted it.
  bool try_evict() {
    State expected = State::kIdle;
    return state_.compare_exchange_strong(expected, State::kEvicted, std::memory_order_acq_rel);
  }
  bool evicted() const { return state_.load(std::memory_order_acquire) == State::kEvicted; }

 private:
  enum class State : uint8_t { kBusy, kIdle, kEvicted };
  static int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
  }
  // A new connection has sent nothing: idle from the start, so a flood of
  // connections accepted faster than they start cannot fill the table with
  // connections that look busy.
  std::atomic<State> state_{State::kIdle};
  std::atomic<int64_t> since_ns_{now_ns()};
};

// Connection needs `IdleMark& idle_mark()` and `void close(std::function<void()>)`
// (thread-safe: closes on its strand).
template <typename Connection>
class ConnectionTable {
 public:
  explicit ConnectionTable(size_t connections_max) : max_(connections_max) { AUTORIZA_CHECK(max_ >= 1); }

  enum class Added : uint8_t {
    kAdded,    // there was room
    kEvicted,  // the connection idle the longest was closed to make room
    kFull,     // every connection has a request in progress: refused
    kClosed,   // take_all() ran: refused
  };

  // Registers connection so take_all() finds it; makes room by evicting the
  // oldest idle connection when the table holds connections_max.
  Added add(const std::shared_ptr<Connection>& connection) {
    std::shared_ptr<Connection> evicted;
    Added added = Added::kAdded;
    {
      std::lock_guard lock(mutex_);
      if (closed_) return Added::kClosed;
      if (connections_.size() >= max_) {
        std::erase_if(connections_, [](const std::weak_ptr<Connection>& c) { return c.expired(); });
      }
      if (connections_.size() >= max_) {
        evicted = evict_oldest_idle();
        if (!evicted) return Added::kFull;
        added = Added::kEvicted;
      }
      connections_.push_back(connection);
      AUTORIZA_CHECK(connections_.size() <= max_);
    }
    if (evicted) evicted->close(nullptr);  // on its strand; outside the lock
    return added;
  }

  // A graceful stop, after the listener closed: closes every idle
  // connection, again and again as busy ones finish their request (they
  // answer it first), until none is busy or `within` has passed. Returns
  // how many were still busy then (take_all() closes them). Nothing is
  // added after this call.
  size_t drain(std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    // The closes run on the connections' strands: waited for before
    // returning, so the caller may stop the I/O threads after it.
    struct Closing {
      std::mutex mutex;
      std::condition_variable done;
      size_t pending = 0;
    };
    auto closing = std::make_shared<Closing>();
    const auto close = [&closing](const std::shared_ptr<Connection>& c) {
      {
        std::lock_guard lock(closing->mutex);
        ++closing->pending;
      }
      c->close([closing] {
        std::lock_guard lock(closing->mutex);
        --closing->pending;
        closing->done.notify_all();
      });
    };
    const auto busy_left = [&](size_t busy) {
      std::unique_lock lock(closing->mutex);
      closing->done.wait_for(lock, std::chrono::seconds(5), [&] { return closing->pending == 0; });
      return busy;
    };
    for (;;) {
      std::vector<std::shared_ptr<Connection>> idle;
      size_t busy = 0;
      {
        std::lock_guard lock(mutex_);
        closed_ = true;
        std::erase_if(connections_, [&](const std::weak_ptr<Connection>& weak) {
          const std::shared_ptr<Connection> c = weak.lock();
          if (!c) return true;
          int64_t since_ns = 0;
          if (c->idle_mark().idle(&since_ns) && c->idle_mark().try_evict()) {
            idle.push_back(c);
            return true;
          }
          ++busy;
          return false;
        });
      }
      for (const std::shared_ptr<Connection>& c : idle) close(c);  // on its strand; outside the lock
      if (busy == 0 || std::chrono::steady_clock::now() >= deadline) return busy_left(busy);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }

  // The live connections; nothing is added after this call.
  std::vector<std::shared_ptr<Connection>> take_all() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    std::vector<std::shared_ptr<Connection>> live;
    live.reserve(connections_.size());
    for (const std::weak_ptr<Connection>& weak : connections_) {
      if (auto connection = weak.lock()) live.push_back(std::move(connection));
    }
    connections_.clear();
    return live;
  }

 private:
  // Under mutex_: removes the connection idle the longest from the table and
  // returns it (evicted), or null when none is idle. A connection that turns
  // busy between the scan and the eviction is skipped; a few rescans bound
  // the work (each scan is O(connections_max)).
  std::shared_ptr<Connection> evict_oldest_idle() {
    constexpr int kScansMax = 4;
    for (int scan = 0; scan < kScansMax; ++scan) {
      size_t oldest = connections_.size();
      int64_t oldest_ns = 0;
      for (size_t i = 0; i < connections_.size(); ++i) {
        const std::shared_ptr<Connection> c = connections_[i].lock();
        int64_t since_ns = 0;
        if (c && c->idle_mark().idle(&since_ns) && (oldest == connections_.size() || since_ns < oldest_ns)) {
          oldest = i;
          oldest_ns = since_ns;
        }
      }
      if (oldest == connections_.size()) return nullptr;
      std::shared_ptr<Connection> victim = connections_[oldest].lock();
      if (!victim || !victim->idle_mark().try_evict()) continue;  // it began a request meanwhile
      connections_[oldest] = std::move(connections_.back());
      connections_.pop_back();
      return victim;
    }
    return nullptr;
  }

  const size_t max_;
  std::mutex mutex_;
  std::vector<std::weak_ptr<Connection>> connections_;  // at most max_
  bool closed_ = false;
};

}  // namespace autoriza
