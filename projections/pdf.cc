#include "projections/pdf.h"

#include <cassert>
#include <cstdio>

namespace autoriza::projections {

namespace {

constexpr int kMargin = 36;
constexpr int kLeading = 10;        // points between lines (8 pt text)
constexpr int kHeaderHeight = 30;   // title band
constexpr double kCharWidth = 4.8;  // Courier 8 pt: 600/1000 em

// UTF-8 to Latin-1; anything else becomes '?'.
std::string latin1(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char c = utf8[i];
    if (c < 0x80) {
      out.push_back(char(c));
      ++i;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      const unsigned cp = ((c & 0x1Fu) << 6) | (uint8_t(utf8[i + 1]) & 0x3Fu);
      out.push_back(cp <= 0xFF ? char(cp) : '?');
      i += 2;
    } else {
      out.push_back('?');
      ++i;
      while (i < utf8.size() && (uint8_t(utf8[i]) & 0xC0) == 0x80) ++i;
    }
  }
  return out;
}

// A PDF string literal: (text) with \, ( and ) escaped, controls blanked.
std::string literal(std::string_view latin) {
  std::string out = "(";
  for (char c : latin) {
    if (c == '\\' || c == '(' || c == ')') out.push_back('\\');
    out.push_back(uint8_t(c) < 0x20 ? ' ' : c);
  }
  out.push_back(')');
  return out;
}

}  // namespace

std::string fixed_width(std::string_view text, size_t width) {
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool starts_char = (uint8_t(text[i]) & 0xC0) != 0x80;
    if (starts_char && n == width) break;
    n += starts_char;
    out.push_back(text[i]);
  }
  out.append(width - n, ' ');
  return out;
}

std::string text_pdf(std::string_view title, const std::vector<std::string>& lines, bool landscape) {
  const int width = landscape ? 842 : 595;
  const int height = landscape ? 595 : 842;
  const size_t per_page = size_t((height - 2 * kMargin - kHeaderHeight) / kLeading);
  const size_t chars_max = size_t((width - 2 * kMargin) / kCharWidth);
  size_t pages = lines.empty() ? 1 : (lines.size() + per_page - 1) / per_page;
  const bool cut = pages > kPdfPagesMax;
  if (cut) pages = kPdfPagesMax;

  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;  // of objects 1..n
  auto object = [&](const std::string& body) {
    offsets.push_back(out.size());
    out += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  // 1 catalog, 2 pages, 3 body font, 4 title font, then (page, content) pairs.
  object("<< /Type /Catalog /Pages 2 0 R >>");
  std::string kids;
  for (size_t p = 0; p < pages; ++p) kids += std::to_string(5 + 2 * p) + " 0 R ";
  object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages) + " >>");
  object("<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>");
  object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  const std::string title_latin = latin1(title);
  for (size_t p = 0; p < pages; ++p) {
    std::string content =
        "BT /F2 11 Tf " + std::to_string(kMargin) + " " + std::to_string(height - kMargin - 11) + " Td " +
        literal(title_latin + "   -   Pagina " + std::to_string(p + 1) + "/" + std::to_string(pages)) + " Tj ET\n";
    content += "BT /F1 8 Tf " + std::to_string(kLeading) + " TL " + std::to_string(kMargin) + " " +
               std::to_string(height - kMargin - kHeaderHeight) + " Td\n";
    for (size_t i = p * per_page; i < lines.size() && i < (p + 1) * per_page; ++i) {
      std::string line = latin1(lines[i]);
      if (line.size() > chars_max) line.resize(chars_max);
      if (cut && p + 1 == pages && i + 1 == (p + 1) * per_page) line = "... (informe recortado: use el CSV)";
      content += literal(line) + " Tj T*\n";
    }
    content += "ET";
    object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + std::to_string(width) + " " + std::to_string(height) +
           "] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents " + std::to_string(6 + 2 * p) + " 0 R >>");
    object("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream");
  }
  const size_t xref = out.size();
  out += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  char entry[24];
  for (size_t offset : offsets) {
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    out += entry;
  }
  out += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
         std::to_string(xref) + "\n%%EOF\n";
  assert(offsets.size() == 4 + 2 * pages);
  return out;
}

}  // namespace autoriza::projections
