#include "engine/core/csv.h"

#include <algorithm>
#include <cassert>

namespace autoriza {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// One pass over the text; pos_ only moves forward, so every loop is bounded
// by the text's size.
class CsvParser {
 public:
  CsvParser(std::string_view text, const CsvOptions& options) : text_(text), options_(options) {}

  Status run(std::vector<std::string>* header, std::vector<CsvRow>* rows);

 private:
  Status error(int line, const std::string& reason) const;
  // Reads the next record into *row; row->fields stays empty at end of text.
  Status read_record(CsvRow* row);
  Status read_field(std::string* out);
  Status read_quoted(std::string* out);
  Status read_unquoted(std::string* out);
  void skip_empty_lines();
  // Consumes a line end at pos_ (LF or CRLF); false if there is none.
  bool take_line_end();
  bool at_end() const { return pos_ >= text_.size(); }

  std::string_view text_;
  const CsvOptions& options_;
  size_t pos_ = 0;
  int line_ = 1;
};

Status CsvParser::error(int line, const std::string& reason) const {
  if (options_.source.empty()) return Status::invalid("line " + std::to_string(line) + ": " + reason);
  return Status::invalid(std::string(options_.source) + ":" + std::to_string(line) + ": " + reason);
}

bool CsvParser::take_line_end() {
  if (at_end()) return false;
  if (text_[pos_] == '\n') {
    ++pos_;
  } else if (text_.substr(pos_, 2) == "\r\n") {
    pos_ += 2;
  } else {
    return false;
  }
  ++line_;
  return true;
}

void CsvParser::skip_empty_lines() {
  while (take_line_end()) {
  }
}

Status CsvParser::read_unquoted(std::string* out) {
  const size_t start = pos_;
  while (!at_end()) {
    const char c = text_[pos_];
    if (c == ',' || c == '\n' || text_.substr(pos_, 2) == "\r\n") break;
    if (c == '"') return error(line_, "quote inside an unquoted field (quote the whole field)");
    ++pos_;
  }
  if (pos_ - start > options_.field_bytes_max) {
    return error(line_, "field longer than " + std::to_string(options_.field_bytes_max) + " bytes");
  }
  out->assign(text_.substr(start, pos_ - start));
  return Status::ok();
}

Status CsvParser::read_quoted(std::string* out) {
  assert(text_[pos_] == '"');
  const int start_line = line_;
  ++pos_;
  out->clear();
  for (;;) {
    const size_t quote = text_.find('"', pos_);
    if (quote == std::string_view::npos) return error(start_line, "unterminated quoted field");
    const std::string_view chunk = text_.substr(pos_, quote - pos_);
    line_ += int(std::count(chunk.begin(), chunk.end(), '\n'));
    out->append(chunk);
    pos_ = quote + 1;
    const bool doubled = !at_end() && text_[pos_] == '"';
    if (doubled) {
      out->push_back('"');
      ++pos_;
    }
    if (out->size() > options_.field_bytes_max) {
      return error(start_line, "field longer than " + std::to_string(options_.field_bytes_max) + " bytes");
    }
    if (!doubled) break;
  }
  if (!at_end() && text_[pos_] != ',' && text_[pos_] != '\n' && text_.substr(pos_, 2) != "\r\n") {
    return error(line_, "unexpected character after a closing quote");
  }
  return Status::ok();
}

Status CsvParser::read_field(std::string* out) {
  if (!at_end() && text_[pos_] == '"') return read_quoted(out);
  return read_unquoted(out);
}

Status CsvParser::read_record(CsvRow* row) {
  row->fields.clear();
  skip_empty_lines();
  if (at_end()) return Status::ok();
  row->line = line_;
  for (;;) {
    if (row->fields.size() >= options_.fields_per_row_max) {
      return error(row->line, "more than " + std::to_string(options_.fields_per_row_max) + " fields");
    }
    std::string field;
    if (Status s = read_field(&field); !s) return s;
    row->fields.push_back(std::move(field));
    if (at_end() || take_line_end()) return Status::ok();
    assert(text_[pos_] == ',');
    ++pos_;
  }
}

Status CsvParser::run(std::vector<std::string>* header, std::vector<CsvRow>* rows) {
  if (text_.substr(0, kBom.size()) == kBom) pos_ = kBom.size();
  size_t bad = 0;
  if (!is_valid_utf8(text_, &bad)) {
    const auto before = text_.substr(0, bad);
    return error(1 + int(std::count(before.begin(), before.end(), '\n')), "invalid UTF-8");
  }
  CsvRow row;
  if (Status s = read_record(&row); !s) return s;
  if (row.fields.empty()) return error(1, "missing header row");
  *header = std::move(row.fields);
  for (;;) {
    if (Status s = read_record(&row); !s) return s;
    if (row.fields.empty()) return Status::ok();
    if (rows->size() >= options_.rows_max) {
      return error(row.line, "more than " + std::to_string(options_.rows_max) + " data rows");
    }
    rows->push_back(std::move(row));
  }
}

// Length of the UTF-8 sequence led by byte b, 0 if b cannot lead one.
int utf8_length(unsigned char b) {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

// Whether the continuation bytes of the sequence at s are valid (RFC 3629 table).
bool utf8_tail_ok(const unsigned char* s, int n) {
  const unsigned char b0 = s[0];
  const unsigned char b1 = s[1];
  if (b0 == 0xE0 && b1 < 0xA0) return false;  // overlong
  if (b0 == 0xED && b1 > 0x9F) return false;  // surrogate
  if (b0 == 0xF0 && b1 < 0x90) return false;  // overlong
  if (b0 == 0xF4 && b1 > 0x8F) return false;  // > U+10FFFF
  for (int i = 1; i < n; ++i) {
    if ((s[i] & 0xC0) != 0x80) return false;
  }
  return true;
}

}  // namespace

size_t utf8_length(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80;  // every byte but continuation bytes starts a character
  return n;
}

bool is_valid_utf8(std::string_view text, size_t* bad_offset) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t i = 0;
  while (i < text.size()) {
    const int n = utf8_length(s[i]);
    const bool ok = n == 1 || (n > 1 && i + size_t(n) <= text.size() && utf8_tail_ok(s + i, n));
    if (!ok) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += size_t(n);
  }
  return true;
}

Status read_csv(std::string_view text, std::vector<std::string>* header, std::vector<CsvRow>* rows,
                const CsvOptions& options) {
  AUTORIZA_CHECK(header != nullptr && rows != nullptr);
  header->clear();
  rows->clear();
  Status s = CsvParser(text, options).run(header, rows);
  assert(!s || !header->empty());
  return s;
}

}  // namespace autoriza
