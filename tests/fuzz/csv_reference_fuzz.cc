// Fuzz target: the CSV reader and the reference loader (engine/core/csv.h,
// engine/core/reference_loader.h), one reference file at a time.
// Oracles: never throws; a rejected file has errors and gives no records, an
// accepted one has none; errors stay within their bound and are valid UTF-8;
// accepted records apply to a snapshot.
#include <array>
#include <map>
#include <string>

#include "engine/core/csv.h"
#include "tests/fuzz/fuzz_targets.h"
#include "engine/core/reference_loader.h"
#include "engine/core/status.h"

namespace autoriza::fuzz {

namespace {

// Plans for an affiliates.csv under test (our own minimal data).
constexpr std::string_view kPlans =
    "plan,token_required,biochem_coverage_pct,dental_coverage_pct,medical_coverage_pct\n"
    "NORMAL,no,80,70,100\nPMO,yes,100,80,100\n";

void check_csv_reader(std::string_view text) {
  std::vector<std::string> header;
  std::vector<CsvRow> rows;
  CsvOptions small;  // small bounds, so that their paths run too
  small.source = "fuzz.csv";
  small.rows_max = 64;
  small.field_bytes_max = 128;
  small.fields_per_row_max = 16;
  const Status s = read_csv(text, &header, &rows, small);
  if (!s) {
    AUTORIZA_CHECK(s.kind() == StatusKind::kInvalidRequest && s.message().rfind("fuzz.csv:", 0) == 0);
    return;
  }
  AUTORIZA_CHECK(rows.size() <= small.rows_max);
  int line = 1;
  for (const CsvRow& row : rows) {
    AUTORIZA_CHECK(row.line > line);  // records start on increasing lines after the header
    AUTORIZA_CHECK(row.fields.size() <= small.fields_per_row_max);
    line = row.line;
  }
}

}  // namespace

int fuzz_csv_reference(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const auto& names = reference_file_names();
  const std::string& name = names[data[0] % names.size()];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  check_csv_reader(text);

  std::map<std::string, std::string> files = {{name, text}};
  if (name == "affiliates.csv") files.emplace("plans.csv", std::string(kPlans));
  const Reference empty;
  const ReferenceLoad load = load_reference_texts(files, empty);
  for (const FileReport& report : load.files) {
    if (report.file != name) continue;
    AUTORIZA_CHECK(report.rejected == !report.errors.empty());
    AUTORIZA_CHECK(report.errors.size() <= kLoadErrorsPerFileMax + 1);
    for (const std::string& e : report.errors) AUTORIZA_CHECK(is_valid_utf8(e));
  }
  Reference snapshot;
  for (const auto& record : load.records) {
    AUTORIZA_CHECK(!Reference::record_key(record).empty());
    snapshot.upsert(record);
  }
  return 0;
}

}  // namespace autoriza::fuzz
