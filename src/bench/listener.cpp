// SPDX-License-Identifier: Apache-2.0
#include "bench/listener.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace goinstr::bench {
namespace {

constexpr std::string_view kListenState = "0A";  // TCP_LISTEN in /proc/net/tcp

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "0100007F:10DE" -> 0x10DE
std::optional<uint16_t> port_of(std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) return std::nullopt;
  uint16_t port = 0;
  auto digits = address.substr(colon + 1);
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port, 16);
  if (ec != std::errc{}) return std::nullopt;
  return port;
}

bool holds_socket(const std::filesystem::path& fd_dir, const std::vector<std::string>& targets) {
  std::error_code ec;
  for (const auto& fd : std::filesystem::directory_iterator(fd_dir, ec)) {
    std::error_code link_ec;
    std::string link = std::filesystem::read_symlink(fd.path(), link_ec).string();
    if (!link_ec && std::find(targets.begin(), targets.end(), link) != targets.end()) return true;
  }
  return false;
}

}  // namespace

std::vector<uint64_t> listening_inodes(std::string_view proc_net_tcp, uint16_t port) {
  // Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid
  // timeout inode ...
  std::vector<uint64_t> inodes;
  std::istringstream lines{std::string(proc_net_tcp)};
  std::string line;
  std::getline(lines, line);  // header
  while (std::getline(lines, line)) {
    std::istringstream cols(line);
    std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout;
    uint64_t inode = 0;
    if (!(cols >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >>
          timeout >> inode))
      continue;
    if (state == kListenState && port_of(local) == port && inode != 0) inodes.push_back(inode);
  }
  return inodes;
}

std::optional<pid_t> find_listening_pid(uint16_t port) {
  std::vector<std::string> targets;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"})
    for (uint64_t inode : listening_inodes(read_text(table), port))
      targets.push_back("socket:[" + std::to_string(inode) + "]");
  if (targets.empty()) return std::nullopt;
  std::vector<pid_t> pids;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    std::string name = entry.path().filename().string();
    pid_t pid = 0;
    auto [end, parse_ec] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (parse_ec == std::errc{} && end == name.data() + name.size()) pids.push_back(pid);
  }
  // Lowest pid first: when a server forked workers that share the socket, the parent.
  std::sort(pids.begin(), pids.end());
  for (pid_t pid : pids)
    if (holds_socket("/proc/" + std::to_string(pid) + "/fd", targets)) return pid;
  return std::nullopt;
}

}  // namespace goinstr::bench
