// Rendering of the digital credential and the token sheet (docs/rules.md §12-13):
// QR matrix, SVG, PNG, card page, token sheet HTML and PDF. There is no QR
// decoder here, so the QR is checked by its structure (version, size, finder
// patterns) and the drawings by matching them module by module.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "adapters/card/card_view.h"
#include "adapters/card/insurer.h"
#include "adapters/card/qr.h"
#include "adapters/card/token_sheet.h"

namespace autoriza::card {
namespace {

QrMatrix encode(std::string_view payload) {
  QrMatrix qr;
  Status s = qr_encode(payload, &qr);
  EXPECT_TRUE(s.is_ok()) << s.to_string();
  return qr;
}

size_t count_of(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + needle.size())) ++n;
  return n;
}

uint32_t be32(const std::string& s, size_t at) {
  return (uint32_t{static_cast<unsigned char>(s[at])} << 24) | (uint32_t{static_cast<unsigned char>(s[at + 1])} << 16) |
         (uint32_t{static_cast<unsigned char>(s[at + 2])} << 8) | uint32_t{static_cast<unsigned char>(s[at + 3])};
}

struct Chunk {
  std::string type, data;
};

// Splits a PNG into chunks, failing the test on a bad signature or CRC.
std::vector<Chunk> png_chunks(const std::string& png) {
  std::vector<Chunk> chunks;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  size_t at = 8;
  while (at + 12 <= png.size()) {
    const uint32_t len = be32(png, at);
    EXPECT_LE(at + 12 + len, png.size());
    if (at + 12 + len > png.size()) break;
    Chunk c{png.substr(at + 4, 4), png.substr(at + 8, len)};
    const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(png.data() + at + 4), 4 + len);
    EXPECT_EQ(be32(png, at + 8 + len), static_cast<uint32_t>(crc)) << "CRC of " << c.type;
    chunks.push_back(std::move(c));
    at += 12 + len;
  }
  EXPECT_EQ(at, png.size());
  return chunks;
}

// --- QR matrix ---------------------------------------------------------------

TEST(QrEncode, PicksTheSmallestVersionThatFitsAtLevelM) {
  // Byte-mode capacity at level M: version 1 holds 14 bytes, 2 holds 26,
  // 5 holds 84, 6 holds 106.
  QrMatrix v1 = encode("AUTORIZA-0001");
  EXPECT_EQ(v1.version, 1);
  EXPECT_EQ(v1.size, 21);
  QrMatrix v2 = encode("https://example.com");
  EXPECT_EQ(v2.version, 2);
  EXPECT_EQ(v2.size, 25);
  QrMatrix v6 = encode(std::string(100, 'x'));
  EXPECT_EQ(v6.version, 6);
  EXPECT_EQ(v6.size, 41);
  EXPECT_EQ(v6.modules.size(), 41u * 41u);
}

TEST(QrEncode, HasTheThreeFinderPatterns) {
  QrMatrix qr = encode("cred=1234567/01;sig=abcdef");
  auto finder_at = [&](int ox, int oy) {
    for (int y = 0; y < 7; ++y) {
      for (int x = 0; x < 7; ++x) {
        const bool ring = x == 0 || y == 0 || x == 6 || y == 6;
        const bool core = x >= 2 && x <= 4 && y >= 2 && y <= 4;
        EXPECT_EQ(qr.dark(ox + x, oy + y), ring || core)
            << "finder at " << ox << "," << oy << " module " << x << "," << y;
      }
    }
  };
  finder_at(0, 0);
  finder_at(qr.size - 7, 0);
  finder_at(0, qr.size - 7);
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(qr.dark(7, i)) << "separator";  // light column beside the finder
  for (uint8_t m : qr.modules) EXPECT_LE(m, 1);
}

TEST(QrEncode, IsDeterministic) {
  EXPECT_EQ(encode("same payload").modules, encode("same payload").modules);
  EXPECT_NE(encode("payload A").modules, encode("payload B").modules);
}

TEST(QrEncode, AcceptsBinaryAndTheLongestPayload) {
  QrMatrix bin = encode(std::string("a\0b\xff", 4));
  EXPECT_EQ(bin.version, 1);
  QrMatrix longest = encode(std::string(kQrPayloadBytesMax, 'z'));
  EXPECT_GT(longest.version, 20);
  EXPECT_LE(longest.size, 177);
}

