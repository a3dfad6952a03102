// Token sheet as a hand-written one-page PDF 1.4, so the sheet downloads as a
// file without a browser or a PDF library on the server.
//
// File layout (ISO 32000-1, section 7.5), objects in this order:
//   %PDF-1.4 header and a binary-marker comment line
//   1 Catalog -> 2 Pages -> 3 Page (A4, 595 x 842 pt) with /Contents 7
//   4 Helvetica, 5 Helvetica-Bold, 6 Courier-Bold (standard 14 fonts, no
//     embedding, /WinAnsiEncoding so Spanish accents print)
//   7 the content stream, uncompressed
//   xref table with the byte offset of every object, trailer, startxref, %%EOF
// Drawing uses a top-left origin in points and flips y when writing operators.
#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdint>

#include "adapters/card/qr.h"
#include "adapters/card/token_sheet.h"

namespace autoriza::card {
namespace {

constexpr double kPageW = 595, kPageH = 842, kMargin = 40;

// Decodes the UTF-8 sequence that starts at utf8[*i] (*i < utf8.size()) into
// *cp and steps *i past it; false, with *i one byte further, when the
// sequence is malformed or cut short. Overlong forms and surrogates pass.
bool next_code_point(std::string_view utf8, size_t* i, uint32_t* cp) {
  const auto b = static_cast<unsigned char>(utf8[*i]);
  size_t len = 1;
  if (b < 0x80) {
    *cp = b;
  } else if ((b & 0xE0) == 0xC0) {
    *cp = b & 0x1F;
    len = 2;
  } else if ((b & 0xF0) == 0xE0) {
    *cp = b & 0x0F;
    len = 3;
  } else if ((b & 0xF8) == 0xF0) {
    *cp = b & 0x07;
    len = 4;
  } else {
    ++*i;
    return false;
  }
  bool ok = *i + len <= utf8.size();
  for (size_t k = 1; ok && k < len; ++k) {
    const auto c = static_cast<unsigned char>(utf8[*i + k]);
    ok = (c & 0xC0) == 0x80;
    *cp = (*cp << 6) | (c & 0x3F);
  }
  *i += ok ? len : 1;
  return ok;
}

// The punctuation above Latin-1 translated to its Windows-1252 slot (in
// 0x80..0x9F); the other characters of those slots become '?'.
struct WinAnsiSlot {
  uint32_t code_point;
  char byte;
};
constexpr WinAnsiSlot kWinAnsiSlots[] = {
    {0x20AC, '\x80'},  // euro
    {0x2026, '\x85'},  // ellipsis
    {0x2018, '\x91'},  // left single quotation mark
    {0x2019, '\x92'},  // right single quotation mark
    {0x201C, '\x93'},  // left double quotation mark
    {0x201D, '\x94'},  // right double quotation mark
    {0x2022, '\x95'},  // bullet
    {0x2013, '\x96'},  // en dash
    {0x2014, '\x97'},  // em dash
};

// The Windows-1252 byte of one code point: controls become spaces, Latin-1
// maps to itself, the punctuation of kWinAnsiSlots to its slot, the rest '?'.
char winansi_byte(uint32_t cp) {
  if (cp < 0x20 || cp == 0x7F) return ' ';
  if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<char>(cp);
  for (const WinAnsiSlot& slot : kWinAnsiSlots) {
    if (slot.code_point == cp) return slot.byte;
  }
  return '?';
}

// UTF-8 -> Windows-1252 (what /WinAnsiEncoding means). Latin-1 code points
// map to themselves; a few punctuation marks have their own slots; anything
// else, and malformed UTF-8, becomes '?'. Control characters become spaces.
std::string to_winansi(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  size_t i = 0;
  uint32_t cp = 0;
  while (i < utf8.size()) out += next_code_point(utf8, &i, &cp) ? winansi_byte(cp) : '?';
  return out;
}

std::string upper_winansi(std::string s) {
  for (char& ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) ch = static_cast<char>(c - 0x20);
  }
  return s;
}

// At most `max_chars` characters, the last one an ellipsis when cut.
std::string fit(std::string s, size_t max_chars) {
  assert(max_chars >= 2);
  if (s.size() <= max_chars) return s;
  s.resize(max_chars - 1);
  s += '\x85';
  return s;
}

std::string num(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed, 2);
  assert(ec == std::errc());
  std::string s(buf, end);
  while (s.back() == '0') s.pop_back();  // "12.50" -> "12.5", "12.00" -> "12."
  if (s.back() == '.') s.pop_back();
  return s;
}

