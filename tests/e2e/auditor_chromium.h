#pragma once
// E2E support for the auditors' page: headless Chromium as a child process.
//
// find_chromium() looks for the browser (AUTORIZA_CHROMIUM, then the usual
// Debian/Ubuntu/Google paths, then PATH). ChromiumProcess starts it headless
// with a fresh profile and `--remote-debugging-port=0`, in a process group
// of its own (the browser forks renderer, GPU and zygote processes), and
// waits until the DevTools endpoint is known: Chromium writes
// "<profile>/DevToolsActivePort" (line 1 the port, line 2 the browser's
// WebSocket path) and prints "DevTools listening on ws://..." on stderr.
// The destructor SIGKILLs the whole group and reaps the browser, so a failing
// test never leaves a browser behind. Every wait is bounded.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/crash_process.h"  // spawn_process, read_file_text

namespace autoriza::e2e {

// The browser's executable, or empty when none is installed.
inline std::string find_chromium() {
  auto executable = [](const std::filesystem::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (const char* forced = std::getenv("AUTORIZA_CHROMIUM"); forced != nullptr && *forced != '\0') {
    return executable(forced) ? std::string(forced) : std::string();
  }
  static const char* const kNames[] = {"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"};
  for (const char* name : kNames) {
    if (executable(std::filesystem::path("/usr/bin") / name))
      return (std::filesystem::path("/usr/bin") / name).string();
  }
  const char* path_env = std::getenv("PATH");
  std::stringstream dirs(path_env != nullptr ? path_env : "");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    if (dir.empty()) continue;
    for (const char* name : kNames) {
      if (executable(std::filesystem::path(dir) / name)) return (std::filesystem::path(dir) / name).string();
    }
  }
  return {};
}

struct DevToolsEndpoint {
  uint16_t port = 0;
  std::string browser_path;  // "/devtools/browser/<id>"
};

class ChromiumProcess {
 public:
  ChromiumProcess() = default;
  ChromiumProcess(const ChromiumProcess&) = delete;
  ChromiumProcess& operator=(const ChromiumProcess&) = delete;
  ~ChromiumProcess() { stop(std::chrono::milliseconds(0)); }

  // Starts binary headless with its profile in profile_dir (created fresh)
  // and its output in log. On failure the browser is stopped and error says
  // why, with the log.
  bool start(const std::string& binary, const std::filesystem::path& profile_dir, const std::filesystem::path& log,
             std::chrono::milliseconds timeout, std::string* error) {
    std::error_code ec;
    std::filesystem::create_directories(profile_dir, ec);
    log_ = log;
    const std::vector<std::string> argv = {
        binary,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--window-size=1280,1100",
        "--user-data-dir=" + profile_dir.string(),
        "--remote-debugging-address=127.0.0.1",
        "--remote-debugging-port=0",
        "about:blank",
    };
    if (!spawn(argv, error)) return false;

    const auto deadline = std::chrono::steady_clock::now() + timeout;
    const std::filesystem::path active_port = profile_dir / "DevToolsActivePort";
    while (std::chrono::steady_clock::now() < deadline) {
      if (read_active_port(active_port, &endpoint_)) return true;
      if (exited()) {
        *error = "Chromium exited before it was ready; its output:\n" + log_text();
        stop(std::chrono::milliseconds(0));
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    *error = "Chromium did not open its DevTools endpoint within the time limit; its output:\n" + log_text();
    stop(std::chrono::milliseconds(0));
    return false;
  }

  // Waits up to grace for the browser to exit by itself (after Browser.close),
  // then SIGKILLs its process group and reaps it. Idempotent.
  void stop(std::chrono::milliseconds grace) {
    if (pid_ <= 0) return;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (!exited() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    // The unreaped leader keeps the group id reserved, so this reaches only
    // processes of the browser we started.
    ::kill(-pid_, SIGKILL);
    for (int i = 0; i < 500; ++i) {  // 10 s at most
      int status = 0;
      const pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_ || (r < 0 && errno != EINTR)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    pid_ = -1;
  }

  const DevToolsEndpoint& endpoint() const { return endpoint_; }

  std::string log_text() const { return crash::read_file_text(log_); }

 private:
  bool spawn(const std::vector<std::string>& argv, std::string* error) {
    const int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      *error = "cannot open " + log_.string() + ": " + std::strerror(errno);
      return false;
    }
    const pid_t pid = crash::spawn_process(argv, fd, fd, error, /*own_group=*/true);  // led by the browser
    ::close(fd);
    if (pid < 0) return false;
    pid_ = pid;
    return true;
  }

  // True once the browser has exited (it is left unreaped: see stop()).
  bool exited() const {
    siginfo_t info{};
    if (::waitid(P_PID, id_t(pid_), &info, WEXITED | WNOHANG | WNOWAIT) != 0) return true;
    return info.si_pid == pid_;
  }

  static bool read_active_port(const std::filesystem::path& file, DevToolsEndpoint* out) {
    std::ifstream in(file);
    std::string port_line, path_line;
    if (!in || !std::getline(in, port_line) || !std::getline(in, path_line)) return false;
    if (path_line.rfind("/devtools/browser/", 0) != 0) return false;
    try {
      const int port = std::stoi(port_line);
      if (port <= 0 || port > 65535) return false;
      out->port = uint16_t(port);
    } catch (...) {
      return false;
    }
    out->browser_path = path_line;
    return true;
  }

  pid_t pid_ = -1;
  std::filesystem::path log_;
  DevToolsEndpoint endpoint_;
};

}  // namespace autoriza::e2e
