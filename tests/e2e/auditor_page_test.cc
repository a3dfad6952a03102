// End to end: the auditors' web page (/audit/) of the real `autoriza serve`,
// used in headless Chromium the way an auditor uses it.
//
//   `autoriza serve` (child process, temp store, test fixtures, port 0,
//   --allow-client-time)  <- SAPs opened over HTTP (POST /v1/authorize,
//   mode audit)
//   Chromium (child process group, fresh profile, DevTools on port 0)
//     <- Chrome DevTools Protocol over a WebSocket: open /audit/, click the
//        queue row, the per-item choices and the verdict buttons with real
//        mouse events, type into the fields with keyboard input
//   -> the outcome is read back from the API (GET /v1/transactions/{sap}),
//      not from the page.
//
// Chromium is required: when it cannot be found the tests fail and say how
// to install it (Debian: apt-get install chromium; or set AUTORIZA_CHROMIUM).
// AUTORIZA_AUDITOR_SCREENSHOT=<file.png> keeps a screenshot of the page with
// a SAP open. AUTORIZA_KEEP_CRASH_DIRS keeps the temp dirs (store, logs).
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "adapters/codec/error_codes.h"
#include "adapters/auth/key_admin.h"
#include "tests/e2e/auditor_cdp.h"
#include "tests/e2e/auditor_chromium.h"
#include "adapters/http/client.h"
#include "tests/support/crash_process.h"

namespace autoriza {
namespace {

using e2e::CdpClient;
using e2e::CdpPage;
using e2e::CdpResult;
using Json = nlohmann::json;
using namespace std::chrono_literals;

constexpr auto kServeStartTimeout = 60s;
constexpr auto kBrowserStartTimeout = 60s;
constexpr auto kStepTimeout = 15s;  // one wait of the page (a fetch, a render)
constexpr int kViewportWidthPx = 1280;
constexpr int kViewportHeightPx = 1100;
constexpr std::string_view kOpenedAt = "2026-11-10T10:03:00-03:00";

// A selector of the page (its ids and data-testid are a contract with
// adapters/auditor/web/index.html and web/app.js).
std::string queue_row(const std::string& sap) {
  return "tr[data-testid=\"queue-row\"][data-sap=\"" + sap + "\"]";
}
std::string open_button(const std::string& sap) {
  return "button[data-testid=\"open-sap\"][data-sap=\"" + sap + "\"]";
}
std::string choice(int index, const std::string& decision) {
  return "label[for=\"decision-" + std::to_string(index) + "-" + decision + "\"]";
}
// text as a JavaScript string literal.
std::string js(const std::string& text) {
  return Json(text).dump();
}

class AuditorPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::signal(SIGPIPE, SIG_IGN);  // a write to a dying child must fail, not kill the test
    chromium_binary_ = e2e::find_chromium();
    ASSERT_FALSE(chromium_binary_.empty())
        << "headless Chromium is required by the auditor page e2e test and was not found "
           "(looked at $AUTORIZA_CHROMIUM, /usr/bin/chromium, chromium-browser, google-chrome and $PATH). "
           "Install it (Debian: apt-get install -y chromium) or set AUTORIZA_CHROMIUM to the browser binary.";

    std::string error;
    const std::vector<std::string> argv = {AUTORIZA_BINARY,
                                           "serve",
                                           "--store",
                                           (tmp_.path() / "store").string(),
                                           "--http",
                                           "127.0.0.1:0",
                                           "--allow-client-time",
                                           "--data",
                                           AUTORIZA_TEST_FIXTURES};
    ASSERT_TRUE(server_.start(argv, tmp_.path() / "serve-stderr.log", kServeStartTimeout, &error)) << error;
    base_url_ = "http://127.0.0.1:" + std::to_string(server_.port());
    api_.set_timeout(kStepTimeout);
    // serve made the development keys of its empty store: the test acts as
    // admin through the API and as the auditor in the page.
    std::vector<auth::DevKey> keys;
    const Status read = auth::read_dev_keys(tmp_.path() / "store" / "dev-keys.csv", &keys);
    ASSERT_TRUE(read) << read.to_string();
    ASSERT_NE(auth::find_dev_key(keys, "admin"), nullptr);
    ASSERT_NE(auth::find_dev_key(keys, "auditor"), nullptr);
    api_.set_api_key(auth::find_dev_key(keys, "admin")->key);
    auditor_key_ = auth::find_dev_key(keys, "auditor")->key;
    // What the page needs from the server, checked first so a missing route
    // fails here, plainly, rather than as a page that never fills.
    ASSERT_EQ(http_status("/audit/"), 200) << "autoriza serve does not serve the auditors' page at GET /audit/ "
                                              "(adapters/auditor: auditor_page())";
    ASSERT_EQ(http_status("/v1/audits?status=PENDING&limit=1"), 200)
        << "autoriza serve does not answer the audit queue at GET /v1/audits";

