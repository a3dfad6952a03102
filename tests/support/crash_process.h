#pragma once
// Crash-test support: the `autoriza` binary as a child process.
//
// ServerProcess starts `autoriza serve ...` with its stdout on a pipe (drained
// by a reader thread, so the child never blocks on it) and its stderr in a log
// file, waits for the "autoriza serving HTTP on HOST:PORT" line and parses the
// port. Its destructor SIGKILLs and reaps a child that is still running, so a
// failing test never leaves a server behind. run_command() runs a short-lived
// command (`autoriza replay ...`) with a time limit.
//
// Every wait is bounded.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace autoriza::crash {

using Clock = std::chrono::steady_clock;

// A fresh directory under the system temp dir, removed on destruction
// (kept when AUTORIZA_KEEP_CRASH_DIRS is set, for post-mortems).
class TempDir {
 public:
  explicit TempDir(const std::string& tag) {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("autoriza-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    if (std::getenv("AUTORIZA_KEEP_CRASH_DIRS") != nullptr) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline std::string read_file_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Spawns argv with stdout/stderr on the given descriptors, default signal
// dispositions and an empty signal mask; with own_group, in a process group
// of its own that it leads (so its children can be signalled with it).
// Returns the pid, or -1 (error set).
inline pid_t spawn_process(const std::vector<std::string>& argv, int stdout_fd, int stderr_fd, std::string* error,
                           bool own_group = false) {
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, stderr_fd, STDERR_FILENO);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t empty, defaults;
  sigemptyset(&empty);
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigmask(&attr, &empty);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  short flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF;
  if (own_group) {
    posix_spawnattr_setpgroup(&attr, 0);
    flags |= POSIX_SPAWN_SETPGROUP;
  }
  posix_spawnattr_setflags(&attr, flags);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, args[0], &actions, &attr, args.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    if (error) *error = "posix_spawn " + argv[0] + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

// Waits for pid up to timeout. Returns the wait status, or nullopt on timeout
// (the child is then still running and still to be reaped).
inline std::optional<int> wait_for_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return -1;  // not our child any more: nothing to wait for
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

inline std::string describe_wait_status(int status) {
  if (WIFEXITED(status)) return "exit " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("signal ") + strsignal(WTERMSIG(status));
  return "wait status " + std::to_string(status);
}

// Runs argv to completion (stdout and stderr into output) within timeout.
// Returns the wait status; nullopt when it could not start or timed out (it
// is then killed and reaped).
inline std::optional<int> run_command(const std::vector<std::string>& argv, const std::filesystem::path& log,
                                      std::chrono::milliseconds timeout, std::string* output) {
  const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (output) *output = "cannot open " + log.string() + ": " + std::strerror(errno);
    return std::nullopt;
  }
  std::string error;
  const pid_t pid = spawn_process(argv, fd, fd, &error);
  ::close(fd);
  if (pid < 0) {
    if (output) *output = error;
    return std::nullopt;
  }
  std::optional<int> status = wait_for_exit(pid, timeout);
  if (!status) {
    ::kill(pid, SIGKILL);
    wait_for_exit(pid, std::chrono::seconds(10));
  }
  if (output) *output = read_file_text(log) + (status ? "" : "\n[timed out and killed]");
  return status;
}

class ServerProcess {
 public:
  ServerProcess() = default;
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait_for_exit(pid_, std::chrono::seconds(10));
      pid_ = -1;
    }
    join_reader();
  }

  // Starts argv (argv[0] the binary) and waits for the ready line. On
  // failure the child is killed and reaped and error explains.
  bool start(const std::vector<std::string>& argv, const std::filesystem::path& stderr_log,
             std::chrono::milliseconds timeout, std::string* error) {
    join_reader();
    {
      std::lock_guard lock(mutex_);
      stdout_.clear();
      eof_ = false;
    }
    port_ = 0;
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      *error = std::string("pipe2: ") + std::strerror(errno);
      return false;
    }
    const int log_fd = ::open(stderr_log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (log_fd < 0) {
      *error = "cannot open " + stderr_log.string() + ": " + std::strerror(errno);
      ::close(pipe_fds[0]);
      ::close(pipe_fds[1]);
      return false;
    }
    pid_ = spawn_process(argv, pipe_fds[1], log_fd, error);
    ::close(pipe_fds[1]);
    ::close(log_fd);
    if (pid_ < 0) {
      ::close(pipe_fds[0]);
      return false;
    }
    const int read_fd = pipe_fds[0];
    reader_ = std::thread([this, read_fd] {
      char buf[4096];
      for (;;) {
        const ssize_t n = ::read(read_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        std::lock_guard lock(mutex_);
        if (n <= 0) {
          eof_ = true;
          cv_.notify_all();
          break;
        }
        stdout_.append(buf, size_t(n));
        cv_.notify_all();
      }
      ::close(read_fd);
    });

    static constexpr std::string_view kReady = "autoriza serving HTTP on ";
    std::unique_lock lock(mutex_);
    const bool ready = cv_.wait_for(lock, timeout, [&] {
      const size_t at = stdout_.find(kReady);
      return eof_ || (at != std::string::npos && stdout_.find('\n', at) != std::string::npos);
    });
    const size_t at = stdout_.find(kReady);
    if (!ready || at == std::string::npos) {
      *error = std::string(ready ? "the server exited before it was ready" : "no ready line within the time limit") +
               "; stdout:\n" + stdout_ + "\nstderr:\n" + read_file_text(stderr_log);
      lock.unlock();
      kill_and_reap();
      return false;
    }
    const size_t begin = at + kReady.size();
    const std::string address = stdout_.substr(begin, stdout_.find_first_of(" \n", begin) - begin);
    lock.unlock();
    const size_t colon = address.rfind(':');
    int port = 0;
    try {
      port = colon == std::string::npos ? 0 : std::stoi(address.substr(colon + 1));
    } catch (...) {
      port = 0;
    }
    if (port <= 0 || port > 65535) {
      *error = "cannot parse the port of '" + address + "'";
      kill_and_reap();
      return false;
    }
    port_ = uint16_t(port);
    return true;
  }

  // SIGKILL and reap (bounded). Returns the wait status (-1 when not reaped).
  int kill_and_reap() {
    if (pid_ <= 0) return -1;
    ::kill(pid_, SIGKILL);
    std::optional<int> status = wait_for_exit(pid_, std::chrono::seconds(10));
    pid_ = -1;
    join_reader();
    return status.value_or(-1);
  }

  // SIGTERM and wait; on timeout SIGKILL. Returns the wait status, or
  // nullopt when the graceful stop timed out.
  std::optional<int> terminate(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return std::nullopt;
    ::kill(pid_, SIGTERM);
    std::optional<int> status = wait_for_exit(pid_, timeout);
    if (!status) {
      kill_and_reap();
      return std::nullopt;
    }
    pid_ = -1;
    join_reader();
    return status;
  }

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  uint16_t port() const { return port_; }
  std::string stdout_text() const {
    std::lock_guard lock(mutex_);
    return stdout_;
  }

 private:
  void join_reader() {
    // The reader ends at EOF, which comes once the child (the only other
    // holder of the pipe's write end) is gone.
    if (reader_.joinable()) reader_.join();
  }

  pid_t pid_ = -1;
  uint16_t port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::string stdout_;
  bool eof_ = false;
};

}  // namespace autoriza::crash
