#include "adapters/documents/durable_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cassert>
#include <cstring>
#include <random>

#include "engine/private_files.h"

namespace autoriza::documents {
namespace {

Status io_error(std::string_view what, const std::filesystem::path& path, int error) {
  return Status::io_error(std::string(what) + " " + path.string() + ": " + std::strerror(error));
}

// Closes a descriptor at scope exit.
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

Status fsync_path(const std::filesystem::path& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) return io_error("open", path, errno);
  if (::fsync(f.fd) != 0) return io_error("fsync", path, errno);
  return Status::ok();
}

// A name no other thread or process uses at the same time.
std::string temp_name() {
  static std::atomic<uint64_t> counter{0};
  thread_local std::mt19937_64 random{std::random_device{}()};
  return std::string(kTempPrefix) + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1, std::memory_order_relaxed)) + "-" + std::to_string(random());
}

Status write_all(int fd, std::string_view bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return io_error("write", path, n < 0 ? errno : EIO);
    bytes.remove_prefix(size_t(n));
  }
  return Status::ok();
}

}  // namespace

Status ensure_dir(const std::filesystem::path& dir, bool sync) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return Status::ok();
  if (Status s = make_private_dir(dir); !s) return s;  // documents are personal data: 0700
  return sync ? fsync_path(dir.parent_path()) : Status::ok();
}

Status write_file_durably(const std::filesystem::path& dir, std::string_view name, std::string_view bytes, bool sync) {
  assert(!name.empty() && name.find('/') == std::string_view::npos);
  const std::filesystem::path temp = dir / temp_name();
  const std::filesystem::path target = dir / name;
  Status s;
  {
    Fd f{::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kPrivateFileMode)};
    if (f.fd < 0) return io_error("create", temp, errno);
    s = write_all(f.fd, bytes, temp);
    if (s && sync && ::fsync(f.fd) != 0) s = io_error("fsync", temp, errno);
  }
  if (s && ::rename(temp.c_str(), target.c_str()) != 0) s = io_error("rename to", target, errno);
  if (!s) {
    ::unlink(temp.c_str());
    return s;
  }
  return sync ? fsync_path(dir) : Status::ok();
}

Status read_file(const std::filesystem::path& path, size_t max_bytes, std::string* out) {
  assert(out != nullptr);
  out->clear();
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0 && errno == ENOENT) return Status::not_found("no file " + path.string());
  if (f.fd < 0) return io_error("open", path, errno);
  struct stat st {};
  if (::fstat(f.fd, &st) != 0) return io_error("stat", path, errno);
  if (uint64_t(st.st_size) > max_bytes)
    return Status::io_error(path.string() + " is over " + std::to_string(max_bytes) + " bytes");
  out->resize(size_t(st.st_size));
  size_t done = 0;
  while (done < out->size()) {
    const ssize_t n = ::read(f.fd, out->data() + done, out->size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error("read", path, errno);
    if (n == 0) break;  // shorter than it was: what was read is checked by the caller
    done += size_t(n);
  }
  out->resize(done);
  return Status::ok();
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock
}

Status FolderLock::acquire(const std::filesystem::path& dir) {
  assert(fd_ < 0);
  const std::filesystem::path path = dir / ".lock";
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, kPrivateFileMode);
  if (fd_ < 0) return io_error("open", path, errno);
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno != EINTR) return io_error("flock", path, errno);
  }
  return Status::ok();
}

}  // namespace autoriza::documents