    ASSERT_TRUE(browser_.start(chromium_binary_, tmp_.path() / "chromium-profile", tmp_.path() / "chromium.log",
                               kBrowserStartTimeout, &error))
        << error;
    CdpResult r = cdp_.connect("127.0.0.1", browser_.endpoint().port, browser_.endpoint().browser_path, kStepTimeout);
    ASSERT_TRUE(r.ok) << r.error;
    r = page_.open(kViewportWidthPx, kViewportHeightPx);
    ASSERT_TRUE(r.ok) << r.error;
  }

  void TearDown() override {
    if (HasFailure()) {
      std::cout << "[auditor] page errors:";
      for (const std::string& e : cdp_.page_errors()) std::cout << "\n  " << e;
      if (cdp_.connected()) {
        const CdpResult text = page_.evaluate("document.body ? document.body.innerText.slice(0, 4000) : ''");
        std::cout << "\n[auditor] page text:\n" << (text.ok ? text.value.dump(2) : text.error);
      }
      std::cout << "\n[auditor] serve stderr:\n"
                << crash::read_file_text(tmp_.path() / "serve-stderr.log").substr(0, 4000) << std::endl;
    }
    if (cdp_.connected()) cdp_.call("Browser.close", Json::object(), {}, 5s);
    browser_.stop(5s);
  }

  // Opens a SAP the way a laboratory's switch does (mode audit): 000016
  // needs audit, 000012 x4 exceeds its max_qty (goes to the auditor with
  // QUANTITY_EXCEEDED), 000118 is authorized at once (pre-authorized).
  std::string open_sap(const std::string& request_id) {
    const Json body = {
        {"request_id", request_id},
        {"mode", "audit"},
        {"provider", "LAB127"},
        {"credential", "110000783851"},
        {"diagnosis", "K76.0"},
        {"note", "Paciente con hepatopatía; control trimestral."},
        {"prescribed_on", "2026-10-30"},
        {"prescriber", {{"kind", "MD"}, {"license", "1234"}}},
        {"items", Json::array({{{"code", "000016"}}, {{"code", "000012"}, {"qty", 4}}, {{"code", "000118"}}})}};
    const Json answer = api("POST", "/v1/authorize", body.dump(), 200);
    EXPECT_EQ(answer.value("status", ""), "AUDIT_PENDING") << answer;
    const Json items = answer.value("items", Json::array());
    EXPECT_EQ(items.size(), 3u) << answer;
    if (items.size() == 3) {
      EXPECT_EQ(items[0].value("status", ""), "NEEDS_AUDIT") << answer;
      EXPECT_EQ(items[1].value("status", ""), "NEEDS_AUDIT") << answer;
      EXPECT_EQ(items[2].value("status", ""), "AUTHORIZED") << answer;
    }
    const std::string sap = answer.value("sap", "");
    if (!sap.empty()) wait_for_audit(sap, "PENDING");
    return sap;
  }

  // Waits until the query API (a projection that follows the event log)
  // shows sap with status, so the page finds what the test just did.
  void wait_for_audit(const std::string& sap, const std::string& status) {
    const auto deadline = std::chrono::steady_clock::now() + kStepTimeout;
    std::string last;
    for (;;) {
      int code = 0;
      Status st;
      if (!api_.connected()) st = api_.connect("127.0.0.1", server_.port());
      if (st) st = api_.request("GET", "/v1/audits/" + sap, {}, &code, &last);
      if (st && code == 200) {
        const Json detail = Json::parse(last, nullptr, false);
        if (detail.is_object() && detail.value("status", "") == status) return;
      }
      if (std::chrono::steady_clock::now() >= deadline) {
        ADD_FAILURE() << "GET /v1/audits/" << sap << " did not show status " << status << " within "
                      << kStepTimeout.count() << " s; last: " << code << " " << last << " " << st.to_string();
        return;
      }
      std::this_thread::sleep_for(50ms);
    }
  }

  // The SAP as the engine holds it (not as the page shows it).
  Json sap_state(const std::string& sap) {
    const Json sap_json = api("GET", "/v1/transactions/" + sap, {}, 200).value("sap", Json());
    return sap_json.is_object() ? sap_json : Json::object();
  }

