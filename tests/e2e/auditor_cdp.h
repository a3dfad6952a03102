#pragma once
// E2E support for the auditors' page: a Chrome DevTools Protocol client.
//
// Wire format: one WebSocket (Boost.Beast, text frames) to the browser
// endpoint; each frame one JSON object. Commands are
//   {"id": N, "method": "Domain.method", "params": {...}, "sessionId": S}
// answered by {"id": N, "result": {...}} or {"id": N, "error": {"message"}};
// anything without an "id" is an event. The page is driven through a flat
// session (Target.attachToTarget with flatten), so one socket carries both
// the browser's and the page's traffic.
//
// CdpPage adds what a test does with a page: navigate, evaluate, wait for a
// condition, click an element with real mouse events at its centre (after
// checking that the element is what a user would hit there), type text as
// keyboard input, capture a screenshot. It collects the page's uncaught
// exceptions and console errors, so a test can insist on a clean console.
//
// Every call is bounded: an operation that does not finish in time closes
// the socket, and the client answers errors from then on.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace autoriza::e2e {

using Json = nlohmann::json;
using std::chrono::milliseconds;

struct CdpResult {
  bool ok = false;
  Json value;         // the command's result (CdpPage: the evaluated value)
  std::string error;  // why not ok
};

inline CdpResult cdp_fail(std::string error) {
  return CdpResult{false, nullptr, std::move(error)};
}
inline CdpResult cdp_ok(Json value) {
  return CdpResult{true, std::move(value), {}};
}

class CdpClient {
 public:
  static constexpr size_t kMessageMaxBytes = 64u << 20;  // a full-page PNG in base64 fits
  static constexpr size_t kPageErrorsMax = 100;

  CdpClient() = default;
  CdpClient(const CdpClient&) = delete;
  CdpClient& operator=(const CdpClient&) = delete;

  CdpResult connect(const std::string& host, uint16_t port, const std::string& path, milliseconds timeout) {
    namespace net = boost::asio;
    boost::system::error_code ec;
    const net::ip::address address = net::ip::make_address(host, ec);
    if (ec) return cdp_fail("bad DevTools host " + host);
    const net::ip::tcp::endpoint endpoint(address, port);
    ws_.read_message_max(kMessageMaxBytes);
    if (!run([&](auto handler) { boost::beast::get_lowest_layer(ws_).async_connect(endpoint, handler); }, timeout,
             &ec)) {
      return cdp_fail("connecting to DevTools timed out");
    }
    if (ec) return cdp_fail("connecting to DevTools: " + ec.message());
    const std::string host_header = host + ":" + std::to_string(port);
    if (!run([&](auto handler) { ws_.async_handshake(host_header, path, handler); }, timeout, &ec)) {
      return cdp_fail("the DevTools WebSocket handshake timed out");
    }
    if (ec) return cdp_fail("DevTools WebSocket handshake: " + ec.message());
    connected_ = true;
    return cdp_ok(nullptr);
  }

  // Sends one command (to the page when session is not empty) and waits for
  // its answer; events read meanwhile are noted (see page_errors()).
  CdpResult call(const std::string& method, const Json& params, const std::string& session, milliseconds timeout) {
    if (!connected_) return cdp_fail(method + ": not connected to DevTools");
    const int64_t id = next_id_++;
    Json message = {{"id", id}, {"method", method}, {"params", params}};
    if (!session.empty()) message["sessionId"] = session;
    const std::string text = message.dump();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    boost::system::error_code ec;
    ws_.text(true);
    if (!run([&](auto handler) { ws_.async_write(boost::asio::buffer(text), handler); }, remaining(deadline), &ec) ||
        ec) {
      return broken(method + ": sending failed" + (ec ? ": " + ec.message() : " (timed out)"));
    }
    for (;;) {
      boost::beast::flat_buffer buffer;
      if (!run([&](auto handler) { ws_.async_read(buffer, handler); }, remaining(deadline), &ec)) {
        return broken(method + ": no answer within " + std::to_string(timeout.count()) + " ms");
      }
      if (ec) return broken(method + ": reading failed: " + ec.message());
      Json answer = Json::parse(boost::beast::buffers_to_string(buffer.data()), nullptr, false);
      if (answer.is_discarded() || !answer.is_object()) continue;
      if (!answer.contains("id")) {
        note_event(answer);
        continue;
      }
      if (answer["id"] != id) continue;  // a late answer to a call that timed out: cannot happen, see broken()
      if (answer.contains("error")) return cdp_fail(method + ": " + answer["error"].dump());
      return cdp_ok(answer.value("result", Json::object()));
    }
  }

