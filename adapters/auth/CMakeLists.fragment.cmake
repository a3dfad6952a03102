# adapters/auth: principals, roles, API keys and rate limits (issue 6).
# Depends on the engine (reference snapshot, secrets) and OpenSSL; used by
# every adapter (json service, http, tcp) and the CLI.
file(GLOB AUTH_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cc)
add_library(autoriza_auth STATIC ${AUTH_SOURCES})
target_include_directories(autoriza_auth PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(autoriza_auth PUBLIC autoriza_engine OpenSSL::SSL OpenSSL::Crypto)
