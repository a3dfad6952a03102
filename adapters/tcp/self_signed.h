#pragma once
// A throwaway self-signed certificate (EC P-256, SHA-256, valid two days,
// subjectAltName IP:127.0.0.1 and DNS:localhost) for benchmarks and demos
// of the TLS adapter on one machine. Never for production: whoever has the
// directory has the key.
#include <filesystem>

#include "engine/core/status.h"
#include "adapters/tcp/tls.h"

namespace autoriza::tcp {

// Writes dir/cert.pem and dir/key.pem (mode 0600). *server: cert and key
// for the server; the cert doubles as the CA a client trusts.
Status write_self_signed(const std::filesystem::path& dir, TlsServerFiles* server);

}  // namespace autoriza::tcp
