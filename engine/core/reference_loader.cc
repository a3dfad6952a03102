// Orchestrates a reference load: reads each file, parses it with its
// reference_rows function, and applies the all-or-nothing rules (a file with
// a bad row is rejected whole; affiliates.csv fails with a rejected
// plans.csv).
#include "engine/core/reference_loader.h"

#include <cassert>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

#include "engine/core/reference_rows.h"

namespace autoriza {

namespace {

using namespace reference_rows;

enum class FileKind { kPlans, kPractices, kProviders, kPrescribers, kAffiliates, kDiagnoses };

struct FileSpec {
  FileKind kind;
  std::string name;
  const std::vector<std::string_view>& (*columns)();
  bool optional = false;  // a directory without it loads (and reports nothing of it)
};

// In the order of ReferenceLoad::files: plans before affiliates, which need them.
const std::vector<FileSpec>& file_specs() {
  static const std::vector<FileSpec> k = {
      {FileKind::kPlans, "plans.csv", plan_columns},
      {FileKind::kPractices, "practices.csv", practice_columns},
      {FileKind::kProviders, "providers.csv", provider_columns},
      {FileKind::kPrescribers, "prescribers.csv", prescriber_columns},
      {FileKind::kAffiliates, "affiliates.csv", affiliate_columns},
      {FileKind::kDiagnoses, "diagnoses.csv", diagnosis_columns, true},
  };
  return k;
}

// A file's text, or why it could not be read. Absent from the map: missing.
struct FileInput {
  std::string text;
  std::string error;  // not empty: unreadable
};
using FileInputs = std::map<std::string, FileInput, std::less<>>;

void parse_file(FileKind kind, const Table& table, const PlanCatalog& plans, ErrorList* errors,
                std::vector<fb::ReferenceRecordUnion>* out) {
  switch (kind) {
    case FileKind::kPlans: return parse_plans(table, errors, out);
    case FileKind::kPractices: return parse_practices(table, errors, out);
    case FileKind::kProviders: return parse_providers(table, errors, out);
    case FileKind::kPrescribers: return parse_prescribers(table, errors, out);
    case FileKind::kAffiliates: return parse_affiliates(table, plans, errors, out);
    case FileKind::kDiagnoses: return parse_diagnoses(table, errors, out);
  }
  AUTORIZA_CHECK(!"unknown reference file kind");
}

// Parses one file's input (if any) into *records; returns its report.
FileReport load_file(const FileSpec& spec, const FileInputs& inputs, const PlanCatalog& plans,
                     bool depends_on_rejected, std::vector<fb::ReferenceRecordUnion>* records) {
  ErrorList errors(spec.name, kLoadErrorsPerFileMax);
  if (depends_on_rejected) errors.add(0, "depends on rejected plans.csv");
  FileReport report;
  report.file = spec.name;
  const auto it = inputs.find(spec.name);
  if (it == inputs.end()) {
    errors.add(0, "missing file");
  } else if (!it->second.error.empty()) {
    errors.add(0, it->second.error);
  } else {
    Table table;
    if (read_table(it->second.text, spec.columns(), &errors, &table)) {
      parse_file(spec.kind, table, plans, &errors, records);
    }
    report.rows = table.rows.size();
  }
  report.rejected = errors.count() > 0;
  report.errors = errors.take();
  assert(report.rejected == !report.errors.empty());
  assert(report.rejected || records->size() == report.rows);
  return report;
}

ReferenceLoad load_inputs(const FileInputs& inputs, const Reference& existing) {
  ReferenceLoad load;
  std::set<std::string, std::less<>> plan_names;  // of plans.csv, even if rejected: fewer knock-on errors
  bool plans_rejected = false;
  for (const FileSpec& spec : file_specs()) {
    if (spec.optional && !inputs.contains(spec.name)) continue;
    std::vector<fb::ReferenceRecordUnion> records;
    const bool depends_on_rejected = spec.kind == FileKind::kAffiliates && plans_rejected;
    FileReport report = load_file(spec, inputs, PlanCatalog{plan_names, existing}, depends_on_rejected, &records);
    if (spec.kind == FileKind::kPlans) {
      for (const auto& r : records) plan_names.insert(r.AsPlan()->plan);
      plans_rejected = report.rejected;
    }
    if (!report.rejected) {
      for (auto& r : records) load.records.push_back(std::move(r));
    }
    load.files.push_back(std::move(report));
  }
  AUTORIZA_CHECK(load.files.size() <= file_specs().size());
  return load;
}

// Reads a whole file, bounded by kReferenceFileBytesMax. Returns false when
// the file does not exist.
bool read_file(const std::filesystem::path& path, FileInput* input) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) return false;
  if (ec) {
    input->error = "cannot read: " + ec.message();
    return true;
  }
  if (!std::filesystem::is_regular_file(status)) {
    input->error = "not a regular file";
    return true;
  }
  const uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec || size > kReferenceFileBytesMax) {
    input->error = ec ? "cannot read: " + ec.message()
                      : "larger than " + std::to_string(kReferenceFileBytesMax) + " bytes";
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  input->text.resize(size);
  if (!in || !in.read(input->text.data(), std::streamsize(size))) {
    input->error = std::string("cannot read: ") + std::strerror(errno);
    input->text.clear();
  }
  return true;
}

}  // namespace

bool ReferenceLoad::ok() const {
  for (const FileReport& f : files) {
    if (f.rejected) return false;
  }
  return true;
}

const std::vector<std::string>& reference_file_names() {
  static const std::vector<std::string> k = [] {
    std::vector<std::string> names;
    for (const FileSpec& spec : file_specs()) names.push_back(spec.name);
    return names;
  }();
  return k;
}

ReferenceLoad load_reference_dir(const std::filesystem::path& dir, const Reference& existing) {
  FileInputs inputs;
  for (const FileSpec& spec : file_specs()) {
    FileInput input;
    if (read_file(dir / spec.name, &input)) inputs.emplace(spec.name, std::move(input));
  }
  return load_inputs(inputs, existing);
}

ReferenceLoad load_reference_texts(const std::map<std::string, std::string>& files_by_name,
                                   const Reference& existing) {
  FileInputs inputs;
  for (const FileSpec& spec : file_specs()) {
    const auto it = files_by_name.find(spec.name);
    if (it != files_by_name.end()) inputs.emplace(spec.name, FileInput{it->second, {}});
  }
  return load_inputs(inputs, existing);
}

}  // namespace autoriza
