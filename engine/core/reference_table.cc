// The table-level helpers of the reference loader: error lists, header
// checks and the typed field readers (declared in reference_rows.h).
#include <algorithm>
#include <cassert>
#include <limits>

#include "engine/core/ascii.h"
#include "engine/core/money.h"
#include "engine/core/reference_rows.h"

namespace autoriza::reference_rows {

namespace {

constexpr size_t kShownValueBytesMax = 60;

// A value as shown in a message: bounded, on one line, "" when empty.
std::string shown(std::string_view value) {
  if (value.empty()) return "\"\"";
  std::string out;
  size_t n = std::min(value.size(), kShownValueBytesMax);
  while (n < value.size() && n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80) --n;  // whole UTF-8
  for (size_t i = 0; i < n; ++i) out += static_cast<unsigned char>(value[i]) < 0x20 ? '?' : value[i];
  if (n < value.size()) out += "...";
  return out;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

std::string joined(const std::vector<std::string_view>& options) {
  std::string out;
  for (std::string_view o : options) out += (out.empty() ? "" : "|") + std::string(o);
  return out;
}

// Checks header names against the expected columns; fills table->columns.
// A column named "notes?" is optional: a file may leave it out.
bool is_optional(std::string_view column) { return column.ends_with('?'); }
std::string_view column_name(std::string_view column) {
  return is_optional(column) ? column.substr(0, column.size() - 1) : column;
}

bool check_header(const std::vector<std::string>& header, const std::vector<std::string_view>& columns,
                  ErrorList* errors, Table* table) {
  const size_t errors_before = errors->count();
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string name(ascii::trim(header[i]));
    if (std::find_if(columns.begin(), columns.end(), [&](auto c) { return column_name(c) == name; }) == columns.end()) {
      errors->add(1, "unexpected column " + shown(name) + " (expected " + joined(columns) + ")");
    } else if (!table->columns.emplace(name, i).second) {
      errors->add(1, "column " + name + " appears twice");
    }
  }
  for (std::string_view column : columns) {
    if (!is_optional(column) && !table->columns.count(column)) {
      errors->add(1, "missing column " + std::string(column));
    }
  }
  return errors->count() == errors_before;
}

}  // namespace

void ErrorList::add(int line, std::string_view message) {
  assert(line >= 0);
  add_raw(file_ + (line > 0 ? ":" + std::to_string(line) : std::string()) + ": " + std::string(message));
}

void ErrorList::add_raw(std::string message) {
  ++count_;
  if (kept_.size() < kept_max_) kept_.push_back(std::move(message));
}

std::vector<std::string> ErrorList::take() {
  std::vector<std::string> out = std::move(kept_);
  if (count_ > out.size()) out.push_back("... and " + std::to_string(count_ - out.size()) + " more");
  kept_.clear();
  return out;
}

bool read_table(std::string_view text, const std::vector<std::string_view>& columns, ErrorList* errors,
                Table* table) {
  AUTORIZA_CHECK(errors != nullptr && table != nullptr);
  table->file = errors->file();
  table->columns.clear();
  std::vector<std::string> header;
  CsvOptions options;
  options.source = table->file;
  if (Status s = read_csv(text, &header, &table->rows, options); !s) {
    errors->add_raw(s.message());
    return false;
  }
  return check_header(header, columns, errors, table);
}

bool row_has_header_width(const Table& table, const CsvRow& row, ErrorList* errors) {
  if (row.fields.size() == table.columns.size()) return true;
  errors->add(row.line, std::to_string(row.fields.size()) + " fields, the header has " +
                            std::to_string(table.columns.size()));
  return false;
}

RowReader::RowReader(const Table& table, const CsvRow& row, ErrorList* errors)
    : table_(table), row_(row), errors_(errors), errors_before_(errors->count()) {
  AUTORIZA_CHECK(row.fields.size() == table.columns.size());
}

std::string_view RowReader::get(std::string_view column) const {
  const auto it = table_.columns.find(column);
  AUTORIZA_CHECK(it != table_.columns.end() && it->second < row_.fields.size());
  return ascii::trim(row_.fields[it->second]);
}

void RowReader::fail(std::string_view column, std::string_view reason) {
  errors_->add(row_.line, std::string(column) + " " + shown(get(column)) + ": " + std::string(reason));
  assert(!ok());
}

void RowReader::fail_one_of(std::string_view column, const std::vector<std::string_view>& options) {
  fail(column, "must be " + joined(options));
}

std::string RowReader::optional_text(std::string_view column, size_t length_max) {
  if (!table_.columns.count(column)) return {};
  const std::string_view value = get(column);
  if (value.size() > length_max) fail(column, "longer than " + std::to_string(length_max) + " bytes");
  return std::string(value);
}

std::string RowReader::text(std::string_view column) {
  const std::string_view value = get(column);
  if (value.empty()) fail(column, "must not be empty");
  return std::string(value);
}

std::string RowReader::digits(std::string_view column, size_t length_max) {
  const std::string_view value = get(column);
  if (value.empty() || value.size() > length_max || !std::all_of(value.begin(), value.end(), is_digit)) {
    fail(column, "must be 1 to " + std::to_string(length_max) + " digits");
  }
  return std::string(value);
}

std::string RowReader::code(std::string_view column, size_t length_max) {
  const std::string_view value = get(column);
  if (value.empty() || value.size() > length_max || !std::all_of(value.begin(), value.end(), is_alnum)) {
    fail(column, "must be 1 to " + std::to_string(length_max) + " letters or digits");
  }
  return std::string(value);
}

bool RowReader::yes_no(std::string_view column) {
  const std::string_view value = get(column);
  if (value == "yes") return true;
  if (value != "no") fail(column, "must be yes|no");
  return false;
}

bool RowReader::optional_yes_no(std::string_view column) {
  if (!table_.columns.count(column) || get(column).empty()) return false;
  return yes_no(column);
}

int RowReader::integer(std::string_view column, int lo, int hi) {
  assert(lo <= hi && lo >= 0);
  const std::string_view value = get(column);
  const auto fail_range = [&] {
    fail(column, "must be an integer " + std::to_string(lo) + ".." + std::to_string(hi));
    return lo;
  };
  // Nine digits always fit in an int, so no overflow before the range check.
  if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), is_digit)) return fail_range();
  int n = 0;
  for (char c : value) n = n * 10 + (c - '0');
  if (n < lo || n > hi) return fail_range();
  return n;
}

