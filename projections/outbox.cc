#include "projections/outbox.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "engine/core/secrets.h"
#include "engine/state_store.h"

namespace autoriza {

namespace {

using Json = nlohmann::json;

// The mail of one event, or null when the event sends none.
Json message_of(const fb::EventT& e, const KeyRing& keys) {
  const bool registration = e.type == fb::EventType::REGISTRATION_STARTED;
  const bool recovery = e.type == fb::EventType::PASSWORD_RECOVERY_STARTED;
  if ((!registration && !recovery) || !e.result || e.result->status == fb::Status::REJECTED) return nullptr;
  const std::vector<uint8_t>& sealed =
      registration ? e.command.AsRegisterCmd()->sealed_code : e.command.AsPasswordRecoverCmd()->sealed_code;
  const std::string& document = registration ? e.command.AsRegisterCmd()->document : e.command.AsPasswordRecoverCmd()->document;
  const std::string& email = registration ? e.command.AsRegisterCmd()->email : e.command.AsPasswordRecoverCmd()->email;
  std::string code;
  if (!open(keys, std::string_view(reinterpret_cast<const char*>(sealed.data()), sealed.size()), "code:" + document, &code)) {
    return nullptr;
  }
  Json m = {{"id", std::to_string(e.partition) + "-" + std::to_string(e.sequence)},
            {"time", format_instant(Millis{e.command_time_ms})},
            {"to", email},
            {"subject", registration ? "Codigo de verificacion de su credencial digital" : "Recuperacion de clave"},
            {"body", (registration ? "Su codigo de verificacion es " : "Su codigo para cambiar la clave es ") + code +
                         ". Vence en 15 minutos. Si no lo pidio, ignore este mensaje."}};
  wipe(&code);
  return m;
}

}  // namespace

OutboxProjection::OutboxProjection(const Journal& journal, std::shared_ptr<const KeyRing> keys, std::filesystem::path file)
    : journal_(journal), keys_(std::move(keys)), file_(std::move(file)) {}

Status OutboxProjection::load_checkpoint() {
  std::ifstream in(file_.string() + ".checkpoint");
  if (!in) return Status::ok();  // first run
  Json j = Json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::corruption("outbox checkpoint " + file_.string() + ".checkpoint is not JSON");
  for (auto it = j.begin(); it != j.end(); ++it) checkpoint_[PartitionId(std::stoul(it.key()))] = it.value().get<Sequence>();
  return Status::ok();
}

Status OutboxProjection::save_checkpoint() const {
  Json j = Json::object();
  for (const auto& [stream, seq] : checkpoint_) j[std::to_string(stream)] = seq;
  const std::string tmp = file_.string() + ".checkpoint.tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump();
    if (!out) return Status::io_error("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file_.string() + ".checkpoint", ec);
  return ec ? Status::io_error("cannot replace the outbox checkpoint: " + ec.message()) : Status::ok();
}

Status OutboxProjection::catch_up(size_t* appended) {
  std::lock_guard lock(mutex_);
  if (!loaded_) {
    if (Status s = load_checkpoint(); !s) return s;
    loaded_ = true;
  }
  if (!keys_ || keys_->empty()) return Status::ok();
  std::string lines;
  Status result;
  for (PartitionId stream : journal_.streams()) {
    if (stream == kReferenceStream) continue;
    Sequence& seen = checkpoint_[stream];
    Status scan = journal_.scan_events(stream, seen + 1, [&](Sequence seq, std::string_view bytes) {
      fb::EventT event;
      result = unpack_event(bytes, &event);
      if (!result) return false;
      Json m = message_of(event, *keys_);
      if (!m.is_null()) lines += m.dump() + "\n";
      seen = seq;
      return true;
    });
    if (!scan) return scan;
    if (!result) return result;
  }
  if (!lines.empty()) {
    const int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0) return Status::io_error("cannot open outbox " + file_.string());
    const bool ok = ::write(fd, lines.data(), lines.size()) == ssize_t(lines.size()) && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Status::io_error("cannot append to outbox " + file_.string());
  }
  if (appended) *appended = size_t(std::count(lines.begin(), lines.end(), '\n'));
  return save_checkpoint();
}

}  // namespace autoriza
