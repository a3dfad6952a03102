#pragma once
// Loads the reference CSV files (docs/rules.md §3)
// into records, validating every field. A file with any bad row is rejected
// whole; a file whose rows depend on a rejected file (affiliates.csv on
// plans.csv) is rejected too. Nothing here touches the store: the caller
// turns the records of an ok() load into ReferenceUpserted events.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "engine/core/reference.h"
#include "schemas/reference_generated.h"

namespace autoriza {

// At most this many errors are kept per file; the rest are counted in a last
// "... and N more" line.
inline constexpr size_t kLoadErrorsPerFileMax = 50;
// Bound of one reference file read from disk (10M rows of ~200 bytes).
inline constexpr uintmax_t kReferenceFileBytesMax = uintmax_t(2) << 30;

struct FileReport {
  std::string file;  // "affiliates.csv"
  size_t rows = 0;   // data rows read (header excluded), accepted or not
  bool rejected = false;
  // "affiliates.csv:7: cuil 20245152606: check digit should be 5"; line 1 is
  // the header; "plans.csv: missing file" concerns the whole file.
  std::vector<std::string> errors;
};

struct ReferenceLoad {
  // Every row of every accepted file, in file order: plans, practices,
  // providers, prescribers, affiliates; rows in the order of their file.
  std::vector<fb::ReferenceRecordUnion> records;
  std::vector<FileReport> files;  // one per file, same order as records
  bool ok() const;                // no file rejected
};

// The files a load reads, in the order of ReferenceLoad::files; diagnoses.csv
// (the CIE-10 catalog) is optional: loaded and reported only when present.
const std::vector<std::string>& reference_file_names();

// Reads and validates plans.csv, practices.csv, providers.csv,
// prescribers.csv and affiliates.csv in dir. A missing or unreadable file is
// an error for that file. `existing` holds reference data already loaded: an
// affiliate's plan may be in plans.csv or already in existing.
// Never throws for bad input or I/O; everything goes to the reports.
ReferenceLoad load_reference_dir(const std::filesystem::path& dir, const Reference& existing);

// Same from in-memory texts keyed by file name ("plans.csv"); used by tests
// and the fuzzer. A name not in reference_file_names() is ignored.
ReferenceLoad load_reference_texts(const std::map<std::string, std::string>& files_by_name,
                                   const Reference& existing);

}  // namespace autoriza
