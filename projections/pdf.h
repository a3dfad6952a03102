#pragma once
// A minimal PDF 1.4 writer for the reports: a title on every page, then
// lines of monospaced text (Courier 8 pt), as many pages as needed.
// Text is UTF-8 in, WinAnsi (Latin-1) out: characters beyond Latin-1 print
// as '?'; lines longer than the page are cut. No external dependency.
#include <string>
#include <string_view>
#include <vector>

namespace autoriza::projections {

inline constexpr size_t kPdfPagesMax = 2'000;  // a longer report is cut, with a last line saying so

// Needs: lines are single lines (no '\n'). Returns the whole file.
std::string text_pdf(std::string_view title, const std::vector<std::string>& lines, bool landscape);

// Pads or cuts UTF-8 text to width characters (code points).
std::string fixed_width(std::string_view text, size_t width);

}  // namespace autoriza::projections