  Json api(std::string_view method, const std::string& target, std::string_view body, int expected_status) {
    int status = 0;
    std::string text;
    Status st;
    if (!api_.connected()) st = api_.connect("127.0.0.1", server_.port());  // the server may close idle connections
    if (st) st = api_.request(method, target, body, &status, &text, kClientTimeHeader, kOpenedAt);
    EXPECT_TRUE(st) << method << " " << target << ": " << st.to_string();
    EXPECT_EQ(status, expected_status) << method << " " << target << ": " << text;
    const Json answer = Json::parse(text, nullptr, false);
    return answer.is_object() ? answer : Json::object();
  }

  int http_status(const std::string& target) {
    int status = 0;
    Status st;
    if (!api_.connected()) st = api_.connect("127.0.0.1", server_.port());
    if (st) st = api_.request("GET", target, {}, &status, nullptr);
    EXPECT_TRUE(st) << "GET " << target << ": " << st.to_string();
    return status;
  }

  // A new auditor's key, made through the admin API: verdicts given with it
  // carry name as their auditor (docs/rules.md section 9).
  std::string new_auditor_key(const std::string& name) {
    const Json made = api("POST", "/v1/admin/keys", Json{{"principal", name}, {"role", "auditor"}}.dump(), 200);
    return made.value("key", "");
  }

  // Loads the page and waits until its first queue load is done.
  void load_page(const std::string& suffix = "") {
    // The auditor's key goes where the page keeps it (this tab's
    // sessionStorage), set from a page of the same origin first.
    CdpResult r = page_.navigate(base_url_ + "/healthz");
    ASSERT_TRUE(r.ok) << r.error;
    r = page_.evaluate("sessionStorage.setItem('autoriza.audit.key', " + js(auditor_key_) + "), true");
    ASSERT_TRUE(r.ok) << r.error;
    r = page_.navigate(base_url_ + "/audit/" + suffix);
    ASSERT_TRUE(r.ok) << r.error;
    r = page_.wait_until(
        "document.readyState === 'complete' && document.documentElement.dataset.ready === 'true' && "
        "document.getElementById('queue-pane').getAttribute('aria-busy') === 'false'",
        kStepTimeout, "the page and its queue to load");
    ASSERT_TRUE(r.ok) << r.error;
  }

  void click(const std::string& selector) {
    const CdpResult r = page_.click(selector);
    ASSERT_TRUE(r.ok) << r.error;
  }

  void type(const std::string& selector, const std::string& text) {
    const CdpResult r = page_.type(selector, text);
    ASSERT_TRUE(r.ok) << r.error;
  }

  void wait_until(const std::string& expression, const std::string& what) {
    const CdpResult r = page_.wait_until(expression, kStepTimeout, what);
    ASSERT_TRUE(r.ok) << r.error;
  }

  Json eval(const std::string& expression) {
    const CdpResult r = page_.evaluate(expression);
    EXPECT_TRUE(r.ok) << r.error;
    return r.value;
  }

  std::string text_of(const std::string& id) {
    const Json v = eval("document.getElementById(" + js(id) + ").textContent.trim()");
    return v.is_string() ? v.get<std::string>() : v.dump();
  }

  // Clicks the SAP in the queue and waits for its detail.
  void open_in_page(const std::string& sap) {
    wait_until("document.querySelector(" + js(queue_row(sap)) + ") !== null", sap + " in the queue");
    click(open_button(sap));
    wait_until("document.getElementById('detail-sap').textContent === " + js(sap) +
                   " && document.getElementById('detail-pane').getAttribute('aria-busy') === 'false'" +
                   " && document.querySelectorAll('#items-body tr').length > 0",
               "the detail of " + sap);
  }

  // Captures the viewport (a PNG, checked); keeps it in
  // $AUTORIZA_AUDITOR_SCREENSHOT (+ suffix) when that is set.
  void screenshot(const std::string& suffix) {
    std::string png;
    const CdpResult shot = page_.screenshot_png(&png);
    ASSERT_TRUE(shot.ok) << shot.error;
    ASSERT_GT(png.size(), 8u);
    EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    const char* keep = std::getenv("AUTORIZA_AUDITOR_SCREENSHOT");
    if (keep == nullptr || *keep == '\0') return;
    const std::string file = keep + suffix;
    std::ofstream(file, std::ios::binary) << png;
    std::cout << "[auditor] screenshot in " << file << std::endl;
  }

