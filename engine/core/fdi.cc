#include "engine/core/fdi.h"

#include <cassert>

namespace autoriza {

bool tooth_is_valid(int tooth) {
  const int quadrant = tooth / 10;
  const int position = tooth % 10;
  if (quadrant >= 1 && quadrant <= 4) return position >= 1 && position <= 8;
  if (quadrant >= 5 && quadrant <= 8) return position >= 1 && position <= 5;
  return false;
}

bool tooth_is_anterior(int tooth) {
  assert(tooth_is_valid(tooth));
  return tooth % 10 <= 3;
}

bool tooth_is_upper(int tooth) {
  assert(tooth_is_valid(tooth));
  const int quadrant = tooth / 10;
  return quadrant == 1 || quadrant == 2 || quadrant == 5 || quadrant == 6;
}

bool faces_well_formed(std::string_view faces) {
  if (faces.empty() || faces.size() > 8) return false;
  unsigned seen = 0;
  static constexpr std::string_view kLetters = "OIVMDGPL";
  for (char c : faces) {
    const size_t bit = kLetters.find(c);
    if (bit == std::string_view::npos || (seen & (1u << bit))) return false;
    seen |= 1u << bit;
  }
  return true;
}

bool faces_fit_tooth(std::string_view faces, int tooth) {
  assert(faces_well_formed(faces) && tooth_is_valid(tooth));
  for (char c : faces) {
    if (c == 'O' && tooth_is_anterior(tooth)) return false;
    if (c == 'I' && !tooth_is_anterior(tooth)) return false;
    if (c == 'P' && !tooth_is_upper(tooth)) return false;
    if (c == 'L' && tooth_is_upper(tooth)) return false;
  }
  return true;
}

}  // namespace autoriza
