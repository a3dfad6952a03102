// Token sheet as printable HTML. Print styling forces background colours on
// (print-color-adjust) so the card's header band survives "print to PDF".
#include "adapters/card/token_sheet.h"

#include <algorithm>
#include <cassert>
#include <cctype>

#include "adapters/card/qr.h"
#include "adapters/print/format_es.h"

namespace autoriza::card {
namespace {

bool digits_at(std::string_view s, size_t from, size_t count) {
  if (s.size() < from + count) return false;
  for (size_t i = from; i < from + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

const char* kSheetCss = R"css(
@page{size:A4;margin:14mm}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
html,body{margin:0;padding:0}
body{font-family:"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:#1b2530;background:#fff}
.sheet{max-width:182mm;margin:0 auto;padding:8mm 0}
.sheet h2{font-size:20px;margin:22px 0 4px}
.sheet .instructions{font-size:14px;margin:0 0 14px;line-height:1.45}
.sheet .tokens{display:grid;grid-template-columns:repeat(4,minmax(0,1fr));gap:8px;list-style:none;margin:0;padding:0}
.sheet .tokens li{display:flex;align-items:center;gap:8px;border:1px solid #c9d3dd;border-radius:8px;
  padding:8px 9px;break-inside:avoid}
.sheet .tokens .n{font-size:10px;color:#5b6b7b;min-width:16px}
.sheet .tokens .tok{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:15px;font-weight:700;
  letter-spacing:.5px;flex:1;white-space:nowrap}
.sheet .tokens .box{width:14px;height:14px;border:1.5px solid #1b2530;border-radius:2px;flex:none}
.sheet .note{font-size:11px;color:#5b6b7b;margin-top:14px}
@media print{.sheet{padding:0}.sheet h2{margin-top:16px}.card{box-shadow:none}}
)css";

}  // namespace

std::string month_label_es(std::string_view month) { return print::month_es(month); }

std::string group_token(std::string_view token) {
  if (token.size() != 8 || !digits_at(token, 0, 8)) return std::string(token);
  return std::string(token.substr(0, 4)) + " " + std::string(token.substr(4));
}

std::string token_sheet_html(const TokenSheet& sheet) {
  assert(sheet.tokens.size() <= kSheetTokensMax);
  const size_t count = std::min(sheet.tokens.size(), kSheetTokensMax);
  const std::string month = html_escape(month_label_es(sheet.month));

  std::string qr;
  if (!sheet.card.qr_payload.empty()) {
    QrMatrix matrix;
    if (qr_encode(sheet.card.qr_payload, &matrix).is_ok()) qr = qr_svg(matrix);
  }
  CardData card = sheet.card;
  card.security_code.clear();
  card.valid_until.clear();

  std::string out;
  out.reserve(8192 + qr.size() + count * 160);
  out += "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\"><title>Tokens ";
  out += month;
  out += " — ";
  out += html_escape(card.credential);
  out += "</title><style>";
  out += kSheetCss;
  out += card_css();
  out += "</style></head><body><main class=\"sheet\">";
  out += card_block_html(card, qr);
  out += "<h2>Tokens de autorización — ";
  out += month;
  out += "</h2><p class=\"instructions\">Entregue un token por cada prestación. Válidos sólo durante ";
  out += month;
  out += ". Cada token sirve una sola vez: marque el casillero cuando lo use.</p><ol class=\"tokens\">";
  for (size_t i = 0; i < count; ++i) {
    out += "<li><span class=\"n\">";
    out += std::to_string(i + 1);
    out += ".</span><span class=\"tok\">";
    out += html_escape(group_token(sheet.tokens[i]));
    out += "</span><span class=\"box\"></span></li>";
  }
  out +=
      "</ol><p class=\"note\">";
  out += html_escape(kTokenSheetAdvice);
  out += "</p></main></body></html>\n";
  return out;
}

}  // namespace autoriza::card