  // Uncaught exceptions, console.error() calls and error log entries (failed
  // loads) seen so far, as one line each (at most kPageErrorsMax).
  const std::vector<std::string>& page_errors() const { return page_errors_; }

  bool connected() const { return connected_; }

 private:
  static milliseconds remaining(std::chrono::steady_clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - std::chrono::steady_clock::now());
    return left.count() > 0 ? left : milliseconds(0);
  }

  // Starts one asynchronous operation and runs the I/O context until it
  // completes or timeout passes. On timeout the socket is closed (which ends
  // the operation) and false is returned.
  template <class Start>
  bool run(Start start, milliseconds timeout, boost::system::error_code* ec) {
    bool done = false;
    start([&done, ec](boost::system::error_code e, auto&&...) {
      *ec = e;
      done = true;
    });
    io_.restart();
    io_.run_for(timeout);
    if (done) return true;
    boost::system::error_code ignored;
    boost::beast::get_lowest_layer(ws_).socket().close(ignored);
    io_.restart();
    io_.run_for(std::chrono::seconds(2));  // lets the cancelled handler run
    return false;
  }

  CdpResult broken(std::string error) {
    connected_ = false;
    boost::system::error_code ignored;
    boost::beast::get_lowest_layer(ws_).socket().close(ignored);
    return cdp_fail(std::move(error));
  }

  void note_event(const Json& event) {
    if (page_errors_.size() >= kPageErrorsMax) return;
    const std::string method = event.value("method", "");
    const Json params = event.value("params", Json::object());
    if (method == "Runtime.exceptionThrown") {
      const Json details = params.value("exceptionDetails", Json::object());
      std::string text = details.value("text", "exception");
      if (details.contains("exception")) text += ": " + details["exception"].value("description", "");
      page_errors_.push_back("uncaught " + text);
    } else if (method == "Runtime.consoleAPICalled" && params.value("type", "") == "error") {
      page_errors_.push_back("console.error " + params.value("args", Json::array()).dump());
    } else if (method == "Log.entryAdded") {
      const Json entry = params.value("entry", Json::object());
      if (entry.value("level", "") == "error") {
        page_errors_.push_back("log " + entry.value("text", "") + " " + entry.value("url", ""));
      }
    }
  }

  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_{io_};
  bool connected_ = false;
  int64_t next_id_ = 1;
  std::vector<std::string> page_errors_;
};

