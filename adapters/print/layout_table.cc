// Tables of the layout layer (layout.h): column widths that fit the page,
// rows as tall as their tallest cell, page breaks with the header repeated.
//
// Column widths, as browsers lay out automatic tables: each column has a
// natural width (its widest cell on one line, at most kShareMax of the
// table) and a minimum (its widest word; the natural width for headers,
// keep_whole columns and cells without spaces, so ids such as "T-0-11" never
// break at their dashes). When the naturals fit they are stretched in
// proportion to fill the width; else every column gets its minimum and the
// rest of the width goes in proportion to how much more each would like
// (descriptions get most); when even the minimums do not fit, they are
// scaled down and words break between characters.
#include <algorithm>
#include <cassert>

#include "adapters/print/layout_internal.h"

namespace autoriza::print {
namespace {

constexpr double kPadX = 3, kPadY = 2.2;
constexpr size_t kMeasureRowsMax = 2'000;  // rows whose cells set the widths; later ones wrap to them
constexpr double kShareMax = 0.3;

using Row = std::vector<std::string>;

struct Styles {
  TextStyle header, body, totals;
};

Styles styles_of(const Table& t) {
  Styles s;
  s.body.size_pt = t.font_size_pt;
  s.body.lines_max = kCellLinesMax;
  s.header = s.body;
  s.header.bold = true;
  s.totals = s.header;
  return s;
}

// Widens natural[i] and minimum[i] to hold text in style.
void measure_cell(detail::Pen& pen, const std::string& text, const TextStyle& style, bool keep_whole, double* natural,
                  double* minimum) {
  if (text.empty()) return;
  const double one_line = detail::Pen::width_of(pen.shape(text, 0, style));
  *natural = std::max(*natural, one_line);
  const bool breaks = !keep_whole && text.find_first_of(" \n") != std::string::npos;
  *minimum = std::max(*minimum, breaks ? pen.widest_word(text, style) : one_line);
}

std::vector<double> distribute(std::vector<double> natural, const std::vector<double>& minimum, double total) {
  const size_t n = natural.size();
  // One very long cell (a note) should not take the room of every other
  // column: no column asks for more than kShareMax of the width.
  for (size_t i = 0; i < n; ++i) natural[i] = std::max(minimum[i], std::min(natural[i], total * kShareMax));
  double sum_natural = 0, sum_minimum = 0;
  for (size_t i = 0; i < n; ++i) sum_natural += natural[i], sum_minimum += minimum[i];
  std::vector<double> widths(n);
  if (sum_natural <= total) {
    for (size_t i = 0; i < n; ++i) widths[i] = natural[i] + (total - sum_natural) * natural[i] / sum_natural;
  } else if (sum_minimum <= total) {
    // In proportion to what each wants: the long texts, which make rows
    // tall, get most (measured: fewer pages than filling the small wants first).
    const double slack = total - sum_minimum, wanted = sum_natural - sum_minimum;
    for (size_t i = 0; i < n; ++i) widths[i] = minimum[i] + slack * (natural[i] - minimum[i]) / wanted;
  } else {
    for (size_t i = 0; i < n; ++i) widths[i] = total * minimum[i] / sum_minimum;
  }
  return widths;
}

std::vector<double> column_widths(detail::Pen& pen, const Table& t, const Styles& s, double total) {
  const size_t n = t.columns.size();
  std::vector<double> natural(n, 0), minimum(n, 0);
  for (size_t i = 0; i < n; ++i) {  // headers never wrap
    measure_cell(pen, t.columns[i].title, s.header, true, &natural[i], &minimum[i]);
  }
  const size_t measured = std::min(t.rows.size(), kMeasureRowsMax);
  for (size_t r = 0; r < measured + t.totals.size(); ++r) {
    const Row& row = r < measured ? t.rows[r] : t.totals[r - measured];
    const TextStyle& style = r < measured ? s.body : s.totals;
    const size_t from = r < measured || total_label_end(row, n) == 0
                            ? 0
                            : total_label_end(row, n) + 1;  // a spanning label sets no width
    for (size_t i = from; i < n; ++i) {
      measure_cell(pen, table_cell(row, i), style, t.columns[i].keep_whole, &natural[i], &minimum[i]);
    }
  }
  for (size_t i = 0; i < n; ++i) natural[i] += 2 * kPadX + 0.5, minimum[i] += 2 * kPadX + 0.5;
  return distribute(natural, minimum, total);
}

class TableDrawer {
 public:
  TableDrawer(Document::Impl& doc, const Table& t)
      : doc_(doc), t_(t), s_(styles_of(t)), widths_(column_widths(doc.pen, t, s_, doc.width())) {}

