#include <chrono>
#include "projections_fixture.h"
namespace autoriza::testing {
namespace {
class Throughput : public ProjectionsTest {};
TEST_F(Throughput, Measure) {
  const char* creds[] = {"110000783851", "110000783852", "354495", "438908"};
  for (int i = 0; i < 1500; ++i) {
    Json a = authorize(creds[i % 4], {"000118", "000003", "000012"}, "2026-11-02T10:00:00-03:00", "LAB127", i % 2 == 0);
    if (i % 2 == 1) consume(creds[i % 4], a["order"], {0}, "2026-11-02T11:00:00-03:00");
  }
  auto t0 = std::chrono::steady_clock::now();
  size_t applied = 0;
  ASSERT_TRUE(projections->catch_up(&applied).is_ok());
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("applied %zu events in %.3f s: %.0f events/s\n", applied, s, applied / s);
  RegisterQuery q; q.provider = "LAB127"; q.order_by = "amount"; q.limit = 1000;
  t0 = std::chrono::steady_clock::now();
  Json out = register_rows(q);
  std::printf("sorted page of %zu in %.3f s\n", out["items"].size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  t0 = std::chrono::steady_clock::now();
  Json b; ASSERT_TRUE(projections->billing("LAB127", "2026-11", &b).is_ok());
  std::printf("billing of %zu in %.3f s\n", b["items"].size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}
}
}
