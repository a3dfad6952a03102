#include "engine/core/csv.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace autoriza {
namespace {

using Fields = std::vector<std::string>;

struct Parsed {
  Status status;
  Fields header;
  std::vector<CsvRow> rows;
};

Parsed parse(std::string_view text, const CsvOptions& options = {}) {
  Parsed p;
  p.status = read_csv(text, &p.header, &p.rows, options);
  return p;
}

TEST(Csv, ReadsHeaderAndRows) {
  const Parsed p = parse("a,b,c\n1,2,3\n4,5,6\n");
  ASSERT_TRUE(p.status) << p.status.message();
  EXPECT_EQ(p.header, (Fields{"a", "b", "c"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].line, 2);
  EXPECT_EQ(p.rows[0].fields, (Fields{"1", "2", "3"}));
  EXPECT_EQ(p.rows[1].line, 3);
  EXPECT_EQ(p.rows[1].fields, (Fields{"4", "5", "6"}));
}

TEST(Csv, LastLineWithoutLineEnd) {
  const Parsed p = parse("a,b\n1,2");
  ASSERT_TRUE(p.status);
  ASSERT_EQ(p.rows.size(), 1u);
  EXPECT_EQ(p.rows[0].fields, (Fields{"1", "2"}));
}

TEST(Csv, EmptyFieldsKept) {
  const Parsed p = parse("a,b,c\n,,\n1,,\n");
  ASSERT_TRUE(p.status);
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].fields, (Fields{"", "", ""}));
  EXPECT_EQ(p.rows[1].fields, (Fields{"1", "", ""}));
}

TEST(Csv, QuotedFieldsWithCommasQuotesAndNewlines) {
  const Parsed p = parse("name,note\n\"PEREZ, JUAN\",\"says \"\"hi\"\"\"\n\"two\nlines\",x\nlast,\"\"\n");
  ASSERT_TRUE(p.status) << p.status.message();
  ASSERT_EQ(p.rows.size(), 3u);
  EXPECT_EQ(p.rows[0].fields, (Fields{"PEREZ, JUAN", "says \"hi\""}));
  EXPECT_EQ(p.rows[1].fields, (Fields{"two\nlines", "x"}));
  EXPECT_EQ(p.rows[1].line, 3);
  EXPECT_EQ(p.rows[2].line, 5);  // the embedded newline counts as a line
  EXPECT_EQ(p.rows[2].fields, (Fields{"last", ""}));
}

TEST(Csv, CrlfAndBom) {
  const Parsed p = parse("\xEF\xBB\xBFplan,pct\r\nNORMAL,80\r\n\"A\r\nB\",1\r\n");
  ASSERT_TRUE(p.status) << p.status.message();
  EXPECT_EQ(p.header, (Fields{"plan", "pct"}));
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].fields, (Fields{"NORMAL", "80"}));
  EXPECT_EQ(p.rows[1].fields, (Fields{"A\r\nB", "1"}));
  EXPECT_EQ(p.rows[1].line, 3);
}

TEST(Csv, BlankLinesSkippedButCounted) {
  const Parsed p = parse("a\n\n1\n\r\n\n2\n\n");
  ASSERT_TRUE(p.status);
  ASSERT_EQ(p.rows.size(), 2u);
  EXPECT_EQ(p.rows[0].line, 3);
  EXPECT_EQ(p.rows[1].line, 6);
}

TEST(Csv, Utf8Kept) {
  const Parsed p = parse("n\nPEÑARANDA\n");
  ASSERT_TRUE(p.status);
  EXPECT_EQ(p.rows[0].fields[0], "PEÑARANDA");
}

TEST(Csv, UnterminatedQuoteNamesItsLine) {
  const Parsed p = parse("a,b\n1,2\n3,\"open\n4,5\n");
  ASSERT_FALSE(p.status);
  EXPECT_EQ(p.status.kind(), StatusKind::kInvalidRequest);
  EXPECT_EQ(p.status.message(), "line 3: unterminated quoted field");
}

TEST(Csv, SourceNamePrefixesErrors) {
  CsvOptions options;
  options.source = "plans.csv";
  const Parsed p = parse("a\n\"x\n", options);
  ASSERT_FALSE(p.status);
  EXPECT_EQ(p.status.message(), "plans.csv:2: unterminated quoted field");
}

TEST(Csv, QuoteInsideUnquotedField) {
  const Parsed p = parse("a\nab\"c\n");
  ASSERT_FALSE(p.status);
  EXPECT_NE(p.status.message().find("line 2: quote inside an unquoted field"), std::string::npos);
}

TEST(Csv, TextAfterClosingQuote) {
  const Parsed p = parse("a,b\n\"x\"y,1\n");
  ASSERT_FALSE(p.status);
  EXPECT_NE(p.status.message().find("line 2: unexpected character after a closing quote"), std::string::npos);
}

TEST(Csv, EmptyTextHasNoHeader) {
  for (const char* text : {"", "\n\n", "\xEF\xBB\xBF"}) {
    const Parsed p = parse(text);
    ASSERT_FALSE(p.status);
    EXPECT_EQ(p.status.message(), "line 1: missing header row");
  }
}

TEST(Csv, HeaderOnly) {
  const Parsed p = parse("a,b\n");
  ASSERT_TRUE(p.status);
  EXPECT_TRUE(p.rows.empty());
}

TEST(Csv, InvalidUtf8NamesItsLine) {
  const Parsed p = parse("a\nok\nbad\xC3(\n");
  ASSERT_FALSE(p.status);
  EXPECT_EQ(p.status.message(), "line 3: invalid UTF-8");
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));
}

TEST(Csv, RowBound) {
  CsvOptions options;
  options.rows_max = 2;
  EXPECT_TRUE(parse("a\n1\n2\n", options).status);
  const Parsed p = parse("a\n1\n2\n3\n", options);
  ASSERT_FALSE(p.status);
  EXPECT_EQ(p.status.message(), "line 4: more than 2 data rows");
}

TEST(Csv, FieldBound) {
  CsvOptions options;
  options.field_bytes_max = 4;
  EXPECT_TRUE(parse("a\n1234\n\"12\"\"4\"\n", options).status);
  const Parsed unquoted = parse("a\n12345\n", options);
  ASSERT_FALSE(unquoted.status);
  EXPECT_EQ(unquoted.status.message(), "line 2: field longer than 4 bytes");
  const Parsed quoted = parse("a\n\"12\n345\"\n", options);
  ASSERT_FALSE(quoted.status);
  EXPECT_EQ(quoted.status.message(), "line 2: field longer than 4 bytes");
}

TEST(Csv, DefaultFieldBoundIsOneMebibyte) {
  const std::string field(1u << 20, 'x');
  EXPECT_TRUE(parse("a\n" + field + "\n").status);
  const Parsed p = parse("a\n" + field + "x\n");
  ASSERT_FALSE(p.status);
  EXPECT_EQ(p.status.message(), "line 2: field longer than 1048576 bytes");
}

TEST(Csv, FieldsPerRowBound) {
  CsvOptions options;
  options.fields_per_row_max = 3;
  EXPECT_TRUE(parse("a,b,c\n1,2,3\n", options).status);
  EXPECT_FALSE(parse("a,b,c\n1,2,3,4\n", options).status);
}

}  // namespace
}  // namespace autoriza
