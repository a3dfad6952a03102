#include "routes.h"

#include <gtest/gtest.h>

namespace autoriza {
namespace {

TEST(HttpRoutes, PostOfACommandPathIsACommand) {
  const Route route = route_request("POST", "/v1/authorize");
  EXPECT_EQ(route.kind, RouteKind::kCommand);
  EXPECT_EQ(route.command, "authorize");
}

TEST(HttpRoutes, CommandDropsTheQueryString) {
  EXPECT_EQ(route_request("POST", "/v1/eligibility?x=1").command, "eligibility");
}

TEST(HttpRoutes, UnknownCommandGoesToTheService) {
  const Route route = route_request("POST", "/v1/teleport");
  EXPECT_EQ(route.kind, RouteKind::kCommand);
  EXPECT_EQ(route.command, "teleport");
}

TEST(HttpRoutes, ReadsGoToTheQueryApi) {
  EXPECT_EQ(route_request("GET", "/healthz").kind, RouteKind::kQuery);
  EXPECT_EQ(route_request("HEAD", "/healthz").kind, RouteKind::kQuery);
  EXPECT_EQ(route_request("GET", "/v1/transactions/T1").kind, RouteKind::kQuery);
  EXPECT_EQ(route_request("GET", "/v1/unknown").kind, RouteKind::kQuery);
  EXPECT_EQ(route_request("GET", "/elsewhere").kind, RouteKind::kQuery);
}

TEST(HttpRoutes, GetOfACommandIsMethodNotAllowed) {
  const Route route = route_request("GET", "/v1/authorize");
  EXPECT_EQ(route.kind, RouteKind::kMethodNotAllowed);
  EXPECT_EQ(route.allow, "POST");
}

TEST(HttpRoutes, WritesToQueryPathsAreMethodNotAllowed) {
  EXPECT_EQ(route_request("POST", "/healthz").kind, RouteKind::kMethodNotAllowed);
  EXPECT_EQ(route_request("PUT", "/healthz").allow, "GET, HEAD");
  EXPECT_EQ(route_request("POST", "/v1/transactions/T1").kind, RouteKind::kMethodNotAllowed);
  EXPECT_EQ(route_request("DELETE", "/v1/transactions/T1").kind, RouteKind::kMethodNotAllowed);
  EXPECT_EQ(route_request("PUT", "/v1/authorize").allow, "POST");
}

TEST(HttpRoutes, UnknownPathsAreNotFound) {
  EXPECT_EQ(route_request("POST", "/nope").kind, RouteKind::kNotFound);
  EXPECT_EQ(route_request("POST", "/v1/").kind, RouteKind::kNotFound);
  EXPECT_EQ(route_request("DELETE", "/").kind, RouteKind::kNotFound);
}

TEST(HttpRoutes, TargetThatIsNotAPathIsBad) {
  EXPECT_EQ(route_request("GET", "http://host/healthz").kind, RouteKind::kBadTarget);
  EXPECT_EQ(route_request("OPTIONS", "*").kind, RouteKind::kBadTarget);
  EXPECT_EQ(route_request("GET", "").kind, RouteKind::kBadTarget);
}

}  // namespace
}  // namespace autoriza