TEST(QrEncode, RefusesEmptyAndOversizedPayloads) {
  QrMatrix qr;
  qr.size = 99;
  Status empty = qr_encode("", &qr);
  EXPECT_EQ(empty.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(empty.field(), "qr_payload");
  Status too_long = qr_encode(std::string(kQrPayloadBytesMax + 1, 'z'), &qr);
  EXPECT_EQ(too_long.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(qr.size, 99) << "out is untouched on error";
}

// --- SVG -----------------------------------------------------------------------

TEST(QrSvg, IsOnePathWithOneSubpathPerDarkModule) {
  QrMatrix qr = encode("https://example.com");  // 25 x 25
  const std::string svg = qr_svg(qr, 4, 4);
  EXPECT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_EQ(svg.substr(svg.size() - 6), "</svg>");
  EXPECT_NE(svg.find("viewBox=\"0 0 33 33\""), std::string::npos);
  EXPECT_NE(svg.find("width=\"132\" height=\"132\""), std::string::npos);
  EXPECT_NE(svg.find("shape-rendering=\"crispEdges\""), std::string::npos);
  EXPECT_EQ(count_of(svg, "<path"), 1u);
  EXPECT_EQ(count_of(svg, "<"), count_of(svg, ">"));
  EXPECT_EQ(count_of(svg, "M"), qr.dark_count());
  EXPECT_EQ(count_of(svg, "h1v1h-1z"), qr.dark_count());
  // The top-left finder's corner module sits just inside the quiet zone.
  EXPECT_NE(svg.find("d=\"M4 4h1v1h-1z"), std::string::npos);
}

TEST(QrSvg, ClampsSizes) {
  QrMatrix qr = encode("AUTORIZA-0001");  // 21 x 21
  EXPECT_NE(qr_svg(qr, 0, -3).find("height=\"21\" viewBox=\"0 0 21 21\""), std::string::npos);
  EXPECT_NE(qr_svg(qr, 1000, 1000).find("viewBox=\"0 0 53 53\""), std::string::npos);  // 21 + 2 * 16
}

// --- PNG -----------------------------------------------------------------------

TEST(QrPng, IsAValidGrayscalePngThatMatchesTheMatrix) {
  QrMatrix qr = encode("https://example.com");  // 25 x 25
  constexpr int kModulePx = 3, kQuiet = 4;
  const std::string png = qr_png(qr, kModulePx, kQuiet);
  std::vector<Chunk> chunks = png_chunks(png);
  ASSERT_GE(chunks.size(), 3u);
  ASSERT_EQ(chunks.front().type, "IHDR");
  EXPECT_EQ(chunks.back().type, "IEND");
  const std::string& ihdr = chunks.front().data;
  ASSERT_EQ(ihdr.size(), 13u);
  const uint32_t side = (25 + 2 * kQuiet) * kModulePx;  // 99
  EXPECT_EQ(be32(ihdr, 0), side);
  EXPECT_EQ(be32(ihdr, 4), side);
  EXPECT_EQ(ihdr[8], 8);  // bit depth
  EXPECT_EQ(ihdr[9], 0);  // grayscale

  std::string idat;
  for (const Chunk& c : chunks) {
    if (c.type == "IDAT") idat += c.data;
  }
  const size_t row_bytes = side + 1;
  std::string raw(row_bytes * side + 16, '\0');  // spare room: a longer stream would show as a size mismatch
  uLongf raw_len = raw.size();
  ASSERT_EQ(uncompress(reinterpret_cast<Bytef*>(raw.data()), &raw_len, reinterpret_cast<const Bytef*>(idat.data()),
                       idat.size()),
            Z_OK);
  ASSERT_EQ(raw_len, row_bytes * side);

  size_t dark_px = 0;
  for (uint32_t py = 0; py < side; ++py) {
    ASSERT_EQ(raw[py * row_bytes], 0) << "filter type of row " << py;
    for (uint32_t px = 0; px < side; ++px) {
      const auto v = static_cast<unsigned char>(raw[py * row_bytes + 1 + px]);
      const int x = static_cast<int>(px) / kModulePx - kQuiet, y = static_cast<int>(py) / kModulePx - kQuiet;
      const bool dark = x >= 0 && y >= 0 && x < qr.size && y < qr.size && qr.dark(x, y);
      ASSERT_EQ(v, dark ? 0x00 : 0xFF) << "pixel " << px << "," << py;
      dark_px += dark;
    }
  }
  EXPECT_EQ(dark_px, qr.dark_count() * kModulePx * kModulePx);
}

TEST(QrPng, DefaultSizeIsFourPixelsPerModule) {
  QrMatrix qr = encode(std::string(100, 'x'));  // 41 x 41
  std::vector<Chunk> chunks = png_chunks(qr_png(qr));
  ASSERT_FALSE(chunks.empty());
  EXPECT_EQ(be32(chunks.front().data, 0), (41u + 8u) * 4u);
}

// --- card page -----------------------------------------------------------------

CardData sample_card() {
  CardData c;
  c.credential = "1234567/01";
  c.name = "María José Pérez";
  c.document = "DNI 30.123.456";
  c.cuil = "27-30123456-4";
  c.plan = "Plan 310";
  c.titular = "Juan Carlos Pérez";
  c.updated_on = "04/11/2026";
  c.security_code = "482913";
  c.valid_until = "18:31";
  c.qr_payload = "v1.1234567-01.20261104T1830.sig";
  c.active = true;
  return c;
}

TEST(HtmlEscape, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(html_escape("<script>&\"'"), "&lt;script&gt;&amp;&quot;&#39;");
  EXPECT_EQ(html_escape("Pérez & Cía."), "Pérez &amp; Cía.");
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;") << "escapes again, never interprets";
  EXPECT_EQ(html_escape(""), "");
}

TEST(CardHtml, ShowsTheEscapedFieldsTheCodeAndTheQr) {
  CardData card = sample_card();
  card.name = "Ana <b>\"Tita\"</b> O'Neil";
  const std::string svg = qr_svg(encode(card.qr_payload));
  const std::string html = card_html(card, svg);
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("Obra Social"), std::string::npos);
  EXPECT_NE(html.find("Ana &lt;b&gt;&quot;Tita&quot;&lt;/b&gt; O&#39;Neil"), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("482 913"), std::string::npos);
  EXPECT_NE(html.find("1234567/01"), std::string::npos);
  EXPECT_NE(html.find("27-30123456-4"), std::string::npos);
  EXPECT_NE(html.find("Juan Carlos Pérez"), std::string::npos);
  EXPECT_NE(html.find(svg), std::string::npos);
  EXPECT_NE(html.find("ACTIVA"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(CardHtml, EscapesEveryField) {
  CardData card;
  card.credential = card.name = card.document = card.cuil = card.plan = card.titular = card.updated_on =
      card.security_code = card.valid_until = "<x>";
  const std::string html = card_html(card, "");
  EXPECT_EQ(html.find("<x>"), std::string::npos);
  EXPECT_EQ(count_of(html, "&lt;x&gt;"), 10u);  // nine fields, credential twice (title and card)
}

TEST(CardHtml, MarksAnInactiveCard) {
  CardData card = sample_card();
  card.active = false;
  const std::string html = card_html(card, "");
  EXPECT_NE(html.find("class=\"card inactive\""), std::string::npos);
  EXPECT_NE(html.find("SIN COBERTURA"), std::string::npos);
}

TEST(CardHtml, GroupsOnlySixDigitCodes) {
  EXPECT_EQ(group_security_code("012345"), "012 345");
  EXPECT_EQ(group_security_code("12345"), "12345");
  EXPECT_EQ(group_security_code("12a456"), "12a456");
}

// --- token sheet ---------------------------------------------------------------

TokenSheet sample_sheet(size_t count) {
  TokenSheet s;
  s.card = sample_card();
  s.month = "2026-11";
  for (size_t i = 0; i < count; ++i) {
    std::string t = std::to_string(10000000 + i * 7919);
    s.tokens.push_back(t);
  }
  s.tokens[0] = "00012345";  // leading zeros are kept
  return s;
}

TEST(MonthLabel, SpellsTheMonthInSpanish) {
  EXPECT_EQ(month_label_es("2026-11"), "noviembre de 2026");
  EXPECT_EQ(month_label_es("2027-01"), "enero de 2027");
  EXPECT_EQ(month_label_es("2026-13"), "2026-13");
  EXPECT_EQ(month_label_es("2026-1"), "2026-1");
  EXPECT_EQ(month_label_es("<b>"), "<b>");
}

TEST(TokenSheetHtml, ListsEveryTokenNumberedWithTheCardAndInstructions) {
  TokenSheet sheet = sample_sheet(kSheetTokensMax);
  const std::string html = token_sheet_html(sheet);
  EXPECT_NE(html.find("@page{size:A4"), std::string::npos);
  EXPECT_NE(html.find("Entregue un token por cada prestación. Válidos sólo durante noviembre de 2026."),
            std::string::npos);
  for (size_t i = 0; i < sheet.tokens.size(); ++i) {
    EXPECT_NE(html.find("<span class=\"n\">" + std::to_string(i + 1) + ".</span><span class=\"tok\">" +
                        group_token(sheet.tokens[i]) + "</span>"),
              std::string::npos)
        << sheet.tokens[i];
  }
  EXPECT_NE(html.find("0001 2345"), std::string::npos);
  EXPECT_EQ(count_of(html, "class=\"box\""), kSheetTokensMax);
  EXPECT_NE(html.find("María José Pérez"), std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos) << "the card's QR";
  EXPECT_EQ(html.find("482 913"), std::string::npos) << "the rotating code would be stale on paper";
}

TEST(TokenSheetHtml, EscapesTheMonthAndTokens) {
  TokenSheet sheet = sample_sheet(1);
  sheet.month = "<i>";
  sheet.tokens[0] = "<t>";
  sheet.card.qr_payload.clear();
  const std::string html = token_sheet_html(sheet);
  EXPECT_EQ(html.find("<i>"), std::string::npos);
  EXPECT_EQ(html.find("<t>"), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
}

// --- token sheet PDF -----------------------------------------------------------

// Drawn through adapters/print (cairo and pango): the text is read back with
// pdftotext in tests/print/documents_test.cc (TokenSheetPdf); here only the
// file's frame and that equal sheets give equal bytes.
TEST(TokenSheetPdf, IsOnePdfFileAndReproducible) {
  TokenSheet sheet = sample_sheet(12);
  sheet.card.name = "Pérez (hijo) \\ Juan";
  const std::string pdf = token_sheet_pdf(sheet);
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  EXPECT_EQ(pdf.substr(pdf.size() - 6), "%%EOF\n");
  EXPECT_NE(pdf.find("/Count 1"), std::string::npos) << "one page";
  EXPECT_EQ(token_sheet_pdf(sheet), pdf);
}

}  // namespace
}  // namespace autoriza::card

namespace autoriza::card {
namespace {

std::filesystem::path write_temp(const std::string& name, const std::string& text) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("autoriza-insurer-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

TEST(Insurer, LoadsOverTheNeutralDefaultAndSaysWhatIsWrong) {
  Insurer neutral;
  EXPECT_NE(insurer_logo_svg(neutral).find("<svg"), std::string::npos);
  write_temp("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  Insurer loaded;
  ASSERT_TRUE(load_insurer(write_temp("ok.json", R"({"name": "OS Prueba", "logo": "logo.svg",
      "phones": [{"label": "Guardia", "number": "0800-555-0911"}]})"), &loaded).is_ok());
  EXPECT_EQ(loaded.name, "OS Prueba");
  EXPECT_EQ(loaded.card_notice, neutral.card_notice);  // what the file does not say keeps its default
  EXPECT_EQ(insurer_logo_svg(loaded), "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
  EXPECT_EQ(insurer_json(loaded)["phones"][0]["number"], "0800-555-0911");
  Insurer bad;
  Status s = load_insurer(write_temp("bad.json", R"({"phones": [{"label": "Guardia"}]})"), &bad);
  EXPECT_EQ(s.field(), "phones[0]");
  EXPECT_NE(s.message().find("phones[0] debe ser"), std::string::npos) << s.message();
  EXPECT_EQ(bad.name, neutral.name);  // nothing half-applied
  write_temp("evil.svg", "<svg><script>alert(1)</script></svg>");
  EXPECT_FALSE(load_insurer(write_temp("evil.json", R"({"logo": "evil.svg"})"), &bad).is_ok());
  EXPECT_FALSE(load_insurer(write_temp("broken.json", "{"), &bad).is_ok());
}

}  // namespace
}  // namespace autoriza::card