  void expect_clean_console() {
    std::string all;
    for (const std::string& e : cdp_.page_errors()) all += "  " + e + "\n";
    EXPECT_TRUE(all.empty()) << "the page logged errors:\n" << all;
  }

  crash::TempDir tmp_{"auditor-page"};
  crash::ServerProcess server_;
  HttpClient api_;
  std::string auditor_key_;
  std::string base_url_;
  std::string chromium_binary_;
  e2e::ChromiumProcess browser_;
  CdpClient cdp_;
  CdpPage page_{cdp_};
};

TEST_F(AuditorPageTest, PartialVerdictGivenWithThePageButtonsReachesTheSap) {
  const std::string sap = open_sap("audit-partial");
  ASSERT_FALSE(sap.empty());
  auditor_key_ = new_auditor_key("AUD01");  // the page's verdicts carry its key's auditor
  ASSERT_FALSE(auditor_key_.empty());
  ASSERT_NO_FATAL_FAILURE(load_page());

  // The queue (filter: pending) lists it with its provider, diagnosis and the
  // count of items waiting for the auditor.
  wait_until("document.querySelector(" + js(queue_row(sap)) + ") !== null", sap + " in the queue");
  const std::string row = eval("document.querySelector(" + js(queue_row(sap)) + ").innerText").get<std::string>();
  EXPECT_NE(row.find("LAB127"), std::string::npos) << row;
  EXPECT_NE(row.find("K76.0"), std::string::npos) << row;
  EXPECT_NE(row.find("Pendiente"), std::string::npos) << row;

  ASSERT_NO_FATAL_FAILURE(open_in_page(sap));

  // Prescription, diagnosis and note; the pre-authorized item without a
  // choice, the two pending ones with Authorize/Reject.
  EXPECT_EQ(text_of("detail-diagnosis"), "K76.0");
  EXPECT_EQ(text_of("detail-prescribed-on"), "30/10/2026");
  EXPECT_NE(text_of("detail-prescriber").find("1234"), std::string::npos) << text_of("detail-prescriber");
  EXPECT_EQ(text_of("detail-note"), "Paciente con hepatopatía; control trimestral.");
  EXPECT_EQ(eval("document.querySelectorAll('#items-body tr[data-testid=\"item-row\"]').length"), 3);
  EXPECT_EQ(eval("document.querySelector('tr[data-index=\"2\"] [data-testid=\"preauthorized\"]') !== null"), true);
  EXPECT_EQ(eval("document.querySelector('tr[data-index=\"2\"] input[type=radio]') === null"), true);
  EXPECT_EQ(eval("document.querySelectorAll('tr[data-index=\"0\"] input[type=radio]').length"), 2);
  EXPECT_NE(
      eval("document.querySelector('tr[data-index=\"1\"]').innerText").get<std::string>().find("QUANTITY_EXCEEDED"),
      std::string::npos);

  ASSERT_NO_FATAL_FAILURE(click(choice(0, "authorize")));
  ASSERT_NO_FATAL_FAILURE(click(choice(1, "reject")));
  EXPECT_EQ(eval("document.getElementById('decision-0-authorize').checked && "
                 "document.getElementById('decision-1-reject').checked"),
            true);
  const std::string message = "Se autoriza la alcohol deshidrogenasa; el ácido úrico excede la cantidad.";
  ASSERT_NO_FATAL_FAILURE(type("#verdict-message", message));

  ASSERT_NO_FATAL_FAILURE(screenshot(""));

  ASSERT_NO_FATAL_FAILURE(click("#btn-partial"));
  wait_until(
      "!document.getElementById('verdict-result').hidden && "
      "document.getElementById('verdict-result').textContent.includes('Veredicto registrado') && "
      "document.getElementById('detail-status').dataset.status === 'PARTIALLY_AUTHORIZED'",
      "the page to show the PARTIAL verdict applied");

  // The engine holds the verdict: item 0 authorized, item 1 rejected, item 2
  // still pre-authorized, an order issued, the message in the history.
  const Json state = sap_state(sap);
  EXPECT_EQ(state.value("status", ""), "PARTIALLY_AUTHORIZED") << state;
  ASSERT_EQ(state.value("items", Json::array()).size(), 3u) << state;
  EXPECT_EQ(state["items"][0].value("status", ""), "AUTHORIZED") << state;
  EXPECT_EQ(state["items"][1].value("status", ""), "REJECTED") << state;
  EXPECT_EQ(state["items"][2].value("status", ""), "AUTHORIZED") << state;
  EXPECT_TRUE(state.value("order", Json()).is_string()) << state;
  ASSERT_EQ(state.value("messages", Json::array()).size(), 1u) << state;
  EXPECT_EQ(state["messages"][0].value("auditor", ""), "AUD01") << state;
  EXPECT_EQ(state["messages"][0].value("verdict", ""), "PARTIAL") << state;
  EXPECT_EQ(state["messages"][0].value("message", ""), message) << state;

  // The page follows: history, order, closed controls, and the SAP has left
  // the pending queue.
  wait_until("document.querySelectorAll('#messages li').length === 1", "the message in the history");
  EXPECT_NE(text_of("messages").find("AUD01"), std::string::npos) << text_of("messages");
  EXPECT_EQ(text_of("detail-order"), state.value("order", ""));
  EXPECT_EQ(eval("document.getElementById('btn-authorize-all').disabled"), true);
  wait_until(
      "document.getElementById('queue-pane').getAttribute('aria-busy') === 'false' && "
      "document.querySelector(" +
          js(queue_row(sap)) + ") === null",
      sap + " to leave the pending queue");
  ASSERT_NO_FATAL_FAILURE(screenshot(".after.png"));
  expect_clean_console();
}

