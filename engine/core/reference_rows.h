#pragma once
// Internal to the reference loader (reference_loader.cc): the rows of one
// parsed CSV file turned into records, every bad field reported as
// "file:line: column value: reason". One parse function per file kind.
#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/csv.h"
#include "engine/core/reference.h"
#include "schemas/reference_generated.h"

namespace autoriza::reference_rows {

// Errors of one file: the first `kept_max` are kept, the rest only counted.
class ErrorList {
 public:
  ErrorList(std::string file, size_t kept_max) : file_(std::move(file)), kept_max_(kept_max) {}
  // Adds "file:line: message", or "file: message" when line is 0.
  void add(int line, std::string_view message);
  // Adds a message that already names its file (from read_csv).
  void add_raw(std::string message);
  size_t count() const { return count_; }
  const std::string& file() const { return file_; }
  // The kept errors, plus "... and N more" when some were dropped.
  std::vector<std::string> take();

 private:
  std::string file_;
  size_t kept_max_;
  size_t count_ = 0;
  std::vector<std::string> kept_;
};

// A parsed CSV file whose header has exactly the expected columns.
struct Table {
  std::string file;
  std::map<std::string, size_t, std::less<>> columns;  // column name -> field index
  std::vector<CsvRow> rows;
};

// Parses text and checks its header against `columns` (any order; a missing,
// unknown or repeated column is an error at line 1).
// Returns false (errors reported) when the text or its header is unusable;
// then *table must not be used.
bool read_table(std::string_view text, const std::vector<std::string_view>& columns, ErrorList* errors,
                Table* table);

// Whether row has as many fields as the header; reports it when not.
bool row_has_header_width(const Table& table, const CsvRow& row, ErrorList* errors);

// Reads the fields of one row by column name, with surrounding whitespace
// stripped, and reports each bad value as "file:line: column value: reason".
// The typed readers return a harmless default after reporting, so a parse
// function reads every field and reports every problem of the row.
class RowReader {
 public:
  // Needs: row_has_header_width(table, row, errors). Keeps references: the
  // arguments must outlive the reader.
  RowReader(const Table& table, const CsvRow& row, ErrorList* errors);

  int line() const { return row_.line; }
  // No error reported since this reader was made.
  bool ok() const { return errors_->count() == errors_before_; }
  // The trimmed field. Needs: column is one of the table's.
  std::string_view get(std::string_view column) const;
  void fail(std::string_view column, std::string_view reason);

  std::string text(std::string_view column);           // not empty
  // An optional column ("name?" in the file's columns): empty when the file
  // has no such column or the cell is blank.
  std::string optional_text(std::string_view column, size_t length_max);
  std::string digits(std::string_view column, size_t length_max);  // 1..length_max ASCII digits
  std::string code(std::string_view column, size_t length_max);    // 1..length_max ASCII letters/digits
  bool yes_no(std::string_view column);                 // "yes" | "no"
  // An optional column: no when the file has no such column or the cell is blank.
  bool optional_yes_no(std::string_view column);
  int integer(std::string_view column, int lo, int hi);  // decimal digits, lo..hi
  // Blank is no value.
  flatbuffers::Optional<int32_t> optional_integer(std::string_view column, int lo, int hi);
  int64_t cents(std::string_view column);  // parse_cents (money.h)
  // One of options; blank too when blank_ok.
  std::string one_of(std::string_view column, const std::vector<std::string_view>& options, bool blank_ok);

  // A flatbuffers enum by its name; values/name are the generated
  // EnumValuesX() and EnumNameX.
  template <typename E, size_t N>
  E enumerated(std::string_view column, const E (&values)[N], const char* (*name)(E)) {
    const std::string_view value = get(column);
    std::vector<std::string_view> names;
    for (E e : values) {
      if (value == name(e)) return e;
      names.push_back(name(e));
    }
    fail_one_of(column, names);
    return values[0];
  }

 private:
  void fail_one_of(std::string_view column, const std::vector<std::string_view>& options);

  const Table& table_;
  const CsvRow& row_;
  ErrorList* errors_;
  size_t errors_before_;
};

// Keys already seen in a file, to report duplicates.
class UniqueKeys {
 public:
  // Records key at the reader's line; reports "column value: duplicate of
  // line N" and returns false when it was seen before. An empty key is
  // ignored (its emptiness is reported elsewhere).
  bool insert(RowReader& row, std::string_view column, const std::string& key);

 private:
  std::map<std::string, int, std::less<>> line_by_key_;
};

// Plan names usable by affiliates: those of plans.csv in this load, then
// those already loaded.
struct PlanCatalog {
  const std::set<std::string, std::less<>>& loaded;
  const Reference& existing;
  bool contains(std::string_view plan) const { return loaded.count(plan) > 0 || existing.plan(plan); }
};

// Each appends one record per good row to *out and reports every bad row to
// *errors. Rows are all checked, even after the first error, so a report
// lists every problem of the file (up to the error cap).
// Needs: table passed read_table with the columns below.
void parse_plans(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out);
void parse_practices(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out);
void parse_providers(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out);
void parse_prescribers(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out);
void parse_affiliates(const Table& table, const PlanCatalog& plans, ErrorList* errors,
                      std::vector<fb::ReferenceRecordUnion>* out);
void parse_diagnoses(const Table& table, ErrorList* errors, std::vector<fb::ReferenceRecordUnion>* out);

// The columns (docs/rules.md §3) of each file.
const std::vector<std::string_view>& plan_columns();
const std::vector<std::string_view>& practice_columns();
const std::vector<std::string_view>& provider_columns();
const std::vector<std::string_view>& prescriber_columns();
const std::vector<std::string_view>& affiliate_columns();
const std::vector<std::string_view>& diagnosis_columns();

}  // namespace autoriza::reference_rows
