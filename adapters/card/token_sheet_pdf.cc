// The token sheet as a one-page A4 PDF, drawn through the layout layer of
// adapters/print (layout.h: cairo and pango, UTF-8 text, embedded fonts):
// the card on top (the QR as vector squares), then the month's tokens in a
// numbered grid with a box to tick off each one when used.
#include <algorithm>
#include <cassert>

#include "adapters/card/qr.h"
#include "adapters/card/token_sheet.h"
#include "adapters/print/format_es.h"
#include "adapters/print/layout.h"

namespace autoriza::card {
namespace {

using print::Align;
using print::Canvas;
using print::Rgb;
using print::TextStyle;

constexpr Rgb kInactive{0.35, 0.39, 0.43};
constexpr Rgb kActiveBadge{0.89, 0.965, 0.918}, kActiveBadgeInk{0.09, 0.4, 0.227};
constexpr Rgb kInactiveBadge{0.992, 0.906, 0.906}, kInactiveBadgeInk{0.631, 0.114, 0.114};
constexpr double kCardHeightPt = 190, kBandPt = 44;

// Dark modules as one filled rectangle per horizontal run.
void draw_qr(Canvas& c, const QrMatrix& qr, double x, double y, double side) {
  constexpr int kQuiet = 2;
  const double m = side / (qr.size + 2 * kQuiet);
  c.fill_rect(x, y, side, side, print::kWhite);
  for (int row = 0; row < qr.size; ++row) {
    int col = 0;
    while (col < qr.size) {
      if (!qr.dark(col, row)) {
        ++col;
        continue;
      }
      const int start = col;
      while (col < qr.size && qr.dark(col, row)) ++col;
      c.fill_rect(x + (start + kQuiet) * m, y + (row + kQuiet) * m, (col - start) * m, m, Rgb{0, 0, 0});
    }
  }
}

void draw_field(Canvas& c, double x, double y, double width, const char* label, const std::string& value, bool mono) {
  c.text(x, y, width, label, TextStyle{.size_pt = 7, .color = print::kMuted, .lines_max = 1});
  const TextStyle style =
      mono ? TextStyle{.size_pt = 12, .bold = true, .mono = true, .color = print::kBrand, .lines_max = 1}
           : TextStyle{.size_pt = 10.5, .bold = true, .lines_max = 1};
  c.text(x, y + 10, width, value, style);
}

void draw_band(Canvas& c, const CardData& card) {
  c.fill_rect(0, 0, c.width(), kBandPt, card.active ? print::kBrand : kInactive);
  c.text(16, 6, 300, "Obra Social", TextStyle{.size_pt = 18, .bold = true, .color = print::kWhite});
  c.text(16, 29, 300, "CREDENCIAL DIGITAL", TextStyle{.size_pt = 7.5, .color = print::kWhite});
  const char* badge = card.active ? "ACTIVA" : "SIN COBERTURA";
  const TextStyle badge_style{.size_pt = 8, .bold = true, .color = card.active ? kActiveBadgeInk : kInactiveBadgeInk};
  const double badge_w = c.text_width(badge, badge_style) + 14;
  const double badge_x = c.width() - 16 - badge_w;
  c.fill_rect(badge_x, 14, badge_w, 16, card.active ? kActiveBadge : kInactiveBadge);
  c.text(badge_x + 7, 16.5, badge_w, badge, badge_style);
}

void draw_card(Canvas c, const CardData& card) {
  draw_band(c, card);
  constexpr double kQrSide = 130, kLeft = 16, kColumn = 180;
  const double text_w = c.width() - kQrSide - 2 * kLeft - 16;
  c.text(kLeft, 54, text_w, print::upper_es(card.name), TextStyle{.size_pt = 14, .bold = true, .lines_max = 1});
  draw_field(c, kLeft, 80, kColumn - 8, "CREDENCIAL N.º", card.credential, true);
  draw_field(c, kLeft + kColumn, 80, text_w - kColumn, "PLAN", card.plan, false);
  draw_field(c, kLeft, 112, kColumn - 8, "CUIL", card.cuil, false);
  draw_field(c, kLeft + kColumn, 112, text_w - kColumn, "DOCUMENTO", card.document, false);
  draw_field(c, kLeft, 144, kColumn - 8, "TITULAR", card.titular, false);
  draw_field(c, kLeft + kColumn, 144, text_w - kColumn, "ACTUALIZADA", card.updated_on, false);
  QrMatrix qr;
  if (!card.qr_payload.empty() && qr_encode(card.qr_payload, &qr).is_ok()) {
    draw_qr(c, qr, c.width() - kQrSide - kLeft, kBandPt + 8, kQrSide);
  }
  c.stroke_rect(0, 0, c.width(), c.height(), print::kRule, 1);
}

// The tokens, kColumns to a row; each with its number and a box to tick.
void draw_tokens(Canvas c, const std::vector<std::string>& tokens) {
  constexpr size_t kColumns = 4;
  constexpr double kGap = 8, kCellH = 34;
  const double cell_w = (c.width() - (kColumns - 1) * kGap) / kColumns;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const double x = double(i % kColumns) * (cell_w + kGap), y = double(i / kColumns) * (kCellH + kGap);
    c.stroke_rect(x, y, cell_w, kCellH, print::kRule, 1);
    c.text(x + 7, y + 12, 20, std::to_string(i + 1) + ".", TextStyle{.size_pt = 8, .color = print::kMuted});
    c.text(x + 25, y + 9.5, cell_w - 52, group_token(tokens[i]),
           TextStyle{.size_pt = 12, .mono = true, .lines_max = 1});
    c.stroke_rect(x + cell_w - 20, y + 12, 10, 10, print::kInk, 1.2);
  }
}

}  // namespace

std::string token_sheet_pdf(const TokenSheet& sheet) {
  assert(sheet.tokens.size() <= kSheetTokensMax);
  const std::string month = month_label_es(sheet.month);
  print::Document doc({.title = "Tokens de autorización — " + month, .margin_pt = 40});
  draw_card(doc.box(kCardHeightPt), sheet.card);
  doc.space(24);
  doc.heading("Tokens de autorización — " + month);
  doc.paragraph("Entregue un token por cada prestación. Válidos sólo durante " + month +
                    ". Cada token sirve una sola vez: marque el casillero cuando lo use.",
                TextStyle{.size_pt = 10.5});
  doc.space(6);
  const size_t count = std::min(sheet.tokens.size(), kSheetTokensMax);
  const std::vector<std::string> tokens(sheet.tokens.begin(), sheet.tokens.begin() + long(count));
  constexpr double kRowPt = 42;
  draw_tokens(doc.box(kRowPt * double((count + 3) / 4)), tokens);
  doc.space(12);
  doc.paragraph(
      std::string(kTokenSheetAdvice),
      TextStyle{.size_pt = 8.5, .color = print::kMuted});
  return doc.finish();
}

}  // namespace autoriza::card
