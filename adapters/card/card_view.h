#pragma once
// The digital credential as an HTML page (GET /v1/affiliates/{credential}/card,
// docs/rules.md §12-13): the affiliate's card data, the rotating security code and
// the QR a provider's app scans. Pure rendering: plain strings in, a
// self-contained UTF-8 HTML document out (inline CSS, no scripts, no external
// fetches), so it can be served as is or saved to disk.
#include <string>
#include <string_view>

#include "adapters/codec/html_escape.h"  // the pages of this folder escape with it

namespace autoriza::card {

// What the card shows, already formatted by the caller (dates as the
// affiliate should read them). Every field is untrusted text and is escaped.
struct CardData {
  std::string insurer = "Obra Social";  // the insurer's name on the band (insurer.h)
  std::string credential;     // credential number, e.g. "1234567/01"
  std::string beneficiary;    // beneficiary number, e.g. "110000783851/01"; empty: not shown
  std::string name;           // affiliate's full name
  std::string document;       // e.g. "DNI 30.123.456"
  std::string cuil;           // e.g. "20-30123456-7"
  std::string plan;           // plan name
  std::string titular;        // the family group's titular (may equal name)
  std::string updated_on;     // date the card data last changed
  std::string security_code;  // rotating 6-digit code; empty hides the block
  std::string valid_until;    // when the security code rotates
  std::string qr_payload;     // signed payload the QR carries
  std::string notice;         // "uso exclusivo del titular..." under the card; empty: none
  bool active = true;         // false draws the card as without coverage
};

// "123456" -> "123 456" for reading aloud; anything else is returned as is.
std::string group_security_code(std::string_view code);

// CSS for the card block; shared with the token sheet so both look alike.
const std::string& card_css();

// The card alone (one <section class="card">), for embedding in a page that
// also includes card_css(). `qr_svg` is inserted verbatim and must be the
// output of qr_svg() (or empty to draw no QR); every CardData field is
// escaped.
std::string card_block_html(const CardData& card, const std::string& qr_svg);

// The complete card page: <!doctype html>, inline CSS, the card block.
std::string card_html(const CardData& card, const std::string& qr_svg);

}  // namespace autoriza::card
