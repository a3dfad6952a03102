// A Report as PDF (through the layout layer) and as an HTML page.
#include "adapters/print/report.h"

#include "adapters/codec/html_escape.h"
#include "adapters/print/print_assets.h"

namespace autoriza::print {
namespace {

bool any_value(const Table& t, size_t column) {
  for (const auto& row : t.rows) {
    if (!table_cell(row, column).empty()) return true;
  }
  return false;
}

// The section's table as PDF and HTML show it: without its TXT-only columns
// and its empty optional ones.
Table printed(const Section& s) {
  std::vector<size_t> keep;
  for (size_t i = 0; i < s.table.columns.size(); ++i) {
    const Shown shown = i < s.shown.size() ? s.shown[i] : Shown::kEverywhere;
    if (shown == Shown::kTxtOnly || (shown == Shown::kPrintIfAny && !any_value(s.table, i))) continue;
    keep.push_back(i);
  }
  if (keep.size() == s.table.columns.size()) return s.table;
  Table t = s.table;
  auto pick = [&](const std::vector<std::string>& row) {
    std::vector<std::string> out;
    for (size_t i : keep) out.push_back(table_cell(row, i));
    return out;
  };
  t.columns.clear();
  for (size_t i : keep) t.columns.push_back(s.table.columns[i]);
  for (auto& row : t.rows) row = pick(row);
  for (auto& row : t.totals) row = pick(row);
  return t;
}

const char* align_class(Align align) {
  switch (align) {
    case Align::kRight:
      return " class=\"num\"";
    case Align::kCenter:
      return " class=\"center\"";
    case Align::kLeft:
      break;
  }
  return "";
}

// Text with its line breaks as <br>.
std::string html_lines(const std::string& text) {
  std::string out;
  size_t start = 0;
  for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    out += html_escape(std::string_view(text).substr(start, nl - start)) + "<br>";
  }
  return out + html_escape(std::string_view(text).substr(start));
}

void html_fields(const std::vector<Field>& fields, std::string* out) {
  if (fields.empty()) return;
  *out += "<dl class=\"fields\">\n";
  for (const Field& f : fields) {
    *out += "<div><dt>" + html_escape(f.label) + "</dt><dd>" + (f.value.empty() ? "—" : html_lines(f.value)) +
            "</dd></div>\n";
  }
  *out += "</dl>\n";
}

void html_row(const Table& t, const std::vector<std::string>& row, std::string* out) {
  *out += "<tr>";
  for (size_t i = 0; i < t.columns.size(); ++i) {
    *out += std::string("<td") + align_class(t.columns[i].align) + ">" + html_lines(table_cell(row, i)) + "</td>";
  }
  *out += "</tr>\n";
}

// Totals rows: the leading empty cells and the first label become one row header.
void html_total(const Table& t, const std::vector<std::string>& row, std::string* out) {
  const size_t label_end = total_label_end(row, t.columns.size());
  *out += "<tr><th scope=\"row\" colspan=\"" + std::to_string(label_end + 1) + "\">" + html_lines(table_cell(row, 0)) +
          "</th>";
  for (size_t i = label_end + 1; i < t.columns.size(); ++i) {
    *out += std::string("<td") + align_class(t.columns[i].align) + ">" + html_lines(table_cell(row, i)) + "</td>";
  }
  *out += "</tr>\n";
}

void html_section(const Section& s, std::string* out) {
  const Table t = printed(s);
  *out += "<div class=\"table-wrap\"><table>\n<caption>" + html_escape(s.heading) + "</caption>\n<thead><tr>";
  for (const Column& c : t.columns) {
    *out += std::string("<th scope=\"col\"") + align_class(c.align) + ">" + html_escape(c.title) + "</th>";
  }
  *out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) html_row(t, row, out);
  if (t.rows.empty()) {
    *out += "<tr><td class=\"empty\" colspan=\"" + std::to_string(t.columns.size()) + "\">" +
            html_escape(t.empty_text) + "</td></tr>\n";
  }
  *out += "</tbody>\n";
  if (!t.totals.empty()) {
    *out += "<tfoot>\n";
    for (const auto& row : t.totals) html_total(t, row, out);
    *out += "</tfoot>\n";
  }
  *out += "</table></div>\n";
}

}  // namespace

Section section_of(std::string heading, const ReportColumn* columns, size_t count) {
  Section s;
  s.heading = std::move(heading);
  for (size_t i = 0; i < count; ++i) {
    s.table.columns.push_back({columns[i].title, columns[i].align, columns[i].keep_whole});
    s.txt_widths.push_back(columns[i].txt_width);
    s.shown.push_back(columns[i].shown);
  }
  return s;
}

std::string report_pdf(const Report& r) {
  Document doc(r.info);
  doc.title_block(r.info.title, r.subtitle);
  for (const FieldBlock& block : r.fields) doc.fields(block.fields, block.columns);
  for (const Section& s : r.sections) {
    doc.heading(s.heading);
    doc.table(printed(s));
  }
  for (const std::string& note : r.notes) doc.paragraph(note, TextStyle{.size_pt = 8.5, .color = kMuted});
  doc.signatures(r.signatures);
  return doc.finish();
}

std::string report_html(const Report& r) {
  const bool landscape = r.info.orientation == Orientation::kLandscape;
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"es\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      html_escape(r.info.title) + "</title>\n<style>\n" + std::string(print_web::document_css()) +
      "</style>\n</head>\n<body" + (landscape ? " class=\"landscape\"" : "") + ">\n<main>\n<h1>" +
      html_escape(r.info.title) + "</h1>\n";
  if (!r.subtitle.empty()) out += "<p class=\"subtitle\">" + html_escape(r.subtitle) + "</p>\n";
  for (const FieldBlock& block : r.fields) html_fields(block.fields, &out);
  for (const Section& s : r.sections) html_section(s, &out);
  for (const std::string& note : r.notes) out += "<p class=\"note\">" + html_lines(note) + "</p>\n";
  if (!r.signatures.empty()) {
    out += "<div class=\"signatures\">";
    for (const std::string& label : r.signatures) out += "<p>" + html_escape(label) + "</p>";
    out += "</div>\n";
  }
  return out + "</main>\n</body>\n</html>\n";
}

}  // namespace autoriza::print
