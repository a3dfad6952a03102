#include "adapters/card/insurer.h"

#include <fstream>
#include <sstream>

namespace autoriza::card {

namespace {

// A shield with a cross: a neutral mark for an insurer without a logo.
constexpr std::string_view kNeutralLogo =
    R"(<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" role="img" aria-label="Obra social">)"
    R"(<path d="M32 4 8 12v18c0 15 10 26 24 30 14-4 24-15 24-30V12z" fill="#1d4f91"/>)"
    R"(<path d="M27 18h10v9h9v10h-9v9H27v-9h-9V27h9z" fill="#fff"/></svg>)";

Status read_file(const std::filesystem::path& file, std::string* out) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status::invalid("no se puede leer " + file.string(), file.filename().string());
  std::ostringstream bytes;
  bytes << in.rdbuf();
  *out = bytes.str();
  return Status::ok();
}

Status text_field(const Json& j, const char* key, size_t max, std::string* out) {
  if (!j.contains(key)) return Status::ok();
  if (!j[key].is_string() || j[key].get<std::string>().size() > max) {
    return Status::invalid(std::string(key) + " debe ser un texto de hasta " + std::to_string(max) + " caracteres", key);
  }
  *out = j[key].get<std::string>();
  return Status::ok();
}

// [{"label": ..., <value_key>: ...}, ...]
Status list_field(const Json& j, const char* key, const char* value_key, std::vector<LabelledText>* out) {
  if (!j.contains(key)) return Status::ok();
  const std::string where = key;
  if (!j[key].is_array()) return Status::invalid(where + " debe ser una lista", where);
  out->clear();
  for (size_t i = 0; i < j[key].size(); ++i) {
    const Json& item = j[key][i];
    const std::string at = where + "[" + std::to_string(i) + "]";
    if (!item.is_object() || !item.value("label", Json()).is_string() || !item.value(value_key, Json()).is_string()) {
      return Status::invalid(at + " debe ser {\"label\": texto, \"" + value_key + "\": texto}", at);
    }
    out->push_back({item["label"].get<std::string>(), item[value_key].get<std::string>()});
  }
  return Status::ok();
}

Json list_json(const std::vector<LabelledText>& items, const char* value_key) {
  Json out = Json::array();
  for (const LabelledText& t : items) out.push_back({{"label", t.label}, {value_key, t.text}});
  return out;
}

}  // namespace

Status load_insurer(const std::filesystem::path& file, Insurer* out) {
  std::string text;
  if (Status s = read_file(file, &text); !s) return s;
  Json j;
  if (Status s = parse_json(text, &j); !s) return Status::invalid(file.string() + ": no es JSON válido: " + s.message());
  if (!j.is_object()) return Status::invalid(file.string() + " debe ser un objeto JSON");
  Insurer in = *out;
  Status s = text_field(j, "name", 120, &in.name);
  if (s) s = text_field(j, "short_name", 40, &in.short_name);
  if (s) s = text_field(j, "card_notice", 240, &in.card_notice);
  if (s) s = text_field(j, "web", 240, &in.web);
  if (s) s = list_field(j, "phones", "number", &in.phones);
  if (s) s = list_field(j, "addresses", "text", &in.addresses);
  if (s) s = list_field(j, "emails", "address", &in.emails);
  std::string logo;
  if (s) s = text_field(j, "logo", 240, &logo);
  if (s && !logo.empty()) {
    s = read_file(file.parent_path() / logo, &in.logo_svg);
    if (s && in.logo_svg.find("<svg") == std::string::npos) s = Status::invalid("logo: " + logo + " no es un SVG", "logo");
    if (s && in.logo_svg.find("<script") != std::string::npos) s = Status::invalid("logo: el SVG no puede tener scripts", "logo");
  }
  if (!s) return Status::invalid(file.string() + ": " + s.message(), s.field());
  *out = std::move(in);
  return Status::ok();
}

const std::string& insurer_logo_svg(const Insurer& insurer) {
  static const std::string neutral(kNeutralLogo);
  return insurer.logo_svg.empty() ? neutral : insurer.logo_svg;
}

Json insurer_json(const Insurer& insurer) {
  return {{"name", insurer.name},
          {"short_name", insurer.short_name},
          {"logo_url", "/v1/insurer/logo.svg"},
          {"card_notice", insurer.card_notice},
          {"phones", list_json(insurer.phones, "number")},
          {"addresses", list_json(insurer.addresses, "text")},
          {"emails", list_json(insurer.emails, "address")},
          {"web", insurer.web}};
}

}  // namespace autoriza::card
