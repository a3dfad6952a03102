#pragma once
// Backup and restore of a store (ops/README.md, "Backup"). A backup is a
// complete store but for its projections, which a server rebuilds from the
// log: the journal as of one commit (a RocksDB checkpoint, taken while
// commands go on), and the store's other files (the mail spool and its
// cursor, uploaded documents, development keys).
//
// Order, so that a restored store is whole: the mail spool is copied before
// the checkpoint (a mail of an event after it is sent again after a
// restore, never lost); documents after it (every document a command of the
// checkpoint names was uploaded before that command).
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "engine/journal.h"

namespace autoriza {

struct BackupReport {
  uint64_t files = 0;  // copied or linked, the checkpoint's included
  uint64_t bytes = 0;
};

// Writes the backup of the store at `store` (served by journal) into `to`,
// which must not exist. progress (may be empty) hears each step's name.
Status backup_store(const Journal& journal, const std::filesystem::path& store, const std::filesystem::path& to,
                    BackupReport* report, const std::function<void(const std::string&)>& progress = {});

// Copies backup `from` into `store`, which must not exist or be empty, and
// opens it to prove it whole (read-only). The server rebuilds projections
// when it starts on it.
Status restore_store(const std::filesystem::path& from, const std::filesystem::path& store, BackupReport* report,
                     const std::function<void(const std::string&)>& progress = {});

// Whether a file name of a store folder is RocksDB's own (tables, logs,
// manifests, options, LOCK, LOG): what a checkpoint copies.
bool is_rocksdb_file(const std::string& name);

}  // namespace autoriza
