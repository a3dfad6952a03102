# autoriza_auditor: the auditors' web page (/audit/), static assets compiled
# in. Pure; depends on autoriza_json only for Reply (service.h).
# Include from adapters/CMakeLists.txt, after autoriza_json is defined:
#   include(auditor/CMakeLists.fragment.cmake)
# and link it where the HTTP requests are answered (autoriza_http or autoriza_json).
file(GLOB AUDITOR_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cc)
add_library(autoriza_auditor STATIC ${AUDITOR_SOURCES})
target_include_directories(autoriza_auditor PUBLIC ${CMAKE_CURRENT_LIST_DIR})
# Only the Reply type of service.h is used: include paths, no link to autoriza_json (which links this).
target_include_directories(autoriza_auditor PRIVATE ${CMAKE_CURRENT_LIST_DIR}/../json)
target_link_libraries(autoriza_auditor PUBLIC autoriza_projections autoriza_auth nlohmann_json::nlohmann_json)
