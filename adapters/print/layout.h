#pragma once
// The one layout layer every PDF of autoriza goes through (comprobantes,
// registers, billing, token sheets). cairo draws; pango shapes and wraps
// UTF-8 text in DejaVu Sans (Debian fonts-dejavu-core; fontconfig picks
// another sans-serif when it is missing). Units are points (1/72 in), with
// the origin at the top-left of the page or box.
//
// A Document is a flow of blocks on A4 pages: a title block, key-value
// fields, headings, paragraphs, tables, signature lines, and boxes for free
// drawing. Each block goes below the previous one; a block that does not fit
// in what is left of the page starts the next page. Tables break between
// rows and repeat their header row on every page. Every page gets a footer:
// the document's title on the left, "Página N de M" on the right.
//
// How it is built: each page is first drawn on a cairo recording surface (so
// text is measured and drawn by the same pango context); finish() then plays
// the pages into one PDF surface and adds the footers, now that M is known.
// Text stays text in the PDF (pdftotext reads it back); fonts are embedded
// as subsets. Equal inputs give equal bytes (no clock is read: the creation
// date is the one given, or none).
//
// Bounds: at most kPagesMax pages (a longer document is cut, and the last
// footer says so); a table cell shows at most kCellLinesMax lines (the last
// one ends in "…" when cut).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace autoriza::print {

inline constexpr double kA4ShortPt = 595.28;  // 210 mm
inline constexpr double kA4LongPt = 841.89;   // 297 mm
inline constexpr size_t kPagesMax = 1'000;
inline constexpr size_t kCellLinesMax = 12;

enum class Orientation : uint8_t { kPortrait, kLandscape };
enum class Align : uint8_t { kLeft, kCenter, kRight };

struct Rgb {
  double r = 0, g = 0, b = 0;
};
inline constexpr Rgb kInk{0.106, 0.145, 0.188};   // body text
inline constexpr Rgb kMuted{0.36, 0.42, 0.48};    // labels, footers
inline constexpr Rgb kRule{0.79, 0.83, 0.87};     // lines and borders
inline constexpr Rgb kShade{0.93, 0.95, 0.97};    // table header band
inline constexpr Rgb kBrand{0.043, 0.31, 0.541};  // titles
inline constexpr Rgb kWhite{1, 1, 1};

struct TextStyle {
  double size_pt = 9;
  bool bold = false;
  bool mono = false;  // DejaVu Sans Mono
  Align align = Align::kLeft;
  Rgb color = kInk;
  size_t lines_max = 0;  // > 0: at most this many lines, the last ending in "…" when cut
};

// One label and its value in a fields() block.
struct Field {
  std::string label, value;
};

struct Column {
  std::string title;
  Align align = Align::kLeft;
  // Never wrapped unless the page is too narrow for every column's minimum
  // (ids, amounts): the column is at least as wide as its widest cell.
  bool keep_whole = false;
};

// Rows have one cell per column (missing cells are empty, extra ones are
// ignored). Cells wrap at word boundaries inside their column; a row is as
// tall as its tallest cell. A totals row's first cell (its label) spans the
// empty cells after it.
struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::vector<std::string>> totals;  // in bold after a rule, below the rows
  double font_size_pt = 8;
  std::string empty_text = "Sin registros.";  // under the header when rows is empty
};

// Cell i of a row; "" when the row is shorter.
inline const std::string& table_cell(const std::vector<std::string>& row, size_t i) {
  static const std::string kEmpty;
  return i < row.size() ? row[i] : kEmpty;
}

// The last column a totals row's label spans: its first cell and the empty
// cells after it (at most columns - 1).
inline size_t total_label_end(const std::vector<std::string>& row, size_t columns) {
  size_t end = 0;
  while (end + 1 < columns && table_cell(row, end + 1).empty()) ++end;
  return end;
}

struct DocumentInfo {
  std::string title;    // the PDF's Title and every page's footer
  std::string created;  // ISO-8601 instant for the PDF's CreationDate; empty: none
  Orientation orientation = Orientation::kPortrait;
  double margin_pt = 36;
};

namespace detail {
struct Pen;  // cairo context of the page being drawn and the pango layout
}

// Free drawing inside a box that Document::box() reserved on the current
// page; coordinates from the box's top-left. Valid until the next block is
// added to the document.
class Canvas {
 public:
  double width() const { return width_pt_; }
  double height() const { return height_pt_; }
  // Draws text wrapped to width (<= 0: one line, never wrapped) with its
  // first line's top at y; returns the height it took.
  double text(double x, double y, double width, std::string_view text, const TextStyle& style);
  // The height text would take, and its width on one line.
  double text_height(double width, std::string_view text, const TextStyle& style) const;
  double text_width(std::string_view text, const TextStyle& style) const;
  void fill_rect(double x, double y, double w, double h, Rgb color);
  void stroke_rect(double x, double y, double w, double h, Rgb color, double line_pt);
  void line(double x0, double y0, double x1, double y1, Rgb color, double line_pt);

 private:
  friend class Document;
  Canvas(detail::Pen* pen, double x, double y, double width, double height)
      : pen_(pen), x_(x), y_(y), width_pt_(width), height_pt_(height) {}
  detail::Pen* pen_;
  double x_, y_, width_pt_, height_pt_;
};

class Document {
 public:
  explicit Document(DocumentInfo info);
  ~Document();
  Document(const Document&) = delete;
  Document& operator=(const Document&) = delete;

  // Page width minus the margins: what a block may use.
  double content_width() const;

  // The document's title (large) and lines under it (subtitle: '\n' separates
  // lines), then a rule.
  void title_block(std::string_view title, std::string_view subtitle);
  void heading(std::string_view text);
  void paragraph(std::string_view text, const TextStyle& style = {});
  // Labels over their values, in a grid of columns (>= 1) per row.
  void fields(const std::vector<Field>& fields, size_t columns);
  void table(const Table& table);
  // A line to sign on for each label, side by side, the label under it.
  void signatures(const std::vector<std::string>& labels);
  void space(double height_pt);
  // Reserves height_pt (at most a page's content height) at the cursor, on
  // the next page when it does not fit, for free drawing.
  Canvas box(double height_pt);
  void page_break();

  size_t pages() const;
  // Whether content was left out because the document reached kPagesMax.
  bool cut() const;

  // The PDF. Call once, after the last block. Empty only when cairo failed
  // (it runs out of memory).
  std::string finish();

  struct Impl;  // the layer's own state (layout_internal.h)

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace autoriza::print
