// parse_json: strict JSON text -> one value, with the limits of the API.
// nlohmann's parser does the syntax (and refuses ill-formed UTF-8 inside
// strings, numbers that overflow a double, NaN and Infinity, which are not
// JSON); a SAX filter in front of its DOM builder adds what it lets through:
//  - nesting deeper than kJsonDepthMax containers;
//  - a key twice in one object (nlohmann would keep the last one silently,
//    so two readers of the same body could disagree on what it says);
//  - bytes that are not UTF-8 anywhere in the text (outside strings too).
// Errors name where: a JSON path as the field, the byte offset for syntax.
#include <array>
#include <set>
#include <vector>

#include "adapters/codec/codec.h"
#include "engine/core/csv.h"

namespace autoriza {

namespace {

// Keys and snippets of input quoted in messages: at most this many bytes,
// cut at a code point boundary so the message stays valid UTF-8.
constexpr size_t kQuotedBytesMax = 64;

std::string shortened(std::string_view text) {
  if (text.size() <= kQuotedBytesMax) return std::string(text);
  size_t end = kQuotedBytesMax;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;  // not mid-sequence
  return std::string(text.substr(0, end)) + "...";
}

// Parser messages may quote the bytes read last; keep printable ASCII only.
std::string ascii_only(std::string_view text) {
  std::string out;
  for (char c : text) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  return out;
}

// One open container of the filter. Frames are reused (depth_ counts the
// open ones), so their strings keep their capacity from object to object.
struct Frame {
  bool object = false;
  size_t count = 0;               // values started in this container
  std::string key;                // last key read (objects)
  std::vector<std::string> keys;  // keys seen, while few (linear search)
  std::set<std::string> many;     // keys seen, once there are more than kKeysLinearMax
};

// Objects with up to this many keys are checked for repeats by a linear scan.
constexpr size_t kKeysLinearMax = 16;

class LimitedSax {
 public:
  using Dom = nlohmann::detail::json_sax_dom_parser<Json>;
  explicit LimitedSax(Json* out) : dom_(*out, /*allow_exceptions=*/false) {}

  const Status& error() const { return error_; }

  bool null() { return value() && dom_.null(); }
  bool boolean(bool v) { return value() && dom_.boolean(v); }
  bool number_integer(Json::number_integer_t v) { return value() && dom_.number_integer(v); }
  bool number_unsigned(Json::number_unsigned_t v) { return value() && dom_.number_unsigned(v); }
  bool number_float(Json::number_float_t v, const Json::string_t& s) { return value() && dom_.number_float(v, s); }
  bool string(Json::string_t& v) { return value() && dom_.string(v); }
  bool binary(Json::binary_t& v) { return value() && dom_.binary(v); }

  bool start_object(std::size_t n) { return open(true) && dom_.start_object(n); }
  bool start_array(std::size_t n) { return open(false) && dom_.start_array(n); }
  bool end_object() { return close() && dom_.end_object(); }
  bool end_array() { return close() && dom_.end_array(); }

  bool key(Json::string_t& k) {
    Frame& f = frames_[depth_ - 1];
    f.key = k;
    if (!remember(f, k)) return fail("key '" + shortened(k) + "' appears twice in one object", path());
    return dom_.key(k);
  }

  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
    // "[json.exception.parse_error.101] parse error at line 1, column 2: why"
    // or "[json.exception.out_of_range.406] number overflow parsing '1e400'".
    std::string why = ex.what();
    if (const size_t bracket = why.find("] "); bracket != std::string::npos) why = why.substr(bracket + 2);
    if (const size_t colon = why.find(": "); why.rfind("parse error", 0) == 0 && colon != std::string::npos) {
      why = why.substr(colon + 2);
    }
    if (why.find("UTF-8") != std::string::npos) {
      return fail("body is not valid UTF-8 (near byte " + std::to_string(position) + ")", path());
    }
    return fail("body is not valid JSON at byte " + std::to_string(position) + ": " + ascii_only(shortened(why)), "");
  }

 private:
  // Whether k is new in f (and remembers it).
  static bool remember(Frame& f, const std::string& k) {
    if (f.many.empty()) {
      for (const std::string& seen : f.keys) {
        if (seen == k) return false;
      }
      if (f.keys.size() < kKeysLinearMax) {
        f.keys.push_back(k);
        return true;
      }
      f.many.insert(f.keys.begin(), f.keys.end());
    }
    return f.many.insert(k).second;
  }

  // JSON path of the value being read ("items[0].qty"); built only for errors.
  std::string path() const {
    std::string out;
    for (size_t i = 0; i < depth_; ++i) {
      const Frame& f = frames_[i];
      if (f.object) {
        out += (out.empty() ? "" : ".") + shortened(f.key);
      } else {
        out += "[" + std::to_string(f.count == 0 ? 0 : f.count - 1) + "]";
      }
    }
    return out;
  }

  // A scalar or a container starts inside the innermost container.
  bool value() {
    if (depth_ > 0) ++frames_[depth_ - 1].count;
    return true;
  }

  bool open(bool object) {
    value();
    if (depth_ >= frames_.size()) {
      return fail("body nests deeper than " + std::to_string(kJsonDepthMax) + " levels", path());
    }
    Frame& f = frames_[depth_++];
    f.object = object;
    f.count = 0;
    f.key.clear();
    f.keys.clear();
    f.many.clear();
    return true;
  }

  bool close() {
    AUTORIZA_CHECK(depth_ > 0);  // the parser matches brackets before calling
    --depth_;
    return true;
  }

  bool fail(std::string message, std::string field) {
    if (error_) error_ = Status::invalid(std::move(message), std::move(field));
    return false;
  }

  Dom dom_;
  std::array<Frame, size_t(kJsonDepthMax)> frames_;
  size_t depth_ = 0;
  Status error_;
};

}  // namespace

Status parse_json(std::string_view text, Json* out) {
  AUTORIZA_CHECK(out != nullptr);
  *out = Json();
  size_t bad = 0;
  if (!is_valid_utf8(text, &bad)) {
    return Status::invalid("body is not valid UTF-8 (byte " + std::to_string(bad) + ")", "");
  }
  LimitedSax sax(out);
  const bool ok = Json::sax_parse(text.begin(), text.end(), &sax, Json::input_format_t::json, /*strict=*/true);
  if (!ok || !sax.error()) {
    *out = Json();
    if (!sax.error()) return sax.error();
    return Status::invalid("body is not valid JSON", "");
  }
  return Status::ok();
}

}  // namespace autoriza
