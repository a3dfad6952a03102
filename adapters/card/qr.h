#pragma once
// QR code of a digital credential (docs/rules.md §12-13): a payload is encoded once
// with libqrencode into a module matrix, and the matrix is drawn as SVG (for
// the card page) or PNG (for a provider's app). Pure functions: no engine
// state, no I/O.
//
// Formats produced:
//   SVG: one <svg> with viewBox "0 0 N N" in module units (N = size + 2 *
//        quiet), a white <rect> background and ONE <path> whose data holds one
//        "M{x} {y}h1v1h-1z" subpath per dark module; shape-rendering is
//        crispEdges so scaled modules keep hard edges.
//   PNG: 8-bit grayscale, no interlace, one IDAT (zlib), filter type 0 on every
//        row; width = height = (size + 2 * quiet) * module_px; dark = 0x00,
//        light = 0xFF.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/status.h"

namespace autoriza::card {

// Bounds on what we encode and draw. 1024 bytes fits a signed credential
// payload with room to spare and stays far below the 2331-byte capacity of a
// version 40-M symbol; the pixel bounds keep a PNG under ~4 MiB raw.
inline constexpr size_t kQrPayloadBytesMax = 1024;
inline constexpr int kQrModulePxMax = 32;
inline constexpr int kQrQuietModulesMax = 16;

// A square QR symbol: size x size modules, row-major, 1 = dark, 0 = light.
// version is the QR version (1..40); size == 17 + 4 * version.
struct QrMatrix {
  int version = 0;
  int size = 0;
  std::vector<uint8_t> modules;

  bool dark(int x, int y) const { return modules[static_cast<size_t>(y) * size + x] != 0; }
  size_t dark_count() const;
};

// Encodes `payload` (any bytes, NULs allowed) in 8-bit mode at error
// correction level M, choosing the smallest version that fits.
// Needs: 1 <= payload.size() <= kQrPayloadBytesMax; `out` not null.
// Returns invalid (field "qr_payload") for an empty or too-long payload,
// unavailable if libqrencode fails to allocate. `out` is written only on ok.
Status qr_encode(std::string_view payload, QrMatrix* out);

// The symbol as a standalone <svg> element (no XML prolog, so it can be
// inlined in HTML). Needs a matrix from qr_encode (a malformed one aborts).
// module_px is clamped to [1, kQrModulePxMax] and quiet_modules to
// [0, kQrQuietModulesMax] (the QR standard asks for 4). Never fails.
std::string qr_svg(const QrMatrix& qr, int module_px = 4, int quiet_modules = 4);

// The symbol as the bytes of a PNG file (see the header comment). Same needs
// as qr_svg. Returns an empty string only if zlib cannot allocate.
std::string qr_png(const QrMatrix& qr, int module_px = 4, int quiet_modules = 4);

}  // namespace autoriza::card