// Content-stream builder with a top-left origin.
class Canvas {
 public:
  enum Font { kRegular = 1, kBold = 2, kMono = 3 };

  void fill(double r, double g, double b) { ops_ += num(r) + " " + num(g) + " " + num(b) + " rg\n"; }
  void stroke(double r, double g, double b, double width) {
    ops_ += num(r) + " " + num(g) + " " + num(b) + " RG " + num(width) + " w\n";
  }
  void rect_fill(double x, double y, double w, double h) {
    rect(x, y, w, h);
    ops_ += "f\n";
  }
  void rect_stroke(double x, double y, double w, double h) {
    rect(x, y, w, h);
    ops_ += "S\n";
  }
  // `text` is already WinAnsi; y is the baseline.
  void text(Font font, double size, double x, double y, std::string_view text) {
    ops_ += "BT /F" + std::to_string(font) + " " + num(size) + " Tf " + num(x) + " " + num(kPageH - y) + " Td (";
    for (char c : text) {
      if (c == '(' || c == ')' || c == '\\') ops_ += '\\';
      ops_ += c;
    }
    ops_ += ") Tj ET\n";
  }
  const std::string& ops() const { return ops_; }

 private:
  void rect(double x, double y, double w, double h) {
    ops_ += num(x) + " " + num(kPageH - y - h) + " " + num(w) + " " + num(h) + " re ";
  }
  std::string ops_;
};

// Dark modules as one filled rectangle per horizontal run.
void draw_qr(Canvas* c, const QrMatrix& qr, double x, double y, double side) {
  constexpr int kQuiet = 2;
  const double m = side / (qr.size + 2 * kQuiet);
  c->fill(1, 1, 1);
  c->rect_fill(x, y, side, side);
  c->fill(0, 0, 0);
  for (int row = 0; row < qr.size; ++row) {
    int col = 0;
    while (col < qr.size) {
      if (!qr.dark(col, row)) {
        ++col;
        continue;
      }
      const int start = col;
      while (col < qr.size && qr.dark(col, row)) ++col;
      c->rect_fill(x + (start + kQuiet) * m, y + (row + kQuiet) * m, (col - start) * m, m);
    }
  }
}

void draw_field(Canvas* c, double x, double y, const char* label, const std::string& value, bool mono) {
  c->fill(0.36, 0.42, 0.48);
  c->text(Canvas::kRegular, 7, x, y, upper_winansi(to_winansi(label)));
  if (mono) {
    c->fill(0.043, 0.31, 0.541);
    c->text(Canvas::kMono, 12, x, y + 14, fit(to_winansi(value), 22));
  } else {
    c->fill(0.106, 0.145, 0.188);
    c->text(Canvas::kBold, 10.5, x, y + 14, fit(to_winansi(value), 28));
  }
}

void draw_card(Canvas* c, const CardData& card) {
  const double x0 = kMargin, y0 = kMargin, w = kPageW - 2 * kMargin, h = 190;
  if (card.active)
    c->fill(0.043, 0.31, 0.541);
  else
    c->fill(0.35, 0.39, 0.43);
  c->rect_fill(x0, y0, w, 44);
  c->fill(1, 1, 1);
  c->text(Canvas::kBold, 18, x0 + 16, y0 + 25, "Obra Social");
  c->text(Canvas::kRegular, 7.5, x0 + 16, y0 + 37, "CREDENCIAL DIGITAL");
  if (card.active)
    c->fill(0.89, 0.965, 0.918);
  else
    c->fill(0.992, 0.906, 0.906);
  // Widths of the two badge texts in Helvetica-Bold at 8 pt, from its AFM
  // metrics (3722 and 8333 thousandths of an em), to right-align the badge.
  const double badge_text_w = card.active ? 29.8 : 66.7;
  const double badge_x = x0 + w - 16 - (badge_text_w + 14);
  c->rect_fill(badge_x, y0 + 14, badge_text_w + 14, 16);
  if (card.active)
    c->fill(0.09, 0.4, 0.227);
  else
    c->fill(0.631, 0.114, 0.114);
  c->text(Canvas::kBold, 8, badge_x + 7, y0 + 25, card.active ? "ACTIVA" : "SIN COBERTURA");

  const std::string name = upper_winansi(to_winansi(card.name));
  const double name_size = std::clamp(340.0 / (0.72 * std::max<size_t>(name.size(), 1)), 9.0, 16.0);
  c->fill(0.106, 0.145, 0.188);
  c->text(Canvas::kBold, name_size, x0 + 16, y0 + 70, fit(name, 48));

  draw_field(c, x0 + 16, y0 + 90, "Credencial N.º", card.credential, true);
  draw_field(c, x0 + 196, y0 + 90, "Plan", card.plan, false);
  draw_field(c, x0 + 16, y0 + 122, "CUIL", card.cuil, false);
  draw_field(c, x0 + 196, y0 + 122, "Documento", card.document, false);
  draw_field(c, x0 + 16, y0 + 154, "Titular", card.titular, false);
  draw_field(c, x0 + 196, y0 + 154, "Actualizada", card.updated_on, false);

  QrMatrix qr;
  if (!card.qr_payload.empty() && qr_encode(card.qr_payload, &qr).is_ok()) {
    draw_qr(c, qr, x0 + w - 146, y0 + 52, 130);
  }
  c->stroke(0.79, 0.83, 0.87, 1);
  c->rect_stroke(x0, y0, w, h);
}

