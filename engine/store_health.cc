#include "engine/store_health.h"

#include <spdlog/spdlog.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace autoriza {

namespace {

constexpr const char* kReadsGoOn = "las consultas siguen respondiendo";

}  // namespace

Status disk_space(const std::filesystem::path& path, uint64_t* available_bytes, uint64_t* size_bytes) {
  struct statvfs fs {};
  if (statvfs(path.c_str(), &fs) != 0) {
    return Status::io_error("statvfs " + path.string() + ": " + std::strerror(errno));
  }
  *available_bytes = uint64_t(fs.f_bavail) * fs.f_frsize;
  *size_bytes = uint64_t(fs.f_blocks) * fs.f_frsize;
  return Status::ok();
}

std::string mebibytes_text(uint64_t bytes) {
  constexpr uint64_t kMiB = uint64_t(1) << 20;
  const uint64_t tenths = bytes / kMiB * 10 + ((bytes % kMiB) * 10 + kMiB / 2) / kMiB;  // rounded to 0.1 MiB
  std::string text = std::to_string(tenths / 10);
  if (tenths % 10 != 0) text += "," + std::to_string(tenths % 10);
  return text + " MiB";
}

StoreWatch::StoreWatch(std::filesystem::path store, Journal& journal, uint64_t reserve_bytes,
                       std::function<bool()> recover)
    : store_(std::move(store)), journal_(journal), reserve_bytes_(reserve_bytes), recover_(std::move(recover)) {
  AUTORIZA_CHECK(recover_ != nullptr);
}

StoreWatch::~StoreWatch() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void StoreWatch::start(std::chrono::milliseconds period) {
  AUTORIZA_CHECK(period.count() > 0 && !thread_.joinable());
  thread_ = std::thread([this, period] {
    pthread_setname_np(pthread_self(), "az-store-watch");
    run(period);
  });
}

void StoreWatch::run(std::chrono::milliseconds period) {
  for (;;) {
    check();
    std::unique_lock lock(stop_mutex_);
    if (stop_cv_.wait_for(lock, period, [&] { return stopping_; })) return;
  }
}

std::string StoreWatch::unwritable_reason(uint64_t available, bool space_known, StatusKind* kind) {
  *kind = StatusKind::kStoreFull;
  if (space_known && available < reserve_bytes_) {
    // No resume below the reserve: RocksDB's resume flushes memtables, which needs room.
    return "el disco del almacén está lleno: quedan " + mebibytes_text(available) + " libres y la reserva es de " +
           mebibytes_text(reserve_bytes_) + "; no se registran operaciones hasta liberar espacio (" + kReadsGoOn + ")";
  }
  if (Status health = journal_.write_health(); !health) {
    const Status resumed = journal_.resume();
    if (!resumed) {
      if (health.kind() == StatusKind::kStoreFull || resumed.kind() == StatusKind::kStoreFull) {
        return std::string("el disco del almacén está lleno: una escritura falló por falta de espacio y no se "
                           "registran operaciones hasta que haya espacio (") + kReadsGoOn + ")";
      }
      *kind = StatusKind::kUnavailable;
      return "el almacén dejó de escribir por un error del disco (" + resumed.message() + "); " + kReadsGoOn;
    }
    spdlog::warn("store: {} resumed after: {}", store_.string(), health.message());
    resumes_.fetch_add(1, std::memory_order_relaxed);
  }
  if (!recover_()) {
    *kind = StatusKind::kUnavailable;
    return std::string("el almacén se está recuperando de una escritura fallida; reintente en unos segundos (") +
           kReadsGoOn + ")";
  }
  return {};
}

void StoreWatch::check() {
  std::lock_guard check_lock(check_mutex_);
  uint64_t available = 0, size = 0;
  const Status space = disk_space(store_, &available, &size);
  if (!space) spdlog::warn("store: {}", space.message());  // judged by the journal alone meanwhile
  StatusKind kind = StatusKind::kStoreFull;
  std::string reason = unwritable_reason(available, space.is_ok(), &kind);
  const bool writable = reason.empty();
  {
    std::lock_guard lock(mutex_);
    if (space) {
      available_bytes_ = available;
      size_bytes_ = size;
    }
    if (reason != reason_ && !writable) spdlog::error("store: {}: commands refused: {}", store_.string(), reason);
    reason_ = std::move(reason);
    refusal_kind_ = kind;
  }
  if (writable_.exchange(writable, std::memory_order_acq_rel) != writable && writable) {
    spdlog::warn("store: {} takes commands again ({} free)", store_.string(), mebibytes_text(available));
  }
}

Status StoreWatch::refuse() {
  refused_.fetch_add(1, std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  if (reason_.empty()) return Status::unavailable("el almacén no registra operaciones en este momento; reintente");
  return refusal_kind_ == StatusKind::kStoreFull ? Status::store_full(reason_) : Status::unavailable(reason_);
}

StoreHealthReport StoreWatch::report() const {
  StoreHealthReport r;
  r.writable = writable();
  r.reserve_bytes = reserve_bytes_;
  r.refused_writes = refused_.load(std::memory_order_relaxed);
  r.resumes = resumes_.load(std::memory_order_relaxed);
  std::lock_guard lock(mutex_);
  r.reason = r.writable ? std::string() : reason_;
  r.available_bytes = available_bytes_;
  r.size_bytes = size_bytes_;
  return r;
}

}  // namespace autoriza
