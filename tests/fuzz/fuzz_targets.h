#pragma once
// Entry points of the fuzz targets (see README.md). Each is a plain function
// over bytes, defined in <name>_fuzz.cc: libFuzzer calls it through a
// generated LLVMFuzzerTestOneInput (AUTORIZA_FUZZ=ON, clang), and
// corpus_test.cc replays every file of corpus/<name>/ and regressions/<name>/
// through it in the ordinary g++ build. Contract of every entry: returns 0,
// never throws, and aborts (AUTORIZA_CHECK) when an oracle it checks fails.
#include <cstddef>
#include <cstdint>

namespace autoriza::fuzz {

// First byte picks the command (byte % 6, order of kCommandNames in the
// file); the rest is the body of POST /v1/<command>.
int fuzz_json_command(const uint8_t* data, size_t size);

// First byte picks the reference file (byte % 5, order of
// reference_file_names()); the rest is its text.
int fuzz_csv_reference(const uint8_t* data, size_t size);

// The input is a scenario file (JSON Lines); steps are parsed, substituted
// and matched against the earlier steps' bodies, without an engine.
int fuzz_scenario(const uint8_t* data, size_t size);

// The input is a byte stream from a TCP client: frames are decoded one
// after another as the server does (adapters/tcp/frame.h) and their
// payloads read.
int fuzz_tcp_frame(const uint8_t* data, size_t size);

}  // namespace autoriza::fuzz
