#include "engine/backup.h"

#include <sys/stat.h>

namespace autoriza {

namespace fs = std::filesystem;

namespace {

bool all_digits(const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos; }

// Copies a file or folder (recursively); a file is hard-linked when it is
// on the same file system (documents never change once written).
Status copy_entry(const fs::path& from, const fs::path& to, bool link, BackupReport* report) {
  std::error_code ec;
  if (fs::is_directory(from)) {
    fs::create_directories(to, ec);
    if (ec) return Status::io_error("cannot create " + to.string() + ": " + ec.message());
    ::chmod(to.c_str(), 0700);
    for (const fs::directory_entry& e : fs::directory_iterator(from, ec)) {
      if (Status s = copy_entry(e.path(), to / e.path().filename(), link, report); !s) return s;
    }
    return ec ? Status::io_error("cannot list " + from.string() + ": " + ec.message()) : Status::ok();
  }
  if (!fs::is_regular_file(from)) return Status::ok();  // sockets, leftovers: not part of a store
  if (!link || (fs::create_hard_link(from, to, ec), ec)) {
    ec.clear();
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) return Status::io_error("cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
    ::chmod(to.c_str(), 0600);
  }
  ++report->files;
  report->bytes += fs::file_size(to, ec);
  return Status::ok();
}

// The store's files that are not RocksDB's, nor projections: the mail
// spool (and its cursor), documents, development keys.
Status copy_extras(const fs::path& store, const fs::path& to, bool documents, BackupReport* report) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::directory_iterator(store, ec)) {
    const std::string name = e.path().filename().string();
    if (is_rocksdb_file(name) || name == "projections" || name.ends_with(".tmp")) continue;
    if ((name == "documents") != documents) continue;
    if (Status s = copy_entry(e.path(), to / name, /*link=*/name == "documents", report); !s) return s;
  }
  return ec ? Status::io_error("cannot list " + store.string() + ": " + ec.message()) : Status::ok();
}

void say(const std::function<void(const std::string&)>& progress, const std::string& what) {
  if (progress) progress(what);
}

}  // namespace

bool is_rocksdb_file(const std::string& name) {
  const size_t dot = name.rfind('.');
  if (dot != std::string::npos && all_digits(name.substr(0, dot))) {
    const std::string ext = name.substr(dot + 1);
    return ext == "sst" || ext == "log" || ext == "blob";
  }
  return name == "CURRENT" || name == "IDENTITY" || name == "LOCK" || name.starts_with("LOG") ||
         name.starts_with("MANIFEST-") || name.starts_with("OPTIONS-");
}

Status backup_store(const Journal& journal, const fs::path& store, const fs::path& to, BackupReport* report,
                    const std::function<void(const std::string&)>& progress) {
  *report = BackupReport();
  if (fs::exists(to)) return Status::invalid("the backup folder " + to.string() + " already exists: name a new one", "to");
  const fs::path staging = to.string() + ".tmp";
  std::error_code ec;
  fs::remove_all(staging, ec);
  const fs::path extras = staging / "extras";
  fs::create_directories(extras, ec);
  if (ec) return Status::io_error("cannot create " + extras.string() + ": " + ec.message());
  say(progress, "mail spool and keys");
  if (Status s = copy_extras(store, extras, false, report); !s) return s;
  say(progress, "journal checkpoint");
  if (Status s = journal.checkpoint(staging / "store"); !s) return s;
  say(progress, "documents");
  if (Status s = copy_extras(store, extras, true, report); !s) return s;
  // One folder, the store as it will be restored.
  for (const fs::directory_entry& e : fs::directory_iterator(extras, ec)) {
    fs::rename(e.path(), staging / "store" / e.path().filename(), ec);
    if (ec) return Status::io_error("cannot move " + e.path().string() + ": " + ec.message());
  }
  fs::remove(extras, ec);
  *report = BackupReport();  // what the backup holds, checkpoint included
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(staging / "store", ec)) {
    if (e.is_regular_file()) ++report->files, report->bytes += e.file_size();
  }
  fs::rename(staging, to, ec);  // the backup appears whole or not at all
  if (ec) return Status::io_error("cannot rename " + staging.string() + " to " + to.string() + ": " + ec.message());
  ::chmod(to.c_str(), 0700);
  return Status::ok();
}

Status restore_store(const fs::path& from, const fs::path& store, BackupReport* report,
                     const std::function<void(const std::string&)>& progress) {
  *report = BackupReport();
  const fs::path source = from / "store";
  if (!fs::exists(source / "CURRENT")) return Status::invalid(from.string() + " is not a backup of `autoriza backup`", "from");
  std::error_code ec;
  if (fs::exists(store) && !fs::is_empty(store, ec)) {
    return Status::invalid("the store " + store.string() + " is not empty: restore into a new folder", "store");
  }
  say(progress, "copying");
  if (Status s = copy_entry(source, store, /*link=*/false, report); !s) return s;
  say(progress, "opening");
  RocksJournalOptions options;
  options.read_only = true;
  options.statistics = false;
  Status s;
  if (!open_rocks_journal(store, options, &s)) return s;
  return Status::ok();
}

}  // namespace autoriza
