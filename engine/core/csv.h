#pragma once
// A small RFC 4180 CSV reader for the reference files (docs/rules.md §3).
//
// Format accepted:
//  - UTF-8 (validated), an optional UTF-8 BOM at the start is dropped;
//  - records end with CRLF or LF; the last one may lack its line end;
//  - fields are separated by commas; a field may be quoted with '"', and a
//    quoted field may hold commas, line ends and doubled quotes ("" = ");
//  - a quote inside an unquoted field, or anything but a comma or a line end
//    after a closing quote, is an error;
//  - the first record is the header; lines that are completely empty are
//    skipped (they carry no record).
// Fields are returned exactly as written (no trimming): callers decide.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace autoriza {

struct CsvRow {
  int line = 0;  // 1-based physical line where the record starts
  std::vector<std::string> fields;
};

struct CsvOptions {
  // Prefix of error messages: "plans.csv" gives "plans.csv:7: reason";
  // empty gives "line 7: reason".
  std::string_view source;
  // Bounds: beyond them the text is rejected, never silently truncated.
  size_t rows_max = 10'000'000;        // data rows, header excluded
  size_t field_bytes_max = 1u << 20;   // 1 MiB per field
  size_t fields_per_row_max = 1'000;   // guards against a wall of commas
};

// Parses text into a header and data rows.
// Needs: header and rows not null. Clears both first.
// Returns ok, or an invalid-request Status whose message is "line N: reason"
// (or "source:N: reason") for the first syntax error or exceeded bound; on
// error the outputs hold what was read so far and must not be used.
// Rows may have a different number of fields than the header: checking that
// is the caller's job, so that every bad row can be reported.
Status read_csv(std::string_view text, std::vector<std::string>* header, std::vector<CsvRow>* rows,
                const CsvOptions& options = {});

// Whether text is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
// On failure, *bad_offset (if not null) is the offset of the first bad byte.
bool is_valid_utf8(std::string_view text, size_t* bad_offset = nullptr);

// The characters (code points) of UTF-8 text: what a limit "of N
// characters" counts, so "ñandú" is 5 and an emoji 1, not its bytes.
size_t utf8_length(std::string_view text);

}  // namespace autoriza
