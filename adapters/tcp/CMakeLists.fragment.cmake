# adapters/tcp: the binary TCP adapter (issue 6): frame codec, server (plain
# or TLS), client library, and the `autoriza serve` options that start it.
# Include from adapters/CMakeLists.txt:  include(tcp/CMakeLists.fragment.cmake)
# Depends on adapters/json (Service, codec bounds), adapters/auth, engine,
# Boost.Asio, OpenSSL. Used by the CLI (serve, client, bench) and the load
# generator's TCP driver.
file(GLOB TCP_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cc)
add_library(autoriza_tcp STATIC ${TCP_SOURCES})
target_include_directories(autoriza_tcp PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(autoriza_tcp PUBLIC autoriza_json autoriza_auth Boost::headers OpenSSL::SSL OpenSSL::Crypto
  CLI11::CLI11 Threads::Threads)
