#include "adapters/print/layout.h"

#include <cairo-pdf.h>

#include <algorithm>
#include <cassert>

#include "adapters/print/layout_internal.h"

namespace autoriza::print {
namespace detail {

Pen::Pen()
    : context(pango_font_map_create_context(pango_cairo_font_map_get_default())),
      layout(nullptr),
      sans(pango_font_description_from_string("DejaVu Sans,sans-serif")),
      sans_bold(pango_font_description_from_string("DejaVu Sans,sans-serif Bold")),
      mono(pango_font_description_from_string("DejaVu Sans Mono,monospace")),
      mono_bold(pango_font_description_from_string("DejaVu Sans Mono,monospace Bold")) {
  cairo_font_options_t* options = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(context.get(), options);
  cairo_font_options_destroy(options);
  pango_context_set_round_glyph_positions(context.get(), FALSE);
  pango_context_set_language(context.get(), pango_language_from_string("es-ar"));
  layout.reset(pango_layout_new(context.get()));
  assert(layout != nullptr);
}

PangoLayout* Pen::shape(std::string_view text, double width, const TextStyle& style) {
  PangoLayout* l = layout.get();
  PangoFontDescription* font =
      style.mono ? (style.bold ? mono_bold : mono).get() : (style.bold ? sans_bold : sans).get();
  pango_font_description_set_absolute_size(font, style.size_pt * PANGO_SCALE);
  pango_layout_set_font_description(l, font);
  pango_layout_set_width(l, width > 0 ? int(width * PANGO_SCALE) : -1);
  pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(l, style.align == Align::kRight    ? PANGO_ALIGN_RIGHT
                                : style.align == Align::kCenter ? PANGO_ALIGN_CENTER
                                                                : PANGO_ALIGN_LEFT);
  pango_layout_set_height(l, style.lines_max > 0 ? -int(style.lines_max) : -1);
  pango_layout_set_ellipsize(l, style.lines_max > 0 && width > 0 ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  if (g_utf8_validate(text.data(), gssize(text.size()), nullptr)) {
    pango_layout_set_text(l, text.data(), int(text.size()));
  } else {
    gchar* valid = g_utf8_make_valid(text.data(), gssize(text.size()));
    pango_layout_set_text(l, valid, -1);
    g_free(valid);
  }
  return l;
}

double Pen::width_of(PangoLayout* layout) {
  PangoRectangle ink, logical;
  pango_layout_get_extents(layout, &ink, &logical);
  return double(logical.width) / PANGO_SCALE;
}

double Pen::height_of(PangoLayout* layout) {
  int w = 0, h = 0;
  pango_layout_get_size(layout, &w, &h);
  return double(h) / PANGO_SCALE;
}

double Pen::widest_word(std::string_view text, const TextStyle& style) {
  // Shaped at a width of nothing, every line holds one word (or part of a
  // word too wide for any line: then the widest character, which is fine).
  TextStyle left = style;
  left.align = Align::kLeft;
  left.lines_max = 0;
  PangoLayout* l = shape(text, 0.01, left);
  pango_layout_set_wrap(l, PANGO_WRAP_WORD);
  return width_of(l);
}

double Pen::draw(double x, double y, double width, std::string_view text, const TextStyle& style) {
  assert(cr != nullptr);
  PangoLayout* l = shape(text, width, style);
  cairo_set_source_rgb(cr, style.color.r, style.color.g, style.color.b);
  cairo_move_to(cr, x, y);
  pango_cairo_show_layout(cr, l);
  return height_of(l);
}

void Pen::fill_rect(double x, double y, double w, double h, Rgb color) {
  assert(cr != nullptr);
  cairo_set_source_rgb(cr, color.r, color.g, color.b);
  cairo_rectangle(cr, x, y, w, h);
  cairo_fill(cr);
}

void Pen::stroke_line(double x0, double y0, double x1, double y1, Rgb color, double line_pt) {
  assert(cr != nullptr);
  cairo_set_source_rgb(cr, color.r, color.g, color.b);
  cairo_set_line_width(cr, line_pt);
  cairo_move_to(cr, x0, y0);
  cairo_line_to(cr, x1, y1);
  cairo_stroke(cr);
}

}  // namespace detail

// --- Canvas ---------------------------------------------------------------------------------------

double Canvas::text(double x, double y, double width, std::string_view text, const TextStyle& style) {
  return pen_->draw(x_ + x, y_ + y, width, text, style);
}

double Canvas::text_height(double width, std::string_view text, const TextStyle& style) const {
  return detail::Pen::height_of(pen_->shape(text, width, style));
}

double Canvas::text_width(std::string_view text, const TextStyle& style) const {
  return detail::Pen::width_of(pen_->shape(text, 0, style));
}

void Canvas::fill_rect(double x, double y, double w, double h, Rgb color) {
  pen_->fill_rect(x_ + x, y_ + y, w, h, color);
}

void Canvas::stroke_rect(double x, double y, double w, double h, Rgb color, double line_pt) {
  assert(pen_->cr != nullptr);
  cairo_set_source_rgb(pen_->cr, color.r, color.g, color.b);
  cairo_set_line_width(pen_->cr, line_pt);
  cairo_rectangle(pen_->cr, x_ + x, y_ + y, w, h);
  cairo_stroke(pen_->cr);
}

void Canvas::line(double x0, double y0, double x1, double y1, Rgb color, double line_pt) {
  pen_->stroke_line(x_ + x0, y_ + y0, x_ + x1, y_ + y1, color, line_pt);
}

// --- Document -------------------------------------------------------------------------------------

Document::Impl::Impl(DocumentInfo info_in) : info(std::move(info_in)) {
  const bool landscape = info.orientation == Orientation::kLandscape;
  page_w = landscape ? kA4LongPt : kA4ShortPt;
  page_h = landscape ? kA4ShortPt : kA4LongPt;
  assert(info.margin_pt >= 0 && 2 * info.margin_pt < std::min(page_w, page_h));
  new_page();
}

bool Document::Impl::new_page() {
  if (cut) return false;
  const cairo_rectangle_t extents{0, 0, page_w, page_h};
  detail::SurfacePtr page(cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &extents));
  cairo_surface_t* target = page.get();
  cut = pages.size() == kPagesMax;
  if (cut) {
    scratch = std::move(page);  // what is still drawn (a box) lands on a page never shown
  } else {
    pages.push_back(std::move(page));
  }
  cr.reset(cairo_create(target));
  pen.cr = cr.get();
  y = top();
  assert(pages.size() <= kPagesMax);
  return !cut;
}

bool Document::Impl::ensure(double height_pt) {
  if (cut) return false;
  if (y + height_pt <= bottom() || y <= top()) return true;
  return new_page();
}

Document::Document(DocumentInfo info) : impl_(std::make_unique<Impl>(std::move(info))) {}
Document::~Document() = default;

double Document::content_width() const {
  return impl_->width();
}
size_t Document::pages() const {
  return impl_->pages.size();
}
bool Document::cut() const {
  return impl_->cut;
}

void Document::title_block(std::string_view title, std::string_view subtitle) {
  Impl& d = *impl_;
  const TextStyle title_style{.size_pt = 15, .bold = true, .color = kBrand};
  const TextStyle sub_style{.size_pt = 9, .color = kMuted};
  const double w = d.width();
  const double h = detail::Pen::height_of(d.pen.shape(title, w, title_style)) +
                   (subtitle.empty() ? 0 : 3 + detail::Pen::height_of(d.pen.shape(subtitle, w, sub_style)));
  if (!d.ensure(h + 12)) return;
  d.y += d.pen.draw(d.left(), d.y, w, title, title_style);
  if (!subtitle.empty()) d.y += 3 + d.pen.draw(d.left(), d.y + 3, w, subtitle, sub_style);
  d.y += 5;
  d.pen.stroke_line(d.left(), d.y, d.left() + w, d.y, kBrand, 1);
  d.y += 7;
}

void Document::heading(std::string_view text) {
  Impl& d = *impl_;
  const TextStyle style{.size_pt = 10.5, .bold = true, .color = kBrand};
  const double h = detail::Pen::height_of(d.pen.shape(text, d.width(), style));
  if (!d.ensure(h + 4 + 30)) return;  // keep a heading with a little of what follows it
  d.y += 4;
  d.y += d.pen.draw(d.left(), d.y, d.width(), text, style) + 3;
}

void Document::paragraph(std::string_view text, const TextStyle& style) {
  Impl& d = *impl_;
  const double h = detail::Pen::height_of(d.pen.shape(text, d.width(), style));
  if (!d.ensure(h)) return;
  d.y += d.pen.draw(d.left(), d.y, d.width(), text, style) + 3;
}

void Document::fields(const std::vector<Field>& fields, size_t columns) {
  assert(columns >= 1);
  Impl& d = *impl_;
  const TextStyle label{.size_pt = 7, .color = kMuted};
  const TextStyle value{.size_pt = 9.5};
  constexpr double kGap = 12;
  const double cell_w = (d.width() - kGap * double(columns - 1)) / double(columns);
  for (size_t first = 0; first < fields.size(); first += columns) {
    const size_t end = std::min(fields.size(), first + columns);
    double h = 0;
    for (size_t i = first; i < end; ++i) {
      h = std::max(
          h, detail::Pen::height_of(d.pen.shape(fields[i].label, cell_w, label)) + 1 +
                 detail::Pen::height_of(d.pen.shape(fields[i].value.empty() ? "—" : fields[i].value, cell_w, value)));
    }
    if (!d.ensure(h)) return;
    for (size_t i = first; i < end; ++i) {
      const double x = d.left() + double(i - first) * (cell_w + kGap);
      const double label_h = d.pen.draw(x, d.y, cell_w, fields[i].label, label);
      d.pen.draw(x, d.y + label_h + 1, cell_w, fields[i].value.empty() ? "—" : fields[i].value, value);
    }
    d.y += h + 6;
  }
}

void Document::table(const Table& table) {
  draw_table(*impl_, table);
}

void Document::signatures(const std::vector<std::string>& labels) {
  if (labels.empty()) return;
  Impl& d = *impl_;
  constexpr double kSpacePt = 44, kGap = 36;
  const TextStyle style{.size_pt = 8, .align = Align::kCenter, .color = kMuted};
  const double n = double(labels.size());
  const double line_w = (d.width() - kGap * (n - 1)) / n;
  double label_h = 0;
  for (const std::string& l : labels)
    label_h = std::max(label_h, detail::Pen::height_of(d.pen.shape(l, line_w, style)));
  if (!d.ensure(kSpacePt + 3 + label_h)) return;
  d.y += kSpacePt;
  for (size_t i = 0; i < labels.size(); ++i) {
    const double x = d.left() + double(i) * (line_w + kGap);
    d.pen.stroke_line(x, d.y, x + line_w, d.y, kInk, 0.7);
    d.pen.draw(x, d.y + 3, line_w, labels[i], style);
  }
  d.y += 3 + label_h + 6;
}

void Document::space(double height_pt) {
  Impl& d = *impl_;
  d.y = std::min(d.y + height_pt, d.bottom());
}

Canvas Document::box(double height_pt) {
  Impl& d = *impl_;
  const double h = std::min(height_pt, d.bottom() - d.top());
  d.ensure(h);  // when cut, the box is on a page never shown
  const double y = d.y;
  d.y = std::min(d.y + h, d.bottom());
  return Canvas(&d.pen, d.left(), y, d.width(), h);
}

void Document::page_break() {
  if (impl_->y > impl_->top()) impl_->new_page();
}

namespace {

// Malformed UTF-8 bytes as U+FFFD (cairo refuses a metadata string with them).
std::string valid_utf8(const std::string& text) {
  if (g_utf8_validate(text.data(), gssize(text.size()), nullptr)) return text;
  gchar* valid = g_utf8_make_valid(text.data(), gssize(text.size()));
  std::string out(valid);
  g_free(valid);
  return out;
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// The footer of page n (from 1) of m.
void draw_footer(Document::Impl& d, size_t n, size_t m) {
  const TextStyle style{.size_pt = 7.5, .color = kMuted};
  const double y = d.page_h - d.info.margin_pt - 10;
  const double w = d.width();
  d.pen.stroke_line(d.left(), y - 4, d.left() + w, y - 4, kRule, 0.5);
  std::string left = d.info.title;
  if (d.cut && n == m)
    left = "Documento recortado en " + std::to_string(m) + " páginas: pida un período más corto. " + left;
  d.pen.draw(d.left(), y, w * 0.75, left, TextStyle{.size_pt = 7.5, .color = kMuted, .lines_max = 1});
  TextStyle right = style;
  right.align = Align::kRight;
  d.pen.draw(d.left() + w * 0.75, y, w * 0.25, "Página " + std::to_string(n) + " de " + std::to_string(m), right);
}

}  // namespace

std::string Document::finish() {
  Impl& d = *impl_;
  d.pen.cr = nullptr;
  d.cr.reset();
  std::string out;
  detail::SurfacePtr pdf(cairo_pdf_surface_create_for_stream(append_bytes, &out, d.page_w, d.page_h));
  cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_TITLE, valid_utf8(d.info.title).c_str());
  cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_CREATOR, "autoriza");
  // An empty date leaves CreationDate out (cairo would put the clock's).
  cairo_pdf_surface_set_metadata(pdf.get(), CAIRO_PDF_METADATA_CREATE_DATE, d.info.created.c_str());
  detail::CairoPtr cr(cairo_create(pdf.get()));
  d.pen.cr = cr.get();
  for (size_t i = 0; i < d.pages.size(); ++i) {
    cairo_set_source_surface(cr.get(), d.pages[i].get(), 0, 0);
    cairo_paint(cr.get());
    draw_footer(d, i + 1, d.pages.size());
    cairo_show_page(cr.get());
  }
  d.pen.cr = nullptr;
  const cairo_status_t status = cairo_status(cr.get());
  cr.reset();
  cairo_surface_finish(pdf.get());
  if (status != CAIRO_STATUS_SUCCESS || cairo_surface_status(pdf.get()) != CAIRO_STATUS_SUCCESS) return {};
  return out;
}

}  // namespace autoriza::print
