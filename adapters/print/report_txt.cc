// A Report as fixed-width text (report.h): widths in characters, so "Práctica"
// takes 8 columns although it is 9 bytes.
#include <algorithm>

#include "adapters/print/format_es.h"
#include "adapters/print/report.h"

namespace autoriza::print {
namespace {

// Line breaks and tabs as spaces: a cell stays on its line.
std::string one_line(std::string_view text) {
  std::string out(text);
  std::replace_if(
      out.begin(), out.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return out;
}

// Appends one cell, a space apart from the previous one.
void append_cell(std::string_view text, size_t width, bool right, std::string* line) {
  if (!line->empty()) *line += ' ';
  *line += fit_width(one_line(text), width, right);
}

// Whether column i is in the TXT.
bool in_txt(const Section& s, size_t i) {
  return i < s.txt_widths.size() && s.txt_widths[i] > 0 && (i >= s.shown.size() || s.shown[i] != Shown::kPrintOnly);
}

std::string txt_line(const Section& s, const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < s.table.columns.size(); ++i) {
    if (!in_txt(s, i)) continue;
    append_cell(table_cell(cells, i), s.txt_widths[i], s.table.columns[i].align == Align::kRight, &line);
  }
  return line;
}

// A totals row: its label (first cell) spans the empty cells after it.
std::string txt_total(const Section& s, const std::vector<std::string>& cells) {
  const size_t n = std::min(s.table.columns.size(), s.txt_widths.size());
  auto cell = [&](size_t i) { return table_cell(cells, i); };
  const size_t label_end = total_label_end(cells, n);
  size_t span = 0;  // the label's columns and the spaces between them
  for (size_t i = 0; i <= label_end && i < n; ++i) {
    if (in_txt(s, i)) span += (span ? 1 : 0) + s.txt_widths[i];
  }
  std::string line;
  if (span > 0) append_cell(cell(0), span, false, &line);
  for (size_t i = label_end + 1; i < n; ++i) {
    if (in_txt(s, i)) append_cell(cell(i), s.txt_widths[i], s.table.columns[i].align == Align::kRight, &line);
  }
  return line;
}

void add_section(const Section& s, std::vector<std::string>* lines) {
  std::vector<std::string> titles;
  for (const Column& c : s.table.columns) titles.push_back(c.title);
  const std::string header = txt_line(s, titles);
  const std::string rule(text_width(header), '-');
  lines->push_back(one_line(s.heading));
  lines->push_back(header);
  lines->push_back(rule);
  for (const auto& row : s.table.rows) lines->push_back(txt_line(s, row));
  if (s.table.rows.empty()) lines->push_back(s.table.empty_text);
  if (!s.table.totals.empty()) {
    lines->push_back(rule);
    for (const auto& row : s.table.totals) lines->push_back(txt_total(s, row));
  }
  lines->push_back("");
}

}  // namespace

std::string report_txt(const Report& r) {
  std::vector<std::string> lines = {one_line(r.info.title)};
  if (!r.subtitle.empty()) lines.push_back(one_line(r.subtitle));
  for (const FieldBlock& block : r.fields) {
    for (const Field& f : block.fields) lines.push_back(one_line(f.label + ": " + (f.value.empty() ? "—" : f.value)));
  }
  lines.push_back("");
  for (const Section& s : r.sections) {
    if (!s.txt_widths.empty()) add_section(s, &lines);
  }
  for (const std::string& note : r.notes) lines.push_back(one_line(note));
  size_t width = 0;
  for (const std::string& l : lines) width = std::max(width, text_width(l));
  std::string out;
  for (const std::string& l : lines) out += fit_width(l, width) + "\n";
  return out;
}

}  // namespace autoriza::print
