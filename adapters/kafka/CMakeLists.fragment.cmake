# autoriza_kafka: Kafka cluster mode (gateway, validator workers, event
# followers, dev broker on librdkafka's mock cluster). Depends on the engine
# and the JSON service; the CLI links it.
# Include from adapters/CMakeLists.txt:  include(kafka/CMakeLists.fragment.cmake)
# Packages: librdkafka-dev (pkg-config rdkafka, found in the top CMakeLists.txt).
file(GLOB KAFKA_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*.cc)
add_library(autoriza_kafka STATIC ${KAFKA_SOURCES})
target_include_directories(autoriza_kafka PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(autoriza_kafka PUBLIC autoriza_json autoriza_scenario PkgConfig::RDKAFKA)
