#pragma once
// Reading PDFs back as a person would: the text through `pdftotext -layout`
// (the columns as they stand on the page) and the pages rendered by
// `pdftoppm` (Debian poppler-utils, installed by ops/install-deps.sh).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/harness.h"

namespace autoriza::testing {

// Runs a shell command; its standard output, and its exit status in *status.
inline std::string run_command(const std::string& command, int* status) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) {
    *status = -1;
    return out;
  }
  char buf[4096];
  for (size_t n; (n = fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  *status = pclose(pipe);
  return out;
}

class PdfFile {
 public:
  // Writes pdf to a file of its own in a fresh temporary folder.
  // With AUTORIZA_PRINT_KEEP=DIR a copy stays in DIR, named after the test,
  // to look at.
  explicit PdfFile(const std::string& pdf, const std::string& name = "document") {
    dir_ = temp_dir("print");
    path_ = dir_ / (name + ".pdf");
    std::ofstream(path_, std::ios::binary) << pdf;
    if (const char* keep = std::getenv("AUTORIZA_PRINT_KEEP")) {
      static int serial = 0;
      const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
      const std::string stem = test ? std::string(test->test_suite_name()) + "." + test->name() : "pdf";
      std::filesystem::create_directories(keep);
      std::ofstream(std::filesystem::path(keep) / (stem + "-" + std::to_string(++serial) + ".pdf"), std::ios::binary)
          << pdf;
    }
  }
  ~PdfFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // pdftotext -layout of every page (pages end in a form feed), or of pages
  // first..last (from 1).
  std::string text(int first = 0, int last = 0) const {
    int status = 0;
    const std::string range = first > 0 ? " -f " + std::to_string(first) + " -l " + std::to_string(last) : "";
    std::string out = run_command("pdftotext -layout" + range + " '" + path_.string() + "' - 2>&1", &status);
    EXPECT_EQ(status, 0) << "pdftotext (poppler-utils) failed: " << out;
    return out;
  }

  // How many pages pdfinfo counts.
  int pages() const {
    int status = 0;
    const std::string info = run_command("pdfinfo '" + path_.string() + "' 2>&1", &status);
    EXPECT_EQ(status, 0) << info;
    std::smatch m;
    return std::regex_search(info, m, std::regex(R"(Pages:\s+(\d+))")) ? std::stoi(m[1]) : 0;
  }

  // Renders every page to PNG at 50 dpi; the number of images pdftoppm wrote
  // (0 when it failed).
  int render() const {
    int status = 0;
    const std::string out =
        run_command("pdftoppm -r 50 -png '" + path_.string() + "' '" + (dir_ / "page").string() + "' 2>&1", &status);
    EXPECT_EQ(status, 0) << out;
    EXPECT_EQ(out, "") << "pdftoppm complained";
    int images = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      if (entry.path().extension() == ".png" && std::filesystem::file_size(entry.path()) > 0) ++images;
    }
    return status == 0 ? images : 0;
  }

 private:
  std::filesystem::path dir_, path_;
};

inline std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Whether any two of the column titles ran into each other ("CantEstado",
// "Cant.Estado") anywhere in the text.
inline std::string run_together(const std::string& text, const std::vector<std::string>& titles) {
  for (const std::string& a : titles) {
    for (const std::string& b : titles) {
      if (a != b && text.find(a + b) != std::string::npos) return a + b;
    }
  }
  return "";
}

}  // namespace autoriza::testing
