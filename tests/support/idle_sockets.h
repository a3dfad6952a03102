#pragma once
// Many idle client sockets to a local port (issue 17: idle connections must
// not starve clients), for the HTTP and TCP listeners' tests. They connect
// and never send a byte.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <vector>

namespace autoriza::testing {

// Raises this process's soft limit of open files to its hard limit (the
// test holds its idle sockets and the server's ends of them); false when
// that is still below needed.
inline bool raise_open_files(rlim_t needed) {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  if (limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) return false;
  }
  return limit.rlim_cur == RLIM_INFINITY || limit.rlim_cur >= needed;
}

class IdleSockets {
 public:
  IdleSockets() = default;
  IdleSockets(const IdleSockets&) = delete;
  IdleSockets& operator=(const IdleSockets&) = delete;
  ~IdleSockets() { close_all(); }

  // Opens count sockets to 127.0.0.1:port; how many connected.
  size_t open(uint16_t port, size_t count) {
    size_t connected = 0;
    for (size_t i = 0; i < count; ++i) {
      const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      if (fd < 0) break;
      sockaddr_in a{};
      a.sin_family = AF_INET;
      a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      a.sin_port = htons(port);
      if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        continue;
      }
      fds_.push_back(fd);
      ++connected;
    }
    return connected;
  }

  // Closes every socket and opens as many again: an attacker renewing its
  // idle connections.
  size_t reopen(uint16_t port) {
    const size_t count = fds_.size();
    close_all();
    return open(port, count);
  }

  // How many the server has closed (a read finds end of stream or a reset).
  size_t closed_by_server() const {
    size_t closed = 0;
    for (const int fd : fds_) {
      char c;
      const ssize_t n = ::recv(fd, &c, 1, MSG_DONTWAIT | MSG_PEEK);
      if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)) ++closed;
    }
    return closed;
  }

  void close_all() {
    for (const int fd : fds_) ::close(fd);
    fds_.clear();
  }

 private:
  std::vector<int> fds_;
};

}  // namespace autoriza::testing
