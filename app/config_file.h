#pragma once
// `autoriza serve --config FILE` and `autoriza config check FILE`
// (ops/autoriza.toml is the commented example). The file is TOML (toml++,
// Debian's libtomlplusplus-dev): every key is one of serve's flags without
// its dashes (`http = "0.0.0.0:8080"`, `no-sync = true`; `_` may stand for
// `-`), and a [table] prefixes its keys ([tcp] port = 7070 is --tcp-port).
// Flags given on the command line override the file's keys.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "app/commands.h"  // Run

namespace autoriza::cli {

// One key of the file, as serve's arguments.
struct ConfigEntry {
  std::string flag;               // "--http"
  std::vector<std::string> args;  // {"--http", "0.0.0.0:8080"}, or {"--no-sync"} for a true flag
  int line = 0;                   // where the file sets it
};

// A problem of the file: its line (0: the whole file) and what is wrong.
struct ConfigProblem {
  int line = 0;
  std::string message;
};

// Reads file against serve's options (the app add_serve() filled): every
// key must name one of them. Problems are unknown keys, values of the wrong
// kind and TOML syntax errors, each with its line.
std::vector<ConfigEntry> read_config(const std::filesystem::path& file, const CLI::App& serve,
                                     std::vector<ConfigProblem>* problems);

// Checks values as serve would (ranges, existing files, choices) by parsing
// each entry alone with a fresh serve app; problems go to *problems.
void check_config_values(const std::vector<ConfigEntry>& entries, std::vector<ConfigProblem>* problems);

// argv with `serve --config FILE` expanded: the file's entries whose flag is
// not on the command line, then the command line without --config. false
// (and the problems printed to err) when the file has problems. argv
// without `serve --config` comes back as it is.
bool expand_config(int argc, char** argv, std::vector<std::string>* out, std::ostream& err);

// `autoriza config check FILE`.
Run add_config(CLI::App& app);

}  // namespace autoriza::cli
