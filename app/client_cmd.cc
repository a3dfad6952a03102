// autoriza client: sends one command over the binary TCP adapter and prints
// the answer as the HTTP API would (JSON). The body is the JSON body of
// POST /v1/<command>, given inline, as @FILE, or - for stdin. A starting
// point for switch vendors: see adapters/tcp/tcp_client.h.
//
//   AUTORIZA_API_KEY=... autoriza client --port 7000 eligibility
//     '{"request_id":"e1","provider":"LAB127","credential":"110000783851"}'
//
// Exit status: 0 answer printed (business refusals included), 1 error
// answer or transport failure, 2 bad arguments or body.
//
// A failed connection attempt (refused, TLS handshake or certificate not
// accepted, too many failures from this address) is said on stderr, in
// Spanish, with when the next one comes: after 0.2 s, doubling up to 30 s,
// --retries times; then it gives up (exit 1). A key the server rejects is
// not retried: it will not become valid by insisting (docs/cli.md).
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "app/cli_common.h"
#include "adapters/tcp/tcp_client.h"
#include "adapters/codec/codec.h"
#include "app/commands.h"

namespace autoriza::cli {
namespace {

struct ClientCliOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 7000;
  std::string api_key;
  bool tls = false;
  std::string ca, cert, key;
  std::string time;  // ISO-8601 with offset; honoured by servers allowing client time
  int timeout_ms = 30'000;
  int retries = 5;  // failed connection attempts retried before giving up
  std::string command;
  std::string body;
};

bool read_body(const std::string& arg, std::string* out) {
  if (arg == "-") {
    std::stringstream s;
    s << std::cin.rdbuf();
    *out = s.str();
    return true;
  }
  if (!arg.empty() && arg[0] == '@') {
    std::ifstream in(arg.substr(1), std::ios::binary);
    if (!in) return false;
    std::stringstream s;
    s << in.rdbuf();
    *out = s.str();
    return true;
  }
  *out = arg;
  return true;
}

// Why an attempt failed, for a person.
std::string failure_text(tcp::FailureKind kind) {
  switch (kind) {
    case tcp::FailureKind::kUnreachable: return "no se pudo conectar con el servidor";
    case tcp::FailureKind::kHandshake: return "falló el handshake TLS (un certificado no fue aceptado)";
    case tcp::FailureKind::kCertificateRejected:
      return "el servidor rechazó el handshake TLS: no aceptó el certificado del cliente";
    case tcp::FailureKind::kKeyRejected: return "el servidor rechazó la clave (API key)";
    case tcp::FailureKind::kLimited: return "demasiados intentos fallidos desde esta dirección";
    case tcp::FailureKind::kLost: return "se cortó la conexión";
  }
  return "falló la conexión";
}

// "0,2 s", "30 s": es-AR decimals.
std::string seconds_text(std::chrono::milliseconds ms) {
  std::string text = std::to_string(ms.count() / 1000);
  if (ms.count() < 10'000 && ms.count() % 1000 >= 100) text += "," + std::to_string(ms.count() % 1000 / 100);
  return text + " s";
}

void say_failure(const tcp::ConnectFailure& f) {
  std::cerr << "autoriza client: " << failure_text(f.kind) << " (intento " << f.attempt << "; " << f.detail << ")";
  if (f.retry_in.count() > 0) {
    std::cerr << "; reintento en " << seconds_text(f.retry_in) << "\n";
  } else if (f.kind == tcp::FailureKind::kKeyRejected) {
    std::cerr << "; no se reintenta: revisá la clave\n";
  } else {
    std::cerr << "; no se reintenta más\n";
  }
}

int run_client(ClientCliOptions o) {
  if (o.api_key.empty()) {
    if (const char* env = std::getenv("AUTORIZA_API_KEY")) o.api_key = env;
  }
  if (o.api_key.empty() && o.cert.empty()) {
    std::cerr << "autoriza client: give --api-key (or AUTORIZA_API_KEY) or a client certificate (--tls --cert --key)\n";
    return 2;
  }
  std::string text;
  if (!read_body(o.body, &text)) {
    std::cerr << "autoriza client: cannot read body file " << o.body.substr(1) << "\n";
    return 2;
  }
  if (!is_command_name(o.command)) {
    std::cerr << "autoriza client: unknown command '" << o.command << "'\n";
    return 2;
  }
  Json json;
  fb::CommandUnion command;
  Status s = parse_json(text, &json);
  if (s) s = decode_command(o.command, json, &command);
  if (!s) {
    std::cerr << "autoriza client: bad body: " << s.to_string() << "\n";
    return 2;
  }
  std::optional<Millis> now;
  if (!o.time.empty()) {
    now = parse_instant(o.time);
    if (!now) {
      std::cerr << "autoriza client: --time must be ISO-8601 with offset, got '" << o.time << "'\n";
      return 2;
    }
  }
  tcp::ClientOptions co;
  co.host = o.host;
  co.port = o.port;
  co.api_key = o.api_key;
  co.tls = o.tls;
  co.tls_files = tcp::TlsClientFiles{o.ca, o.cert, o.key};
  co.request_timeout = std::chrono::milliseconds(o.timeout_ms);
  co.connect_attempts = 1 + o.retries;
  co.reconnect_attempts = o.retries;
  co.on_failure = say_failure;
  tcp::TcpClient client(co);
  if (Status c = client.connect(); !c) {
    std::cerr << "autoriza client: me rindo: no hay conexión con " << o.host << ":" << o.port << " (" << c.to_string()
              << ")\n";
    return 1;
  }
  const tcp::Answer answer = client.execute(command, now);
  if (!answer.ok()) {
    Json error = {{"code", answer.error.code}, {"message", answer.error.message}};
    if (!answer.error.field.empty()) error["field"] = answer.error.field;
    if (answer.error.status) error["status"] = answer.error.status;
    if (answer.error.retry_after_s) error["retry_after_s"] = answer.error.retry_after_s;
    std::cout << Json{{"error", error}}.dump(2) << "\n";
    return 1;
  }
  std::cout << encode_result(command.type, *answer.result).dump(2) << "\n";
  return 0;
}

}  // namespace

Run add_client(CLI::App& app) {
  auto o = std::make_shared<ClientCliOptions>();
  app.add_option("--host", o->host, "Server host")->capture_default_str();
  app.add_option("--port", o->port, "Server TCP port")->capture_default_str();
  app.add_option("--api-key", o->api_key, "API key (default: $AUTORIZA_API_KEY; never logged)");
  app.add_flag("--tls", o->tls, "Speak TLS (1.2+); the server certificate is verified");
  app.add_option("--ca", o->ca, "PEM CA of the server certificate (default: the system's)")->check(CLI::ExistingFile);
  app.add_option("--cert", o->cert, "PEM client certificate (TLS)")->check(CLI::ExistingFile);
  app.add_option("--key", o->key, "PEM key of --cert")->check(CLI::ExistingFile);
  app.add_option("--time", o->time, "Command time, ISO-8601 with offset (servers allowing client time only)");
  app.add_option("--timeout-ms", o->timeout_ms, "Give up after this long")->capture_default_str();
  app.add_option("--retries", o->retries,
                 "Failed connection attempts retried (after 0.2 s, doubling up to 30 s) before giving up")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app.add_option("command", o->command, "eligibility | authorize | consume | annul | audit_verdict | token_issue")
      ->required();
  app.add_option("body", o->body, "JSON body as for POST /v1/<command>; @FILE or - for stdin")->required();
  return [o] { return run_client(*o); };
}

}  // namespace autoriza::cli