TEST_F(AuditorPageTest, RequestDocsFromThePageKeepsTheSapOpenInTheNameOfTheKeysAuditor) {
  const std::string first = open_sap("audit-first");
  const std::string sap = open_sap("audit-docs");
  ASSERT_FALSE(sap.empty());
  ASSERT_NE(first, sap);

  auditor_key_ = new_auditor_key("AUD07");
  ASSERT_FALSE(auditor_key_.empty());
  ASSERT_NO_FATAL_FAILURE(load_page());
  // Nobody types an auditor's name: the key says who decides.
  EXPECT_EQ(eval("document.querySelector('[name=auditor]') === null"), true);
  ASSERT_NO_FATAL_FAILURE(open_in_page(sap));

  // Asking for documents says which: without a message the page refuses
  // before sending anything.
  ASSERT_NO_FATAL_FAILURE(click("#btn-request-docs"));
  wait_until("!document.getElementById('verdict-error').hidden", "the missing-message error");
  EXPECT_NE(text_of("verdict-error").find("documentación"), std::string::npos) << text_of("verdict-error");
  EXPECT_EQ(sap_state(sap).value("status", ""), "PENDING");

  const std::string message = "Adjunte la orden médica y el resultado previo.";
  ASSERT_NO_FATAL_FAILURE(type("#verdict-message", message));
  ASSERT_NO_FATAL_FAILURE(click("#btn-request-docs"));
  wait_until(
      "document.getElementById('verdict-error').hidden && "
      "document.getElementById('verdict-result').textContent.includes('Veredicto registrado') && "
      "document.getElementById('detail-status').dataset.status === 'DOCS_REQUESTED'",
      "the page to show the documents requested");

  const Json state = sap_state(sap);
  EXPECT_EQ(state.value("status", ""), "DOCS_REQUESTED") << state;
  ASSERT_EQ(state.value("messages", Json::array()).size(), 1u) << state;
  EXPECT_EQ(state["messages"][0].value("verdict", ""), "REQUEST_DOCS") << state;
  EXPECT_EQ(state["messages"][0].value("auditor", ""), "AUD07") << state;
  EXPECT_EQ(state["messages"][0].value("message", ""), message) << state;
  EXPECT_EQ(sap_state(first).value("status", ""), "PENDING");  // the other SAP is untouched

  // DOCS_REQUESTED is not decided: the auditor can still decide it.
  EXPECT_EQ(eval("document.getElementById('btn-partial').disabled"), false);
  EXPECT_EQ(eval("document.querySelectorAll('#items-body input[type=radio]').length"), 4);

  // The status filter finds it among the SAPs waiting for documents.
  EXPECT_EQ(eval("(() => { const s = document.getElementById('filter-status'); s.value = 'DOCS_REQUESTED'; "
                 "return s.value; })()"),
            "DOCS_REQUESTED");
  ASSERT_NO_FATAL_FAILURE(click("#filter-apply"));
  wait_until(
      "document.getElementById('queue-pane').getAttribute('aria-busy') === 'false' && "
      "document.querySelector(" +
          js(queue_row(sap)) +
          ") !== null && "
          "document.querySelector(" +
          js(queue_row(first)) + ") === null",
      "the DOCS_REQUESTED filter to list only " + sap);
  expect_clean_console();
}

