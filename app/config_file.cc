#include "app/config_file.h"

#include <algorithm>
#include <iostream>
#include <set>
#include <toml++/toml.h>

namespace autoriza::cli {

namespace {

int line_of(const toml::node& node) { return int(node.source().begin.line); }

// A TOML value as the text of a command-line argument; false for a kind no
// flag takes (tables, dates).
bool scalar_text(const toml::node& v, std::string* out) {
  if (const auto* s = v.as_string()) *out = s->get();
  else if (const auto* i = v.as_integer()) *out = std::to_string(i->get());
  else if (const auto* f = v.as_floating_point()) *out = std::to_string(f->get());
  else if (const auto* b = v.as_boolean()) *out = b->get() ? "true" : "false";
  else return false;
  return true;
}

// One key (already prefixed by its tables) into serve's arguments.
void add_entry(const std::string& key, const toml::node& value, int line, const CLI::App& serve,
               std::vector<ConfigEntry>* out, std::vector<ConfigProblem>* problems) {
  std::string name = key;
  std::replace(name.begin(), name.end(), '_', '-');
  const std::string flag = "--" + name;
  const CLI::Option* option = name == "config" ? nullptr : serve.get_option_no_throw(flag);
  if (!option) {
    problems->push_back({line, "unknown key '" + key + "': not an option of `autoriza serve` (see serve --help)"});
    return;
  }
  ConfigEntry e{flag, {}, line};
  const bool is_flag = option->get_items_expected_min() == 0;  // a switch: takes no value
  if (const auto* array = value.as_array()) {
    e.args.push_back(flag);
    for (const toml::node& item : *array) {
      std::string text;
      if (!scalar_text(item, &text)) {
        problems->push_back({line, "'" + key + "' holds a value that is neither text, number nor true/false"});
        return;
      }
      e.args.push_back(text);
    }
  } else if (std::string text; scalar_text(value, &text)) {
    if (is_flag && !value.is_boolean()) {
      problems->push_back({line, "'" + key + "' is a switch: write true or false"});
      return;
    }
    if (!is_flag && value.is_boolean()) {
      problems->push_back({line, "'" + key + "' takes a value, not true/false"});
      return;
    }
    e.args = is_flag ? std::vector<std::string>{flag + "=" + text} : std::vector<std::string>{flag, text};
  } else {
    problems->push_back({line, "'" + key + "' holds a value that is neither text, number, true/false nor a list"});
    return;
  }
  out->push_back(std::move(e));
}

void add_table(const toml::table& table, const std::string& prefix, const CLI::App& serve, std::vector<ConfigEntry>* out,
               std::vector<ConfigProblem>* problems) {
  for (auto&& [k, v] : table) {
    const std::string key = prefix.empty() ? std::string(k.str()) : prefix + "-" + std::string(k.str());
    if (const auto* sub = v.as_table()) {
      add_table(*sub, key, serve, out, problems);
    } else {
      add_entry(key, v, line_of(v), serve, out, problems);
    }
  }
}

// Parses args with a fresh serve app: empty, or CLI11's complaint.
std::string parse_error(const std::vector<std::string>& args) {
  CLI::App app;
  const Run keep = add_serve(app);  // owns the options the parse writes into
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes a vector last-first
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return {};
}

void print(std::ostream& err, const std::filesystem::path& file, std::vector<ConfigProblem> problems) {
  std::stable_sort(problems.begin(), problems.end(), [](const ConfigProblem& a, const ConfigProblem& b) { return a.line < b.line; });
  for (const ConfigProblem& p : problems) {
    err << file.string() << (p.line > 0 ? ":" + std::to_string(p.line) : std::string()) << ": " << p.message << "\n";
  }
}

}  // namespace

std::vector<ConfigEntry> read_config(const std::filesystem::path& file, const CLI::App& serve,
                                     std::vector<ConfigProblem>* problems) {
  std::vector<ConfigEntry> out;
  try {
    const toml::table root = toml::parse_file(file.string());
    add_table(root, "", serve, &out, problems);
  } catch (const toml::parse_error& e) {
    problems->push_back({int(e.source().begin.line), "not TOML: " + std::string(e.description())});
  }
  std::sort(out.begin(), out.end(), [](const ConfigEntry& a, const ConfigEntry& b) { return a.line < b.line; });
  return out;
}

void check_config_values(const std::vector<ConfigEntry>& entries, std::vector<ConfigProblem>* problems) {
  for (const ConfigEntry& e : entries) {
    if (std::string why = parse_error(e.args); !why.empty()) problems->push_back({e.line, why});
  }
}

bool expand_config(int argc, char** argv, std::vector<std::string>* out, std::ostream& err) {
  std::vector<std::string> args(argv, argv + argc);
  *out = args;
  if (args.size() < 2 || args[1] != "serve") return true;
  std::string file;
  std::vector<std::string> rest;
  for (size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "--config" && i + 1 < args.size()) {
      file = args[++i];
    } else if (args[i].rfind("--config=", 0) == 0) {
      file = args[i].substr(9);
    } else {
      rest.push_back(args[i]);
    }
  }
  if (file.empty()) return true;
  CLI::App serve;
  const Run keep = add_serve(serve);  // owns the options the parse writes into
  std::vector<ConfigProblem> problems;
  if (!std::filesystem::exists(file)) problems.push_back({0, "no such file"});
  std::vector<ConfigEntry> entries = problems.empty() ? read_config(file, serve, &problems) : std::vector<ConfigEntry>();
  if (problems.empty()) check_config_values(entries, &problems);
  if (!problems.empty()) {
    print(err, file, problems);
    return false;
  }
  // What the command line gives wins: its options leave the file's out.
  std::set<const CLI::Option*> given;
  for (const std::string& a : rest) {
    if (a.rfind("--", 0) == 0) given.insert(serve.get_option_no_throw(a.substr(0, a.find('='))));
  }
  out->assign(args.begin(), args.begin() + 2);
  for (const ConfigEntry& e : entries) {
    if (!given.count(serve.get_option_no_throw(e.flag))) out->insert(out->end(), e.args.begin(), e.args.end());
  }
  out->insert(out->end(), rest.begin(), rest.end());
  return true;
}

Run add_config(CLI::App& app) {
  auto file = std::make_shared<std::string>();
  CLI::App* check = app.add_subcommand("check", "Check a configuration file of `autoriza serve --config`: unknown keys "
                                                "and bad values, with their lines");
  check->add_option("FILE", *file, "The TOML file (ops/autoriza.toml is a commented example)")->required();
  app.require_subcommand(1);
  return [file]() {
    CLI::App serve;
    const Run keep = add_serve(serve);  // owns the options the parse writes into
    std::vector<ConfigProblem> problems;
    if (!std::filesystem::exists(*file)) problems.push_back({0, "no such file"});
    const std::vector<ConfigEntry> entries = problems.empty() ? read_config(*file, serve, &problems) : std::vector<ConfigEntry>();
    check_config_values(entries, &problems);
    if (!problems.empty()) {
      print(std::cerr, *file, problems);
      std::cerr << problems.size() << " problem(s) in " << *file << "\n";
      return 1;
    }
    std::cout << *file << ": " << entries.size() << " key(s), all valid for `autoriza serve`\n";
    return 0;
  };
}

}  // namespace autoriza::cli
