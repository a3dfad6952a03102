#pragma once
// RocksDB's info log (LOG in a database's folder), written by the process
// with plain write(2) whose errors are ignored. RocksDB's own logger
// (EnvLogger in 7.8) writes through a WritableFileWriter that remembers a
// failed write; on a full disk its next line then hit an assertion in
// Debian's librocksdb build (`sync_without_flush_called_`) and aborted the
// process: the abort a full disk used to cause. Here a line that does not
// fit is lost, nothing else. RocksDB's ERROR and FATAL lines also go to the
// process's log (spdlog), where operators look.
#include <filesystem>
#include <memory>
#include <string>

namespace rocksdb {
class Logger;
}

namespace autoriza {

// A logger for the database in dir (which must exist): dir/LOG, 0600,
// appended to (a LOG over 64 MiB is moved to LOG.old first). name says which
// database in the process's log ("store", "projections"). Null when the file
// cannot be opened: RocksDB then makes its own.
std::shared_ptr<rocksdb::Logger> make_rocks_log(const std::filesystem::path& dir, std::string name);

}  // namespace autoriza
