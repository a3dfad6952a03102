// QR encoding (libqrencode) and drawing (SVG text, PNG via zlib). The PNG is
// written by hand rather than through libpng: the image is one grayscale
// IDAT, and this avoids libpng's setjmp/longjmp error path in C++ code.
#include "adapters/card/qr.h"

#include <qrencode.h>
#include <zlib.h>

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <memory>

namespace autoriza::card {
namespace {

struct QrcodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrcodePtr = std::unique_ptr<QRcode, QrcodeFree>;

int clamp_module_px(int module_px) {
  return std::clamp(module_px, 1, kQrModulePxMax);
}
int clamp_quiet(int quiet_modules) {
  return std::clamp(quiet_modules, 0, kQrQuietModulesMax);
}

void check_matrix(const QrMatrix& qr) {
  AUTORIZA_CHECK(qr.size >= 21 && qr.size <= 177);
  AUTORIZA_CHECK(qr.modules.size() == static_cast<size_t>(qr.size) * qr.size);
}

void put_u32_be(std::string* out, uint32_t v) {
  out->push_back(static_cast<char>(v >> 24));
  out->push_back(static_cast<char>(v >> 16));
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

// A PNG chunk: length (4, BE), type (4), data, CRC-32 of type and data (4, BE).
void put_chunk(std::string* out, const char (&type)[5], const std::string& data) {
  put_u32_be(out, static_cast<uint32_t>(data.size()));
  const size_t type_at = out->size();
  out->append(type, 4);
  out->append(data);
  const auto* crc_from = reinterpret_cast<const Bytef*>(out->data() + type_at);
  const uLong crc = crc32(crc32(0L, Z_NULL, 0), crc_from, static_cast<uInt>(4 + data.size()));
  put_u32_be(out, static_cast<uint32_t>(crc));
}

}  // namespace

size_t QrMatrix::dark_count() const {
  return static_cast<size_t>(std::count(modules.begin(), modules.end(), 1));
}

Status qr_encode(std::string_view payload, QrMatrix* out) {
  assert(out != nullptr);
  if (payload.empty()) return Status::invalid("QR payload is empty", "qr_payload");
  if (payload.size() > kQrPayloadBytesMax) {
    return Status::invalid("QR payload is longer than " + std::to_string(kQrPayloadBytesMax) + " bytes", "qr_payload");
  }
  errno = 0;
  QrcodePtr code(QRcode_encodeData(static_cast<int>(payload.size()),
                                   reinterpret_cast<const unsigned char*>(payload.data()), 0, QR_ECLEVEL_M));
  if (!code) {
    if (errno == ENOMEM) return Status::unavailable("QR encoder out of memory");
    return Status::invalid("QR encoder refused the payload", "qr_payload");
  }
  AUTORIZA_CHECK(code->version >= 1 && code->version <= 40);
  AUTORIZA_CHECK(code->width == 17 + 4 * code->version);

  QrMatrix qr;
  qr.version = code->version;
  qr.size = code->width;
  const size_t n = static_cast<size_t>(qr.size) * qr.size;
  qr.modules.resize(n);
  // Bit 0 of each libqrencode byte is the colour; the other bits describe
  // the module's role (finder, timing, data) and are not needed to draw.
  for (size_t i = 0; i < n; ++i) qr.modules[i] = code->data[i] & 1;
  *out = std::move(qr);
  return Status::ok();
}

std::string qr_svg(const QrMatrix& qr, int module_px, int quiet_modules) {
  check_matrix(qr);
  module_px = clamp_module_px(module_px);
  quiet_modules = clamp_quiet(quiet_modules);
  const int side_modules = qr.size + 2 * quiet_modules;
  const std::string side = std::to_string(side_modules);
  const std::string side_px = std::to_string(side_modules * module_px);

  std::string svg;
  svg.reserve(200 + qr.dark_count() * 16);
  svg += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + side_px + "\" height=\"" + side_px +
         "\" viewBox=\"0 0 " + side + " " + side + "\" shape-rendering=\"crispEdges\" role=\"img\" " +
         "aria-label=\"QR\">";
  svg += "<rect width=\"" + side + "\" height=\"" + side + "\" fill=\"#fff\"/>";
  svg += "<path fill=\"#000\" d=\"";
  for (int y = 0; y < qr.size; ++y) {
    for (int x = 0; x < qr.size; ++x) {
      if (!qr.dark(x, y)) continue;
      svg += 'M';
      svg += std::to_string(x + quiet_modules);
      svg += ' ';
      svg += std::to_string(y + quiet_modules);
      svg += "h1v1h-1z";
    }
  }
  svg += "\"/></svg>";
  return svg;
}

std::string qr_png(const QrMatrix& qr, int module_px, int quiet_modules) {
  check_matrix(qr);
  module_px = clamp_module_px(module_px);
  quiet_modules = clamp_quiet(quiet_modules);
  const int side_px = (qr.size + 2 * quiet_modules) * module_px;
  const size_t row_bytes = 1 + static_cast<size_t>(side_px);  // filter byte + one byte per pixel

  // Raw scanlines: filter type 0 (None), then gray samples.
  std::string raw(row_bytes * side_px, static_cast<char>(0xFF));
  for (int py = 0; py < side_px; ++py) {
    char* row = raw.data() + row_bytes * py;
    row[0] = 0;
    const int y = py / module_px - quiet_modules;
    if (y < 0 || y >= qr.size) continue;
    for (int px = 0; px < side_px; ++px) {
      const int x = px / module_px - quiet_modules;
      if (x >= 0 && x < qr.size && qr.dark(x, y)) row[1 + px] = 0;
    }
  }

  uLongf packed_len = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_len, '\0');
  if (compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_len, reinterpret_cast<const Bytef*>(raw.data()),
                static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION) != Z_OK) {
    return {};
  }
  packed.resize(packed_len);

  std::string ihdr;
  put_u32_be(&ihdr, static_cast<uint32_t>(side_px));  // width
  put_u32_be(&ihdr, static_cast<uint32_t>(side_px));  // height
  ihdr += '\x08';                                     // bit depth
  ihdr += '\x00';                                     // colour type: grayscale
  ihdr += '\x00';                                     // compression: deflate
  ihdr += '\x00';                                     // filter method 0
  ihdr += '\x00';                                     // no interlace

  std::string png("\x89PNG\r\n\x1a\n", 8);
  put_chunk(&png, "IHDR", ihdr);
  put_chunk(&png, "IDAT", packed);
  put_chunk(&png, "IEND", {});
  return png;
}

}  // namespace autoriza::card
