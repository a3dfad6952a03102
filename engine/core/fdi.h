#pragma once
// FDI two-digit tooth notation and the faces of a tooth (docs/rules.md §8).
//   permanent 11-18, 21-28, 31-38, 41-48; deciduous 51-55, 61-65, 71-75, 81-85;
//   position 1-3 anterior, 4-8 posterior; upper jaw = quadrants 1, 2, 5, 6.
//   O occlusal (posterior), I incisal (anterior), V M D G (any tooth),
//   P palatal (upper), L lingual (lower). Upper-case, each at most once.
#include <string_view>

namespace autoriza {

bool tooth_is_valid(int tooth);
// Both need a valid tooth.
bool tooth_is_anterior(int tooth);
bool tooth_is_upper(int tooth);

// Letters are known, upper-case and not repeated; non-empty.
bool faces_well_formed(std::string_view faces);
// Every face exists on that (valid) tooth; faces must be well formed.
bool faces_fit_tooth(std::string_view faces, int tooth);

}  // namespace autoriza
