#pragma once
// What an adapter answers for each kind of Status: the error code of the
// JSON error body ("INVALID_REQUEST", "FORBIDDEN"...) and the HTTP status
// (the TCP adapter and Kafka replies carry the same code). Both are "OK"/200
// for kOk. The engine's Status names what went wrong; this is the wire's
// spelling of it, kept out of the engine.
#include "engine/core/status.h"

namespace autoriza {

const char* error_code_name(StatusKind kind);
int http_status(StatusKind kind);

}  // namespace autoriza