  void draw() {
    const Row header = titles();
    const double header_h = height(header, s_.header);
    const double first_h = t_.rows.empty() ? 0 : height(t_.rows[0], s_.body);
    if (!doc_.ensure(header_h + first_h)) return;
    draw_header(header, header_h);
    if (t_.rows.empty()) {
      doc_.y += 2 + doc_.pen.draw(doc_.left() + kPadX, doc_.y + 2, doc_.width(), t_.empty_text,
                                  TextStyle{.size_pt = t_.font_size_pt, .color = kMuted});
    }
    for (const Row& row : t_.rows) {
      if (!place(row, s_.body, header, header_h)) return;
      doc_.pen.stroke_line(doc_.left(), doc_.y, doc_.left() + doc_.width(), doc_.y, kRule, 0.4);
    }
    bool first_total = true;
    for (const Row& row : t_.totals) {
      if (!place(row, s_.totals, header, header_h, true, first_total)) return;
      first_total = false;
    }
    doc_.y += 8;
  }

 private:
  Row titles() const {
    Row out;
    for (const Column& c : t_.columns) out.push_back(c.title);
    return out;
  }

  TextStyle cell_style(const TextStyle& base, size_t column) const {
    TextStyle style = base;
    style.align = t_.columns[column].align;
    return style;
  }

  // The width of the cell that starts at column i (spanning up to column last).
  double span_width(size_t i, size_t last) const {
    double w = 0;
    for (size_t k = i; k <= last; ++k) w += widths_[k];
    return w;
  }

  // spans: the row's first cell spans the empty ones after it (totals).
  double height(const Row& row, const TextStyle& base, bool spans = false) {
    const size_t first_end = spans ? total_label_end(row, widths_.size()) : 0;
    double h = 0;
    for (size_t i = 0; i < widths_.size(); i = (i == 0 ? first_end + 1 : i + 1)) {
      const std::string& text = table_cell(row, i);
      if (text.empty()) continue;
      const double w = span_width(i, i == 0 ? first_end : i) - 2 * kPadX;
      h = std::max(h, detail::Pen::height_of(doc_.pen.shape(text, w, cell_style(base, i))));
    }
    return h + 2 * kPadY;
  }

  void draw_cells(const Row& row, const TextStyle& base, bool spans = false) {
    const size_t first_end = spans ? total_label_end(row, widths_.size()) : 0;
    double x = doc_.left();
    for (size_t i = 0; i < widths_.size(); i = (i == 0 ? first_end + 1 : i + 1)) {
      const double w = span_width(i, i == 0 ? first_end : i);
      const std::string& text = table_cell(row, i);
      if (!text.empty()) doc_.pen.draw(x + kPadX, doc_.y + kPadY, w - 2 * kPadX, text, cell_style(base, i));
      x += w;
    }
  }

  void draw_header(const Row& header, double header_h) {
    doc_.pen.fill_rect(doc_.left(), doc_.y, doc_.width(), header_h, kShade);
    draw_cells(header, s_.header);
    doc_.y += header_h;
    doc_.pen.stroke_line(doc_.left(), doc_.y, doc_.left() + doc_.width(), doc_.y, kMuted, 0.8);
  }

  // Draws one row at the cursor, on a new page under a repeated header when
  // it does not fit; false when the document is cut.
  bool place(const Row& row, const TextStyle& base, const Row& header, double header_h, bool total = false,
             bool rule_above = false) {
    const double h = height(row, base, total);
    if (doc_.y + h > doc_.bottom()) {
      if (!doc_.new_page()) return false;
      draw_header(header, header_h);
    }
    if (rule_above) doc_.pen.stroke_line(doc_.left(), doc_.y, doc_.left() + doc_.width(), doc_.y, kInk, 0.9);
    draw_cells(row, base, total);
    doc_.y += h;
    return true;
  }

  Document::Impl& doc_;
  const Table& t_;
  const Styles s_;
  const std::vector<double> widths_;
};

}  // namespace

void draw_table(Document::Impl& doc, const Table& table) {
  assert(!table.columns.empty());
  if (table.columns.empty() || doc.cut) return;
  TableDrawer(doc, table).draw();
}

}  // namespace autoriza::print