// One browser tab, attached through a flat session.
class CdpPage {
 public:
  static constexpr milliseconds kCallTimeout{15'000};

  explicit CdpPage(CdpClient& client) : client_(client) {}

  // Opens a new tab and enables what the helpers below rely on.
  CdpResult open(int width_px, int height_px) {
    CdpResult r = client_.call("Target.createTarget", {{"url", "about:blank"}}, {}, kCallTimeout);
    if (!r.ok) return r;
    const std::string target = r.value.value("targetId", "");
    r = client_.call("Target.attachToTarget", {{"targetId", target}, {"flatten", true}}, {}, kCallTimeout);
    if (!r.ok) return r;
    session_ = r.value.value("sessionId", "");
    if (session_.empty()) return cdp_fail("Target.attachToTarget answered no sessionId");
    for (const char* method : {"Page.enable", "Runtime.enable", "Log.enable"}) {
      r = call(method, Json::object());
      if (!r.ok) return r;
    }
    return call("Emulation.setDeviceMetricsOverride",
                {{"width", width_px}, {"height", height_px}, {"deviceScaleFactor", 1}, {"mobile", false}});
  }

  CdpResult call(const std::string& method, const Json& params) {
    return client_.call(method, params, session_, kCallTimeout);
  }

  // Starts loading url; wait_until() tells when the page is ready.
  CdpResult navigate(const std::string& url) {
    CdpResult r = call("Page.navigate", {{"url", url}});
    if (r.ok && r.value.contains("errorText")) return cdp_fail("navigating to " + url + ": " + r.value.dump());
    return r;
  }

  // The value of a JavaScript expression (promises awaited), or its exception.
  CdpResult evaluate(const std::string& expression) {
    CdpResult r =
        call("Runtime.evaluate", {{"expression", expression}, {"returnByValue", true}, {"awaitPromise", true}});
    if (!r.ok) return r;
    if (r.value.contains("exceptionDetails")) {
      const Json& d = r.value["exceptionDetails"];
      std::string text = d.value("text", "exception");
      if (d.contains("exception")) text += ": " + d["exception"].value("description", "");
      return cdp_fail("evaluating `" + expression.substr(0, 200) + "`: " + text);
    }
    return cdp_ok(r.value.value("result", Json::object()).value("value", Json()));
  }

  // Polls a boolean expression until it is true or timeout passes. The
  // error names what was awaited and the expression's last value.
  CdpResult wait_until(const std::string& expression, milliseconds timeout, const std::string& what) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    CdpResult last;
    for (;;) {
      last = evaluate("Boolean(" + expression + ")");
      if (last.ok && last.value == true) return cdp_ok(true);
      if (!last.ok && !client_.connected()) return last;
      if (std::chrono::steady_clock::now() >= deadline) {
        return cdp_fail("waited " + std::to_string(timeout.count()) + " ms for " + what + " (" + expression +
                        "); last: " + (last.ok ? last.value.dump() : last.error));
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
  }

  // A left click with the mouse at the centre of the element selector names:
  // it is scrolled into view, must be visible and enabled, and must be what
  // the page has at that point (not covered by something else).
  CdpResult click(const std::string& selector) {
    const std::string probe = R"JS((() => {
      const el = document.querySelector()JS" +
                              Json(selector).dump() + R"JS();
      if (!el) return {error: 'no element matches'};
      el.scrollIntoView({block: 'center', inline: 'nearest'});
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) return {error: 'the element is not visible'};
      if (el.disabled) return {error: 'the element is disabled'};
      const x = box.left + box.width / 2, y = box.top + box.height / 2;
      const hit = document.elementFromPoint(x, y);
      if (!hit || !(hit === el || el.contains(hit))) {
        return {error: 'the element is covered by ' + (hit ? hit.outerHTML.slice(0, 120) : 'nothing')};
      }
      return {x, y};
    })())JS";
    CdpResult r = evaluate(probe);
    if (!r.ok) return r;
    if (!r.value.is_object() || r.value.contains("error")) {
      return cdp_fail("cannot click " + selector + ": " + r.value.value("error", r.value.dump()));
    }
    const double x = r.value["x"].get<double>(), y = r.value["y"].get<double>();
    for (const char* type : {"mouseMoved", "mousePressed", "mouseReleased"}) {
      Json params = {{"type", type}, {"x", x}, {"y", y}, {"button", "left"}, {"clickCount", 1}};
      if (std::string(type) == "mouseMoved") params = {{"type", type}, {"x", x}, {"y", y}};
      r = call("Input.dispatchMouseEvent", params);
      if (!r.ok) return r;
    }
    return cdp_ok(true);
  }

  // Clicks a text field, selects what it holds and types text over it.
  CdpResult type(const std::string& selector, const std::string& text) {
    CdpResult r = click(selector);
    if (!r.ok) return r;
    r = evaluate("(() => { const el = document.querySelector(" + Json(selector).dump() +
                 "); el.select(); return document.activeElement === el; })()");
    if (!r.ok) return r;
    if (r.value != true) return cdp_fail(selector + " did not take the focus when clicked");
    return call("Input.insertText", {{"text", text}});
  }

  // The PNG bytes of the viewport.
  CdpResult screenshot_png(std::string* png) {
    CdpResult r = call("Page.captureScreenshot", {{"format", "png"}});
    if (!r.ok) return r;
    if (!base64_decode(r.value.value("data", ""), png)) return cdp_fail("the screenshot is not base64");
    return cdp_ok(true);
  }

 private:
  static bool base64_decode(const std::string& in, std::string* out) {
    out->clear();
    out->reserve(in.size() / 4 * 3);
    uint32_t bits = 0;
    int count = 0;
    static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (const char c : in) {
      if (c == '=') break;
      const size_t v = kAlphabet.find(c);
      if (v == std::string_view::npos) return false;
      bits = (bits << 6) | uint32_t(v);
      count += 6;
      if (count >= 8) {
        count -= 8;
        out->push_back(char((bits >> count) & 0xFF));
      }
    }
    return !out->empty();
  }

  CdpClient& client_;
  std::string session_;
};

}  // namespace autoriza::e2e
