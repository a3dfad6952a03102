#pragma once
// The store is private to the user that runs autoriza (issue 17): it holds
// the names, CUILs and e-mails of every affiliate, the documents providers
// send, the mail spool and, in development, keys and passwords. Its folders
// are 0700 and its files 0600:
//   - folders autoriza makes are made 0700 (make_private_dir), and the
//     store's own folder is set 0700 whenever it is opened for writing, so
//     nothing under it is reachable by another user, whatever its mode;
//   - files autoriza writes itself are created 0600 (kPrivateFileMode);
//   - RocksDB (journal and projections) creates its files 0644 less the
//     umask, and offers no mode of its own (Env::SetAllowNonOwnerAccess does
//     not reach its file system in 7.8): the `autoriza` binary runs with
//     umask 077 (kPrivateUmask, app/main.cc), so they are 0600 too;
//   - a store written before the rule is tightened when it is opened for
//     writing (make_private_tree).
#include <sys/types.h>

#include <filesystem>

#include "engine/core/status.h"

namespace autoriza {

inline constexpr mode_t kPrivateDirMode = 0700;
inline constexpr mode_t kPrivateFileMode = 0600;
inline constexpr mode_t kPrivateUmask = 077;

// Makes dir and each missing parent 0700 (mkdir with that mode, so there is
// no moment when another user may enter); an existing dir is set to 0700.
// kIoError naming the folder when it cannot be made or changed.
Status make_private_dir(const std::filesystem::path& dir);

// make_private_dir(root), then every folder below root 0700 and every file
// 0600 (symbolic links are left alone, never followed). kIoError naming the
// first entry that could not be changed.
Status make_private_tree(const std::filesystem::path& root);

// Sets file (just created, before anything is written to it) to 0600.
Status make_private_file(const std::filesystem::path& file);

}  // namespace autoriza
