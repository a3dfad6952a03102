#pragma once
// Who the insurer is, as its affiliates read it (docs/rules.md §13): the
// name and logo on the card, the card's notice, the phones, addresses and
// e-mails of "Datos útiles", and the public base URL that shared-card links
// start with. Configuration, not reference data: `autoriza serve --insurer
// FILE` (default: insurer.json in the --data folder when there is one);
// without it, a neutral default ("Obra social", a plain shield).
//
// insurer.json:
//   {"name": "Obra Social del Personal de Ejemplo", "short_name": "OSPE",
//    "logo": "insurer-logo.svg",          (an SVG file beside insurer.json)
//    "card_notice": "Credencial de uso exclusivo del titular...",
//    "phones":    [{"label": "Atención al afiliado", "number": "0800-555-0101"}],
//    "addresses": [{"label": "Sede central", "text": "Av. ..."}],
//    "emails":    [{"label": "Consultas", "address": "afiliados@example.org"}],
//    "web": "https://www.example.org"}
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/codec/codec.h"
#include "engine/core/status.h"

namespace autoriza::card {

struct LabelledText {
  std::string label;
  std::string text;
};

struct Insurer {
  std::string name = "Obra social";
  std::string short_name = "Obra social";
  std::string logo_svg;       // the logo's SVG document; empty: the neutral default
  std::string card_notice = "Credencial de uso exclusivo del titular. Presentala junto con tu DNI.";
  std::vector<LabelledText> phones, addresses, emails;
  std::string web;
  // Where affiliates reach this server ("https://afiliados.example.org"),
  // no trailing slash: shared-card links are absolute.
  std::string public_url;
};

// Reads insurer.json (and the logo file it names) into *out, over the
// defaults. kInvalid names the field and says why, in Spanish.
Status load_insurer(const std::filesystem::path& file, Insurer* out);

// The logo to serve: the configured one or the neutral default.
const std::string& insurer_logo_svg(const Insurer& insurer);

// GET /v1/insurer: everything but the logo's bytes (logo_url instead) and
// the public URL.
Json insurer_json(const Insurer& insurer);

}  // namespace autoriza::card
