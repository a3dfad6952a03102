# autoriza_card: digital credential rendering (QR as SVG/PNG, card page, token
# sheet HTML/PDF). Pure functions; depends on the engine only for Status.
# Include from adapters/CMakeLists.txt:  include(card/CMakeLists.fragment.cmake)
# Packages: libqrencode-dev (pkg-config libqrencode), zlib1g-dev (CMake ZLIB).
find_package(PkgConfig REQUIRED)
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
find_package(ZLIB REQUIRED)

file(GLOB CARD_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cc)
add_library(autoriza_card STATIC ${CARD_SOURCES})
target_include_directories(autoriza_card PUBLIC ${CMAKE_CURRENT_LIST_DIR})
# ZLIB is PUBLIC because tests/adapters/card_render_test.cc inflates the PNG.
target_link_libraries(autoriza_card PUBLIC autoriza_engine ZLIB::ZLIB PRIVATE PkgConfig::QRENCODE)
