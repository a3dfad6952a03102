#include "bench/loadgen/answer.h"

#include <cassert>

namespace autoriza::bench {

namespace {

constexpr int kDepthMax = 32;  // bound of the recursive skip

// A forward-only reader of one JSON text. Strings are returned raw (escape
// sequences are skipped, not decoded): ids and status names never hold any.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' || text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool eat(char c) {
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  char peek() {
    skip_space();
    return pos_ < text_.size() ? text_[pos_] : '\0';
  }

  bool string(std::string_view* out) {
    if (!eat('"')) return false;
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') pos_ += text_[pos_] == '\\' ? 2 : 1;
    if (pos_ >= text_.size()) return false;
    *out = text_.substr(start, pos_ - start);
    ++pos_;
    return true;
  }

  bool integer(int64_t* out) {
    skip_space();
    bool negative = false;
    if (pos_ < text_.size() && text_[pos_] == '-') {
      negative = true;
      ++pos_;
    }
    const size_t start = pos_;
    int64_t value = 0;
    while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9' && pos_ - start < 18) {
      value = value * 10 + (text_[pos_++] - '0');
    }
    if (pos_ == start) return false;
    *out = negative ? -value : value;
    return true;
  }

  // Skips any value (object, array, string, number, literal).
  bool skip_value(int depth) {
    if (depth > kDepthMax) return false;
    const char c = peek();
    if (c == '"') {
      std::string_view ignored;
      return string(&ignored);
    }
    if (c == '{' || c == '[') {
      const char close = c == '{' ? '}' : ']';
      ++pos_;
      if (eat(close)) return true;
      do {
        if (c == '{') {
          std::string_view key;
          if (!string(&key) || !eat(':')) return false;
        }
        if (!skip_value(depth + 1)) return false;
      } while (eat(','));
      return eat(close);
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' && text_[pos_] != ' ' &&
           text_[pos_] != '\n') {
      ++pos_;
    }
    return pos_ > start;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// One element of "items": its index and status.
bool read_item(Scanner& s, Answer* answer) {
  if (!s.eat('{')) return s.skip_value(2);
  int64_t index = -1;
  fb::Status status = fb::Status::NONE;
  if (!s.eat('}')) {
    do {
      std::string_view key;
      if (!s.string(&key) || !s.eat(':')) return false;
      if (key == "index" && s.peek() != '"') {
        if (!s.integer(&index)) return false;
      } else if (key == "status" && s.peek() == '"') {
        std::string_view name;
        if (!s.string(&name)) return false;
        status = status_from_name(name);
      } else if (!s.skip_value(3)) {
        return false;
      }
    } while (s.eat(','));
    if (!s.eat('}')) return false;
  }
  if (answer->item_count < kAnswerItemsMax && index >= 0 && index < int64_t(kAnswerItemsMax)) {
    answer->item_index[answer->item_count] = int8_t(index);
    answer->item_status[answer->item_count] = status;
    ++answer->item_count;
  }
  return true;
}

bool read_items(Scanner& s, Answer* answer) {
  if (!s.eat('[')) return s.skip_value(1);
  if (s.eat(']')) return true;
  do {
    if (!read_item(s, answer)) return false;
  } while (s.eat(','));
  return s.eat(']');
}

}  // namespace

fb::Status status_from_name(std::string_view name) {
  const char* const* names = fb::EnumNamesStatus();
  for (size_t i = 0; names[i] != nullptr; ++i) {
    if (name == names[i]) return static_cast<fb::Status>(i);
  }
  return fb::Status::NONE;
}

void answer_from_result(const fb::ResultT& result, Answer* answer) {
  *answer = Answer{};
  answer->status = result.status;
  answer->transaction = result.transaction;
  answer->order = result.order;
  answer->sap = result.sap;
  for (const auto& item : result.items) {
    if (answer->item_count == kAnswerItemsMax) break;
    answer->item_index[answer->item_count] = int8_t(item->index);
    answer->item_status[answer->item_count] = item->status;
    ++answer->item_count;
  }
}

bool answer_from_json(std::string_view json, Answer* answer) {
  *answer = Answer{};
  Scanner s(json);
  if (!s.eat('{')) return false;
  if (s.eat('}')) return true;
  do {
    std::string_view key;
    if (!s.string(&key) || !s.eat(':')) return false;
    const bool wanted = key == "status" || key == "transaction" || key == "order" || key == "sap";
    if (wanted && s.peek() == '"') {
      std::string_view value;
      if (!s.string(&value)) return false;
      if (key == "status") {
        answer->status = status_from_name(value);
        if (answer->status == fb::Status::NONE) return false;
      } else {
        (key == "transaction" ? answer->transaction : key == "order" ? answer->order : answer->sap) = value;
      }
    } else if (key == "items") {
      if (!read_items(s, answer)) return false;
    } else if (!s.skip_value(1)) {
      return false;
    }
  } while (s.eat(','));
  return s.eat('}');
}

}  // namespace autoriza::bench
