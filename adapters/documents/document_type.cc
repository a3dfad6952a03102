// What a document is: its hash, its type by magic numbers (never by what
// the client says), the checks of an upload and the names kept of it.
// Messages are in Spanish: the providers' portal shows them.
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cctype>

#include "adapters/documents/documents.h"

namespace autoriza::documents {
namespace {

constexpr std::string_view kPdfMagic = "%PDF-";
constexpr std::string_view kJpegMagic = "\xFF\xD8\xFF";
constexpr std::string_view kPngMagic = "\x89PNG\r\n\x1A\n";

// "PDF" for kPdf...: how a person names the type. Another declared type is
// quoted only when it reads as a media type (it comes from the client and
// goes into a JSON message: never a byte that is not plain ASCII).
std::string short_name(std::string_view type) {
  if (type == kPdf) return "PDF";
  if (type == kJpeg) return "JPEG";
  if (type == kPng) return "PNG";
  const bool plain = type.size() <= 100 && std::all_of(type.begin(), type.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '.' || c == '+' || c == '-';
  });
  return plain ? std::string(type) : "otro tipo";
}

// The declared media type, without parameters, lowercase; image/jpg and
// image/pjpeg as image/jpeg; empty for "nothing declared".
std::string declared_media_type(std::string_view declared) {
  declared = declared.substr(0, declared.find(';'));
  while (!declared.empty() && declared.front() == ' ') declared.remove_prefix(1);
  while (!declared.empty() && declared.back() == ' ') declared.remove_suffix(1);
  std::string type;
  for (char c : declared) type += char(std::tolower(static_cast<unsigned char>(c)));
  if (type == "application/octet-stream") return {};
  if (type == "image/jpg" || type == "image/pjpeg") return std::string(kJpeg);
  return type;
}

// The length of the UTF-8 sequence that starts s (1 to 4), or 0 when s does
// not start with a well-formed one (overlong forms and surrogates refused).
size_t utf8_sequence(std::string_view s) {
  assert(!s.empty());
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xC0) == 0x80; };
  if (b(0) < 0x80) return 1;
  if (b(0) >= 0xC2 && b(0) <= 0xDF) return cont(1) ? 2 : 0;
  if (b(0) >= 0xE0 && b(0) <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if (b(0) == 0xE0 && b(1) < 0xA0) return 0;   // overlong
    if (b(0) == 0xED && b(1) >= 0xA0) return 0;  // surrogate
    return 3;
  }
  if (b(0) >= 0xF0 && b(0) <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if (b(0) == 0xF0 && b(1) < 0x90) return 0;   // overlong
    if (b(0) == 0xF4 && b(1) >= 0x90) return 0;  // over U+10FFFF
    return 4;
  }
  return 0;
}

}  // namespace

bool hash_well_formed(std::string_view hash) {
  if (hash.size() != 64) return false;
  for (char c : hash) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  AUTORIZA_CHECK(EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha256(), nullptr) == 1);
  AUTORIZA_CHECK(length == 32);
  constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0xF];
  }
  assert(hash_well_formed(out));
  return out;
}

std::string_view type_of(std::string_view bytes) {
  if (bytes.starts_with(kPdfMagic)) return kPdf;
  if (bytes.starts_with(kJpegMagic)) return kJpeg;
  if (bytes.starts_with(kPngMagic)) return kPng;
  return {};
}

Status check_document(std::string_view bytes, std::string_view declared_type, std::string_view* type) {
  assert(type != nullptr);
  if (bytes.empty()) return Status::invalid("El archivo está vacío", "body");
  if (bytes.size() > kDocumentMaxBytes) return Status::invalid("El archivo supera el máximo de 8 MB", "body");
  const std::string_view found = type_of(bytes);
  if (found.empty()) return Status::invalid("Tipo de archivo no permitido: solo PDF, JPEG o PNG", "body");
  const std::string declared = declared_media_type(declared_type);
  if (!declared.empty() && declared != found) {
    return Status::invalid("El archivo se envió como " + short_name(declared) + " pero su contenido es " +
                               short_name(found) + ": elegí el archivo de nuevo",
                           "Content-Type");
  }
  *type = found;
  return Status::ok();
}

std::string sanitize_name(std::string_view name) {
  const size_t slash = name.find_last_of("/\\");
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  std::string out;
  while (!name.empty()) {
    const size_t n = utf8_sequence(name);
    if (n == 0) {  // a stray byte: dropped
      name.remove_prefix(1);
      continue;
    }
    const unsigned char c = static_cast<unsigned char>(name.front());
    const bool control = n == 1 && (c < 0x20 || c == 0x7F);
    if (!control) {
      if (out.size() + n > kNameMaxBytes) break;
      out.append(name.substr(0, n));
    }
    name.remove_prefix(n);
  }
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  while (!out.empty() && out.back() == ' ') out.pop_back();
  assert(out.size() <= kNameMaxBytes && out.find('\n') == std::string::npos);
  return out;
}

bool owner_well_formed(std::string_view owner) {
  if (owner.empty()) return true;
  if (owner.size() > kOwnerMaxBytes || owner == "-") return false;
  for (char c : owner) {
    const bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace autoriza::documents
