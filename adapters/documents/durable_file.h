#pragma once
// Files of the documents store written so a crash never leaves half of one:
// a temporary file in the same folder, written, fsynced, renamed over the
// final name, then the folder fsynced (the rename is then durable too).
// POSIX only (open, fsync, rename, flock).
#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

#include "engine/core/status.h"

namespace autoriza::documents {

// Prefix of temporary files (".tmp-<pid>-<n>-<random>"): never a hash.
inline constexpr std::string_view kTempPrefix = ".tmp-";

// Makes dir (and its parents) if missing; when it made dir and sync, fsyncs
// its parent so the new entry survives a crash. kIoError on failure.
Status ensure_dir(const std::filesystem::path& dir, bool sync);

// Writes bytes as dir/name (name: a plain file name the caller built), as
// the header says; without sync, the temporary file and rename only.
Status write_file_durably(const std::filesystem::path& dir, std::string_view name, std::string_view bytes, bool sync);

// The whole file. kNotFound when it does not exist; kIoError when it cannot
// be read or holds more than max_bytes (the caller's bound).
Status read_file(const std::filesystem::path& path, size_t max_bytes, std::string* out);

// An exclusive flock(2) of dir/.lock, held for the object's life. flock
// locks belong to an open file description, so two threads of one process
// exclude each other as two processes do (a shared volume of several
// gateways).
class FolderLock {
 public:
  FolderLock() = default;
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  // Blocks until the lock is held. kIoError when dir/.lock cannot be opened.
  Status acquire(const std::filesystem::path& dir);

 private:
  int fd_ = -1;
};

}  // namespace autoriza::documents