TEST_F(AuditorPageTest, PageShowsTheRefusalWhenAnotherAuditorDecidedFirst) {
  const std::string sap = open_sap("audit-race");
  ASSERT_FALSE(sap.empty());
  ASSERT_NO_FATAL_FAILURE(load_page());
  ASSERT_NO_FATAL_FAILURE(open_in_page(sap));

  // PARTIAL needs a choice on every pending item; the page says which.
  ASSERT_NO_FATAL_FAILURE(click(choice(0, "authorize")));
  ASSERT_NO_FATAL_FAILURE(click("#btn-partial"));
  wait_until("!document.getElementById('verdict-error').hidden", "the missing-decision error");
  EXPECT_NE(text_of("verdict-error").find("#1"), std::string::npos) << text_of("verdict-error");
  EXPECT_EQ(sap_state(sap).value("status", ""), "PENDING");

  // Another auditor rejects the pending items while this page still shows
  // them (the pre-authorized item stays authorized: the SAP is partial).
  const Json other = {{"request_id", "other-auditor"},
                      {"auditor", "AUD02"},
                      {"sap", sap},
                      {"verdict", "REJECT"},
                      {"message", "No corresponde."}};
  HttpClient aud02;
  aud02.set_timeout(kStepTimeout);
  aud02.set_api_key(new_auditor_key("AUD02"));
  ASSERT_TRUE(aud02.connect("127.0.0.1", server_.port()));
  int other_status = 0;
  std::string other_answer;
  ASSERT_TRUE(aud02.request("POST", "/v1/audit_verdict", other.dump(), &other_status, &other_answer,
                            kClientTimeHeader, kOpenedAt));
  ASSERT_EQ(other_status, 200) << other_answer;
  EXPECT_EQ(Json::parse(other_answer, nullptr, false).value("status", ""), "PARTIALLY_AUTHORIZED") << other_answer;
  wait_for_audit(sap, "PARTIALLY_AUTHORIZED");

  ASSERT_NO_FATAL_FAILURE(click("#btn-authorize-all"));
  wait_until(
      "!document.getElementById('verdict-error').hidden && "
      "document.getElementById('verdict-error').textContent.includes('SAP_ALREADY_DECIDED') && "
      "document.getElementById('detail-status').dataset.status === 'PARTIALLY_AUTHORIZED'",
      "the refusal and the SAP as the other auditor left it");
  EXPECT_TRUE(text_of("verdict-result").empty()) << text_of("verdict-result");
  EXPECT_EQ(eval("document.getElementById('btn-authorize-all').disabled"), true);
  EXPECT_NE(text_of("messages").find("AUD02"), std::string::npos) << text_of("messages");
  const Json state = sap_state(sap);
  EXPECT_EQ(state.value("status", ""), "PARTIALLY_AUTHORIZED") << state;
  EXPECT_EQ(state.value("messages", Json::array()).size(), 1u) << state;  // the refused verdict left no message

  // An unknown SAP (a stale link) shows the API's 404 in the detail pane.
  ASSERT_NO_FATAL_FAILURE(load_page("#SAP-9-999999"));
  wait_until(
      "!document.getElementById('detail-error').hidden && "
      "document.getElementById('detail-error').textContent.includes('404')",
      "the NOT_FOUND of an unknown SAP");
}

TEST_F(AuditorPageTest, ServesItsAssetsWithTheirContentTypes) {
  ASSERT_NO_FATAL_FAILURE(load_page());
  EXPECT_EQ(eval("document.title"), "Auditoría — autoriza");
  expect_clean_console();  // before the deliberate 404 below, which the console reports
  const Json types = eval(R"JS(Promise.all(['/audit/', '/audit/app.js', '/audit/app.css', '/audit/no-such-file']
      .map((p) => fetch(p).then((r) => [r.status, r.headers.get('content-type') || ''])))
      .then((all) => all.map(([s, t]) => s + ' ' + t)))JS");
  ASSERT_TRUE(types.is_array() && types.size() == 4) << types;
  EXPECT_EQ(types[0].get<std::string>().rfind("200 text/html", 0), 0u) << types;
  EXPECT_EQ(types[1].get<std::string>().rfind("200 application/javascript", 0), 0u) << types;
  EXPECT_EQ(types[2].get<std::string>().rfind("200 text/css", 0), 0u) << types;
  EXPECT_EQ(types[3].get<std::string>().rfind("404", 0), 0u) << types;
}

}  // namespace
}  // namespace autoriza
