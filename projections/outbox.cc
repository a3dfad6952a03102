#include "projections/outbox.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cassert>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/core/secrets.h"
#include "engine/event_bytes.h"
#include "engine/private_files.h"

namespace autoriza {

namespace {

using Json = nlohmann::json;

std::string_view as_text(const std::vector<uint8_t>& bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

Json mail(const fb::EventT& e, const std::string& to, std::string_view subject, const std::string& body) {
  return {{"id", std::to_string(e.partition) + "-" + std::to_string(e.sequence)},
          {"time", format_instant(Millis{e.command_time_ms})},
          {"to", to},
          {"subject", subject},
          {"body", body}};
}

// The mail of an affiliate's registration or password recovery, or null.
Json affiliate_message(const fb::EventT& e, const KeyRing& keys) {
  const bool registration = e.type == fb::EventType::REGISTRATION_STARTED;
  const bool recovery = e.type == fb::EventType::PASSWORD_RECOVERY_STARTED;
  if ((!registration && !recovery) || !e.result || e.result->status == fb::Status::REJECTED) return nullptr;
  const std::vector<uint8_t>& sealed =
      registration ? e.command.AsRegisterCmd()->sealed_code : e.command.AsPasswordRecoverCmd()->sealed_code;
  const std::string& document = registration ? e.command.AsRegisterCmd()->document : e.command.AsPasswordRecoverCmd()->document;
  const std::string& email = registration ? e.command.AsRegisterCmd()->email : e.command.AsPasswordRecoverCmd()->email;
  std::string code;
  if (!open(keys, as_text(sealed), "code:" + document, &code)) return nullptr;
  // The code goes to the family's titular: the mail says who registers.
  const std::string who = registration && e.result->affiliate
                              ? e.result->affiliate->name + " (credencial " + e.result->affiliate->credential + ") pidió " +
                                    "registrarse en la credencial digital de su grupo familiar. "
                              : std::string();
  std::string body = who + (registration ? "Su código de verificación es " : "Su código para cambiar la clave es ") + code +
                     ". Vence en 15 minutos. Si no lo pidió, ignore este mensaje.";
  Json m = mail(e, email, registration ? "Código de verificación de su credencial digital" : "Recuperación de clave", body);
  wipe(&code);
  wipe(&body);
  return m;
}

// The mail of a portal user's recovery code, or null: any other reference
// upsert, and every later upsert of the same user, carries no sealed code.
Json portal_message(const fb::EventT& e, const KeyRing& keys) {
  const fb::PortalUserT* u = e.type == fb::EventType::REFERENCE_UPSERTED ? e.reference.AsPortalUser() : nullptr;
  if (!u || u->recovery_sealed_code.empty() || u->email.empty()) return nullptr;
  std::string code;
  if (!open(keys, as_text(u->recovery_sealed_code), portal_code_context(u->user), &code)) return nullptr;
  const int64_t minutes = std::max<int64_t>(1, (u->recovery_expires_ms - e.command_time_ms) / 60'000);
  std::string body = "Hola, " + u->name + ":\n\n" + "Se pidió un código para cambiar la contraseña de su usuario «" +
                     u->user + "» del Portal de prestadores de autoriza.\n\n" + "Su código es: " + code + "\n\n" +
                     "Vence en " + std::to_string(minutes) +
                     " minutos y sirve una sola vez. Escríbalo en la pantalla «Recuperar la contraseña» del portal, "
                     "junto con la contraseña nueva.\n\n" +
                     "Si no lo pidió, ignore este mensaje: su contraseña no cambia.\n";
  Json m = mail(e, u->email, "Código para cambiar su contraseña del Portal de prestadores", body);
  wipe(&code);
  wipe(&body);
  return m;
}

// Whether an event may send a mail: only those are unpacked (a padron's
// reference stream and the partitions' commands are mostly other events).
bool may_mail(const fb::Event& e) {
  switch (e.type()) {
    case fb::EventType::REGISTRATION_STARTED:
    case fb::EventType::PASSWORD_RECOVERY_STARTED: return true;
    case fb::EventType::REFERENCE_UPSERTED: return e.reference_type() == fb::ReferenceRecord::PortalUser;
    default: return false;
  }
}

Json message_of(const fb::EventT& e, const KeyRing& keys) {
  return e.partition == kReferenceStream ? portal_message(e, keys) : affiliate_message(e, keys);
}

// "12-345" -> stream 12, sequence 345.
bool parse_id(std::string_view id, PartitionId* stream, Sequence* sequence) {
  const size_t dash = id.find('-');
  if (dash == std::string_view::npos) return false;
  const auto [end1, err1] = std::from_chars(id.data(), id.data() + dash, *stream);
  const auto [end2, err2] = std::from_chars(id.data() + dash + 1, id.data() + id.size(), *sequence);
  return err1 == std::errc() && err2 == std::errc() && end1 == id.data() + dash && end2 == id.data() + id.size();
}

}  // namespace

OutboxProjection::OutboxProjection(const Journal& journal, std::shared_ptr<const KeyRing> keys, std::filesystem::path file)
    : journal_(journal), keys_(std::move(keys)), file_(std::move(file)) {}

Status OutboxProjection::load_checkpoint() {
  std::ifstream in(file_.string() + ".checkpoint");
  if (in) {
    Json j = Json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return Status::corruption("outbox checkpoint " + file_.string() + ".checkpoint is not JSON");
    for (auto it = j.begin(); it != j.end(); ++it) checkpoint_[PartitionId(std::stoul(it.key()))] = it.value().get<Sequence>();
  }
  return advance_over_file();
}

Status OutboxProjection::advance_over_file() {
  std::ifstream in(file_, std::ios::binary | std::ios::ate);
  if (!in) return Status::ok();  // nothing sent yet
  const std::streamoff size = in.tellg();
  const std::streamoff from = std::max<std::streamoff>(0, size - std::streamoff(kTailBytesMax));
  std::string tail(size_t(size - from), '\0');
  assert(tail.size() <= kTailBytesMax);
  in.seekg(from);
  if (!in.read(tail.data(), std::streamsize(tail.size()))) return Status::io_error("cannot read outbox " + file_.string());
  torn_ = !tail.empty() && tail.back() != '\n';
  size_t at = 0;
  if (from > 0) at = std::min(tail.size(), tail.find('\n') + 1);  // the line the window cuts is skipped
  while (at < tail.size()) {
    const size_t end = tail.find('\n', at);
    if (end == std::string::npos) break;  // a line cut short by a crash: never a whole message
    const Json m = Json::parse(std::string_view(tail).substr(at, end - at), nullptr, false);
    at = end + 1;
    PartitionId stream = 0;
    Sequence sequence = 0;
    if (m.is_object() && m.contains("id") && m["id"].is_string() && parse_id(m["id"].get<std::string>(), &stream, &sequence)) {
      checkpoint_[stream] = std::max(checkpoint_[stream], sequence);
    }
  }
  wipe(&tail);
  return Status::ok();
}

Status OutboxProjection::save_checkpoint() const {
  Json j = Json::object();
  for (const auto& [stream, seq] : checkpoint_) j[std::to_string(stream)] = seq;
  const std::string tmp = file_.string() + ".checkpoint.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (Status s = make_private_file(tmp); !s) return s;  // 0600 like the spool, before a byte is written
    out << j.dump();
    if (!out) return Status::io_error("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file_.string() + ".checkpoint", ec);
  return ec ? Status::io_error("cannot replace the outbox checkpoint: " + ec.message()) : Status::ok();
}

Status OutboxProjection::flush(std::string* lines) {
  if (!lines->empty()) {
    if (torn_) lines->insert(0, "\n");
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, kPrivateFileMode);
    if (fd < 0) return wipe(lines), Status::io_error("cannot open outbox " + file_.string());
    const bool ok = ::write(fd, lines->data(), lines->size()) == ssize_t(lines->size()) && ::fsync(fd) == 0;
    ::close(fd);
    wipe(lines);
    if (!ok) return Status::io_error("cannot append to outbox " + file_.string());
    torn_ = false;
  }
  return save_checkpoint();
}

Status OutboxProjection::catch_up(size_t* appended) {
  std::lock_guard lock(mutex_);
  if (appended) *appended = 0;
  if (!loaded_) {
    if (Status s = load_checkpoint(); !s) return s;
    loaded_ = true;
  }
  if (!keys_ || keys_->empty()) return Status::ok();
  std::string lines;
  size_t pending = 0, total = 0;
  Status result;
  for (PartitionId stream : journal_.streams()) {
    Sequence& seen = checkpoint_[stream];
    std::vector<uint64_t> storage;
    Status scan = journal_.scan_events(stream, seen + 1, [&](Sequence seq, std::string_view bytes) {
      const fb::Event* root = nullptr;
      if (result = open_event(bytes, stream, seq, &storage, &root); !result) return false;
      Json m;
      if (may_mail(*root)) {
        fb::EventT event;
        root->UnPackTo(&event);
        m = message_of(event, *keys_);
      }
      seen = seq;
      if (m.is_null()) return true;
      lines += m.dump() + "\n";
      ++total;
      assert(pending < kMessagesPerAppendMax);  // flushed on reaching it
      if (++pending < kMessagesPerAppendMax) return true;
      pending = 0;
      result = flush(&lines);  // the run and the checkpoint that covers it
      return result.is_ok();
    });
    if (!scan || !result) {
      // What was read before the failure is still sent, and checkpointed
      // (a failed append wiped its lines: nothing is saved after it).
      const Status s = lines.empty() ? Status::ok() : flush(&lines);
      return failed(!scan ? scan : !result ? result : s);
    }
  }
  if (appended) *appended = total;
  if (Status s = flush(&lines); !s) return failed(s);
  return Status::ok();
}

Status OutboxProjection::failed(Status s) {
  // The checkpoint in memory may be ahead of what reached the file: the next
  // call starts again from the saved one (and the file's tail).
  loaded_ = false;
  checkpoint_.clear();
  return s;
}

}  // namespace autoriza
