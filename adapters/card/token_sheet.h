#pragma once
// The printable sheet of pre-printed tokens (docs/rules.md §12-13; GET
// /v1/affiliates/{credential}/tokens.html and tokens.pdf): the affiliate's
// card on top, then the month's tokens in a numbered grid with a box to tick
// off each one when used. Pure rendering, one A4 page.
#include <string>
#include <string_view>
#include <vector>

#include "adapters/card/card_view.h"

namespace autoriza::card {

// docs/rules.md §12-13: 1-31 pre-printed tokens per month.
inline constexpr size_t kSheetTokensMax = 31;

// What the sheet advises (the insurer's rule, IOMA): a token is given to the
// provider who attends, also to a physician for a remote consultation, and
// to nobody else.
inline constexpr std::string_view kTokenSheetAdvice =
    "Guarde esta hoja en un lugar seguro. Cada token sirve una sola vez y solo en el mes impreso. Déselo únicamente al "
    "prestador que lo atiende, en persona o, en una consulta a distancia, al médico por teléfono o mensaje; nunca a "
    "otra persona: quien lo tenga puede autorizar prestaciones a su nombre.";

struct TokenSheet {
  CardData card;                    // its security_code is NOT printed: it
                                    // rotates and would be stale on paper
  std::string month;                // "YYYY-MM"
  std::vector<std::string> tokens;  // 8-digit tokens, in issue order
};

// "2026-11" -> "noviembre de 2026" (print::month_es); anything not a valid
// YYYY-MM is returned unchanged. Never fails.
std::string month_label_es(std::string_view month);

// "12345678" -> "1234 5678"; anything else is returned unchanged.
std::string group_token(std::string_view token);

// The sheet as a self-contained HTML page sized for A4 (CSS @page). The QR
// is drawn from card.qr_payload when it is non-empty and encodable, otherwise
// left out. Needs tokens.size() <= kSheetTokensMax (extra tokens are not
// drawn). Every string is escaped. Never fails.
std::string token_sheet_html(const TokenSheet& sheet);

// The same sheet as a one-page A4 PDF, drawn through the layout layer of
// adapters/print (UTF-8 text in DejaVu Sans, the QR as vector squares). Same
// needs as token_sheet_html. Empty only when cairo failed (out of memory).
std::string token_sheet_pdf(const TokenSheet& sheet);

}  // namespace autoriza::card