void draw_tokens(Canvas* c, const TokenSheet& sheet) {
  const std::string month = to_winansi(month_label_es(sheet.month));
  c->fill(0.106, 0.145, 0.188);
  c->text(Canvas::kBold, 15, kMargin, 262, to_winansi("Tokens de autorización — ") + fit(month, 40));
  c->text(Canvas::kRegular, 10.5, kMargin, 284,
          to_winansi("Entregue un token por cada prestación. Válidos sólo durante ") + fit(month, 40) + ".");
  c->text(Canvas::kRegular, 10.5, kMargin, 299,
          to_winansi("Cada token sirve una sola vez: marque el casillero cuando lo use."));

  constexpr int kCols = 4;
  constexpr double kGap = 8, kCellH = 34, kTop = 316;
  const double cell_w = (kPageW - 2 * kMargin - (kCols - 1) * kGap) / kCols;
  const size_t count = std::min(sheet.tokens.size(), kSheetTokensMax);
  for (size_t i = 0; i < count; ++i) {
    const double cx = kMargin + static_cast<double>(i % kCols) * (cell_w + kGap);
    const double cy = kTop + static_cast<double>(i / kCols) * (kCellH + kGap);
    c->stroke(0.79, 0.83, 0.87, 1);
    c->rect_stroke(cx, cy, cell_w, kCellH);
    c->fill(0.36, 0.42, 0.48);
    c->text(Canvas::kRegular, 8, cx + 7, cy + 21, std::to_string(i + 1) + ".");
    c->fill(0.106, 0.145, 0.188);
    c->text(Canvas::kMono, 13, cx + 25, cy + 22, fit(to_winansi(group_token(sheet.tokens[i])), 10));
    c->stroke(0.106, 0.145, 0.188, 1.2);
    c->rect_stroke(cx + cell_w - 20, cy + 12, 10, 10);
  }
  const double note_y = kTop + 8 * (kCellH + kGap) + 20;
  c->fill(0.36, 0.42, 0.48);
  c->text(Canvas::kRegular, 8.5, kMargin, note_y,
          to_winansi("Guarde esta hoja en un lugar seguro y no comparta los tokens por teléfono ni por mensaje:"));
  c->text(Canvas::kRegular, 8.5, kMargin, note_y + 12,
          to_winansi("quien los tenga puede autorizar prestaciones a su nombre."));
}

}  // namespace

std::string token_sheet_pdf(const TokenSheet& sheet) {
  assert(sheet.tokens.size() <= kSheetTokensMax);
  Canvas canvas;
  draw_card(&canvas, sheet.card);
  draw_tokens(&canvas, sheet);

  const std::string objects[] = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
      "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R /F2 5 0 R "
      "/F3 6 0 R >> >> /Contents 7 0 R >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
      "<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold /Encoding /WinAnsiEncoding >>",
      "<< /Length " + std::to_string(canvas.ops().size()) + " >>\nstream\n" + canvas.ops() + "endstream",
  };
  constexpr size_t kObjects = std::size(objects);

  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  size_t offsets[kObjects];
  for (size_t i = 0; i < kObjects; ++i) {
    offsets[i] = pdf.size();
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref_at = pdf.size();
  pdf += "xref\n0 " + std::to_string(kObjects + 1) + "\n0000000000 65535 f \n";
  for (size_t off : offsets) {
    std::string entry = std::to_string(off);
    pdf += std::string(10 - entry.size(), '0') + entry + " 00000 n \n";  // 20 bytes each
  }
  pdf += "trailer\n<< /Size " + std::to_string(kObjects + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref_at) + "\n%%EOF\n";
  return pdf;
}

}  // namespace autoriza::card
