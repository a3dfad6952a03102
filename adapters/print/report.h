#pragma once
// One model for every people-facing document (register, billing,
// comprobante), rendered three ways from the same content: PDF through the
// layout layer (layout.h), HTML (a self-contained page with the shared style
// sheet web/document.css, laid out for printing) and fixed-width TXT.
// Values in a Report are already as people read them (format_es.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/print/layout.h"

namespace autoriza::print {

// Where a column of a Section shows.
enum class Shown : uint8_t {
  kEverywhere,
  kPrintOnly,   // PDF and HTML, not TXT
  kTxtOnly,     // TXT only (e.g. the parts of a cell the PDF shows on two lines)
  kPrintIfAny,  // TXT always; PDF and HTML when a row has a value in it
};

// A table with a heading (the HTML's caption).
struct Section {
  std::string heading;
  Table table;
  // Characters of each column in the TXT export (0: left out of the TXT).
  // Empty: the section is not in the TXT.
  std::vector<size_t> txt_widths;
  std::vector<Shown> shown;  // per column; missing: kEverywhere
};

// One column of a Section as a document declares it, in a table of constants.
struct ReportColumn {
  const char* title;
  Align align;
  bool keep_whole;
  size_t txt_width;  // 0: not in the TXT
  Shown shown;
};

// A section with these columns and no rows yet.
Section section_of(std::string heading, const ReportColumn* columns, size_t count);
template <size_t N>
Section section_of(std::string heading, const ReportColumn (&columns)[N]) {
  return section_of(std::move(heading), columns, N);
}

// Labels over values, columns to a row.
struct FieldBlock {
  std::vector<Field> fields;
  size_t columns = 4;
};

struct Report {
  DocumentInfo info;     // title, orientation, creation date
  std::string subtitle;  // under the title
  std::vector<FieldBlock> fields;
  std::vector<Section> sections;
  std::vector<std::string> notes;       // paragraphs after the tables
  std::vector<std::string> signatures;  // labels of the lines to sign on
};

// The PDF; empty only when cairo failed (layout.h).
std::string report_pdf(const Report& report);
// The HTML page (lang="es", UTF-8, every text escaped).
std::string report_html(const Report& report);
// Fixed-width text, '\n' line ends: the title, the fields, then per section
// its heading, a header line, the rows and the totals; columns padded (or cut
// with "…") to their txt_widths in characters, not bytes, one space apart
// (amounts aligned right). Every line has the same number of characters.
std::string report_txt(const Report& report);

}  // namespace autoriza::print
