// Card page markup. The layout follows a printed obra social credential: a
// coloured header band with the insurer, the affiliate's name large, the
// identifying fields in a two-column grid, and a footer with the security
// code (large, for reading to a receptionist) next to the QR (for scanning).
#include "adapters/card/card_view.h"

#include <cassert>
#include <cctype>

#include "engine/core/ascii.h"

namespace autoriza::card {
namespace {

// One labelled field of the grid.
void field(std::string* out, const char* label, const std::string& value, const char* extra_class = "") {
  *out += "<div class=\"field ";
  *out += extra_class;
  *out += "\"><span class=\"label\">";
  *out += label;
  *out += "</span><span class=\"value\">";
  *out += html_escape(value);
  *out += "</span></div>";
}

}  // namespace

std::string group_security_code(std::string_view code) {
  if (code.size() != 6 || !ascii::all_digits(code)) return std::string(code);
  return std::string(code.substr(0, 3)) + " " + std::string(code.substr(3));
}

const std::string& card_css() {
  static const std::string css = R"css(
.card{box-sizing:border-box;width:100%;max-width:440px;margin:0 auto;border-radius:16px;overflow:hidden;
  background:#fff;color:#1b2530;box-shadow:0 6px 24px rgba(10,40,70,.18);border:1px solid #d5dde6;
  font-family:"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.card .band{display:flex;align-items:center;justify-content:space-between;padding:14px 20px;color:#fff;
  background:linear-gradient(120deg,#0b4f8a 0%,#1677b8 60%,#19a0a8 100%)}
.card .insurer{font-size:22px;font-weight:700;letter-spacing:.5px}
.card .kind{font-size:11px;text-transform:uppercase;letter-spacing:1.5px;opacity:.9}
.card .badge{font-size:11px;font-weight:700;letter-spacing:1px;padding:3px 8px;border-radius:10px;
  background:#e3f6ea;color:#17663a;white-space:nowrap}
.card.inactive .badge{background:#fde7e7;color:#a11d1d}
.card.inactive .band{background:linear-gradient(120deg,#59636e,#8a949e)}
.card .body{padding:16px 20px 8px}
.card .name{font-size:21px;font-weight:700;margin:0 0 12px;text-transform:uppercase;word-break:break-word}
.card .grid{display:grid;grid-template-columns:1fr 1fr;gap:10px 16px}
.card .field{display:flex;flex-direction:column;min-width:0}
.card .field.wide{grid-column:1 / span 2}
.card .label{font-size:10px;text-transform:uppercase;letter-spacing:1px;color:#5b6b7b}
.card .value{font-size:15px;font-weight:600;word-break:break-word}
.card .field.credential .value{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:18px;color:#0b4f8a}
.card .foot{display:flex;align-items:center;justify-content:space-between;gap:12px;padding:12px 20px 18px;
  border-top:1px dashed #c9d3dd;margin-top:12px}
.card .code .label{display:block}
.card .code .digits{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:38px;font-weight:700;
  letter-spacing:3px;color:#0b4f8a;white-space:nowrap}
.card .code .until{font-size:11px;color:#5b6b7b}
.card .hint{display:block;font-size:12px;line-height:1.4;color:#5b6b7b;max-width:230px}
.card .qr svg{display:block;width:148px;height:148px}
.card.inactive .code .digits{color:#8a949e;text-decoration:line-through}
.card .notice{margin:0;padding:8px 20px 14px;font-size:12px;line-height:1.4;color:#3d4b59;background:#f3f6f9}
)css";
  return css;
}

std::string card_block_html(const CardData& card, const std::string& qr_svg) {
  assert(qr_svg.empty() || qr_svg.rfind("<svg", 0) == 0);  // only our own SVG is inserted verbatim
  std::string out;
  out.reserve(2048 + qr_svg.size());
  out += card.active ? "<section class=\"card\">" : "<section class=\"card inactive\">";
  out += "<header class=\"band\"><div><div class=\"insurer\">";
  out += html_escape(card.insurer);
  out += "</div><div class=\"kind\">Credencial digital</div></div>";
  out += card.active ? "<span class=\"badge\">ACTIVA</span>" : "<span class=\"badge\">SIN COBERTURA</span>";
  out += "</header><div class=\"body\"><h1 class=\"name\">";
  out += html_escape(card.name);
  out += "</h1><div class=\"grid\">";
  field(&out, "Credencial N.º", card.credential, "credential wide");
  if (!card.beneficiary.empty()) field(&out, "N.º de beneficiario", card.beneficiary, "wide");
  field(&out, "Plan", card.plan);
  field(&out, "CUIL", card.cuil);
  field(&out, "Documento", card.document);
  field(&out, "Actualizada", card.updated_on);
  field(&out, "Titular", card.titular, "wide");
  out += "</div></div>";

  if (!card.security_code.empty() || !qr_svg.empty()) {
    out += "<footer class=\"foot\"><div class=\"code\">";
    if (card.security_code.empty()) {
      out +=
          "<span class=\"hint\">Muestre este código QR al prestador. El código de seguridad rotativo "
          "se consulta en la credencial digital.</span>";
    } else {
      out += "<span class=\"label\">Código de seguridad</span><div class=\"digits\">";
      out += html_escape(group_security_code(card.security_code));
      out += "</div>";
      if (!card.valid_until.empty()) {
        out += "<div class=\"until\">Válido hasta ";
        out += html_escape(card.valid_until);
        out += "</div>";
      }
    }
    out += "</div>";
    if (!qr_svg.empty()) {
      out += "<div class=\"qr\">";
      out += qr_svg;
      out += "</div>";
    }
    out += "</footer>";
  }
  if (!card.notice.empty()) {
    out += "<p class=\"notice\">";
    out += html_escape(card.notice);
    out += "</p>";
  }
  out += "</section>";
  return out;
}

std::string card_html(const CardData& card, const std::string& qr_svg) {
  std::string out;
  out.reserve(4096 + qr_svg.size());
  out +=
      "<!doctype html><html lang=\"es\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<meta name=\"referrer\" content=\"no-referrer\"><title>Credencial ";
  out += html_escape(card.credential);
  out += " — ";
  out += html_escape(card.insurer);
  out +=
      "</title><style>"
      "html,body{margin:0;padding:0}body{background:#eef2f6;padding:24px 12px}";
  out += card_css();
  out += "</style></head><body>";
  out += card_block_html(card, qr_svg);
  out += "</body></html>\n";
  return out;
}

}  // namespace autoriza::card
