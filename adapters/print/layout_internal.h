#pragma once
// What layout.cc and layout_table.cc share: the pen (a pango layout reused
// for every piece of text, and the cairo context of the page being drawn)
// and the document's state. Not part of the library's interface.
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/print/layout.h"

namespace autoriza::print {
namespace detail {

struct CairoDestroy {
  void operator()(cairo_t* cr) const { cairo_destroy(cr); }
  void operator()(cairo_surface_t* surface) const { cairo_surface_destroy(surface); }
};
struct GObjectUnref {
  void operator()(void* object) const { g_object_unref(object); }
};
struct FontFree {
  void operator()(PangoFontDescription* font) const { pango_font_description_free(font); }
};
using CairoPtr = std::unique_ptr<cairo_t, CairoDestroy>;
using SurfacePtr = std::unique_ptr<cairo_surface_t, CairoDestroy>;

struct Pen {
  // A pango context of this thread's default font map (pango keeps one per
  // thread), unhinted so measures equal what the PDF shows.
  Pen();

  // Shapes text (UTF-8; malformed bytes become U+FFFD) in style, wrapped at
  // width (<= 0: one line, never wrapped); the layout stays valid until the
  // next call.
  PangoLayout* shape(std::string_view text, double width, const TextStyle& style);
  // Logical width and height of the shaped text, in points.
  static double width_of(PangoLayout* layout);
  static double height_of(PangoLayout* layout);
  // The narrowest width that breaks no word: the widest word.
  double widest_word(std::string_view text, const TextStyle& style);
  // Shapes and draws text with its top-left at (x, y); returns its height.
  double draw(double x, double y, double width, std::string_view text, const TextStyle& style);
  void fill_rect(double x, double y, double w, double h, Rgb color);
  void stroke_line(double x0, double y0, double x1, double y1, Rgb color, double line_pt);

  cairo_t* cr = nullptr;  // the page being drawn (not owned)
  std::unique_ptr<PangoContext, GObjectUnref> context;
  std::unique_ptr<PangoLayout, GObjectUnref> layout;
  std::unique_ptr<PangoFontDescription, FontFree> sans, sans_bold, mono, mono_bold;
};

}  // namespace detail

struct Document::Impl {
  explicit Impl(DocumentInfo info);

  double left() const { return info.margin_pt; }
  double top() const { return info.margin_pt; }
  double width() const { return page_w - 2 * info.margin_pt; }
  // Where content ends: above the footer.
  double bottom() const { return page_h - info.margin_pt - kFooterPt; }
  // Makes room for height_pt at the cursor, starting a page when needed
  // (not when the page is still empty: a taller block then overflows it).
  // false when the document is cut at kPagesMax: draw nothing more.
  bool ensure(double height_pt);
  bool new_page();

  static constexpr double kFooterPt = 24;

  DocumentInfo info;
  double page_w, page_h;
  detail::Pen pen;
  std::vector<detail::SurfacePtr> pages;  // recording surfaces, one per page
  detail::SurfacePtr scratch;             // once cut: where stray drawing goes
  detail::CairoPtr cr;                    // on pages.back() (or scratch)
  double y = 0;                           // the cursor, from the page's top
  bool cut = false;
};

// layout_table.cc: draws a table at the cursor (Document::table).
void draw_table(Document::Impl& doc, const Table& table);

}  // namespace autoriza::print