flatbuffers::Optional<int32_t> RowReader::optional_integer(std::string_view column, int lo, int hi) {
  if (get(column).empty()) return flatbuffers::nullopt;
  const size_t errors_before = errors_->count();
  const int n = integer(column, lo, hi);
  if (errors_->count() != errors_before) return flatbuffers::nullopt;
  return n;
}

int64_t RowReader::cents(std::string_view column) {
  const auto amount = parse_cents(get(column));
  if (!amount) {
    fail(column, "must be an amount in pesos with at most two decimals (\"180.00\"), at most " +
                     format_cents(Cents{kCentsMax}));
    return 0;
  }
  assert(amount->value >= 0 && amount->value <= kCentsMax);
  return amount->value;
}

std::string RowReader::one_of(std::string_view column, const std::vector<std::string_view>& options,
                              bool blank_ok) {
  const std::string_view value = get(column);
  if (value.empty() && blank_ok) return {};
  if (std::find(options.begin(), options.end(), value) == options.end()) {
    fail(column, blank_ok ? "must be blank or " + joined(options) : "must be " + joined(options));
  }
  return std::string(value);
}

bool UniqueKeys::insert(RowReader& row, std::string_view column, const std::string& key) {
  if (key.empty()) return true;
  const auto [it, inserted] = line_by_key_.emplace(key, row.line());
  if (!inserted) row.fail(column, "duplicate of line " + std::to_string(it->second));
  return inserted;
}

}  // namespace autoriza::reference_rows
