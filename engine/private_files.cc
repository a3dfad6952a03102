// Folders 0700 and files 0600 under the store (see private_files.h).
#include "engine/private_files.h"

#include <errno.h>
#include <sys/stat.h>

#include <cassert>
#include <cstring>
#include <vector>

namespace autoriza {
namespace {

namespace fs = std::filesystem;

Status mode_error(const char* what, const fs::path& path, int error) {
  return Status::io_error(std::string(what) + " " + path.string() + ": " + std::strerror(error));
}

Status set_mode(const fs::path& path, mode_t mode) {
  if (::chmod(path.c_str(), mode) != 0) return mode_error("cannot make private", path, errno);
  return Status::ok();
}

}  // namespace

Status make_private_dir(const fs::path& dir) {
  assert(!dir.empty());
  // The missing folders, innermost first; made outermost first.
  std::vector<fs::path> missing;
  constexpr size_t kDepthMax = 64;  // deeper than any store path
  std::error_code ec;
  for (fs::path p = dir; !p.empty() && !fs::exists(p, ec) && missing.size() < kDepthMax; p = p.parent_path()) {
    missing.push_back(p);
    if (p == p.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), kPrivateDirMode) != 0 && errno != EEXIST) return mode_error("cannot make", *it, errno);
  }
  if (!fs::is_directory(dir, ec)) return Status::io_error(dir.string() + " is not a folder");
  return set_mode(dir, kPrivateDirMode);  // an existing one, or one the umask narrowed further
}

Status make_private_tree(const fs::path& root) {
  if (Status s = make_private_dir(root); !s) return s;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::file_status status = it->symlink_status(ec);
    if (ec) break;
    const mode_t want = fs::is_directory(status) ? kPrivateDirMode : kPrivateFileMode;
    if (fs::is_symlink(status) || (!fs::is_directory(status) && !fs::is_regular_file(status))) continue;
    if (mode_t(status.permissions()) == want) continue;
    if (Status s = set_mode(it->path(), want); !s) return s;
  }
  if (ec) return Status::io_error("cannot list " + root.string() + ": " + ec.message());
  return Status::ok();
}

Status make_private_file(const fs::path& file) { return set_mode(file, kPrivateFileMode); }

}  // namespace autoriza
