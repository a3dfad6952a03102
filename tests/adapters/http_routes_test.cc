#include "adapters/http/routes.h"

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

TEST(HttpRoutes, OtherPostsGoToTheServiceApi) {
  EXPECT_EQ(route_request("POST", "/v1/registrations").kind, RouteKind::kService);
  EXPECT_EQ(route_request("POST", "/v1/affiliates/110000783851/shares").kind, RouteKind::kService);
  EXPECT_EQ(route_request("POST", "/v1/teleport").kind, RouteKind::kService);
  EXPECT_EQ(route_request("POST", "/v1/authorize/x").kind, RouteKind::kService);
}

TEST(HttpRoutes, ReadsGoToTheServiceApi) {
  EXPECT_EQ(route_request("GET", "/healthz").kind, RouteKind::kService);
  EXPECT_EQ(route_request("HEAD", "/healthz").kind, RouteKind::kService);
  EXPECT_EQ(route_request("GET", "/v1/transactions/T1").kind, RouteKind::kService);
  EXPECT_EQ(route_request("GET", "/v1/affiliates/110000783851/card.svg").kind, RouteKind::kService);
  EXPECT_EQ(route_request("GET", "/elsewhere").kind, RouteKind::kService);
}

TEST(HttpRoutes, OtherMethodsOnACommandAreNotAllowed) {
  for (const char* method : {"GET", "HEAD", "PUT", "DELETE"}) {
    const Route route = route_request(method, "/v1/authorize");
    EXPECT_EQ(route.kind, RouteKind::kMethodNotAllowed) << method;
    EXPECT_EQ(route.allow, "POST") << method;
  }
}

TEST(HttpRoutes, UnservedMethodsAreNotAllowedOnTheApi) {
  EXPECT_EQ(route_request("POST", "/healthz").kind, RouteKind::kMethodNotAllowed);
  EXPECT_EQ(route_request("PUT", "/healthz").allow, "GET, HEAD");
  EXPECT_EQ(route_request("DELETE", "/v1/transactions/T1").kind, RouteKind::kMethodNotAllowed);
  // Allow lists what the route table has for the path.
  EXPECT_EQ(route_request("PATCH", "/v1/registrations").allow, "POST");
  EXPECT_EQ(route_request("DELETE", "/v1/admin/keys").allow, "GET, HEAD, POST");
}

TEST(HttpRoutes, UnknownPathsGoToTheServiceWhichAnswers404) {
  EXPECT_EQ(route_request("DELETE", "/").kind, RouteKind::kService);
  EXPECT_EQ(route_request("PUT", "/nope").kind, RouteKind::kService);
}

TEST(HttpRoutes, TargetThatIsNotAPathIsBad) {
  EXPECT_EQ(route_request("GET", "http://host/healthz").kind, RouteKind::kBadTarget);
  EXPECT_EQ(route_request("OPTIONS", "*").kind, RouteKind::kBadTarget);
  EXPECT_EQ(route_request("GET", "").kind, RouteKind::kBadTarget);
}

}  // namespace
}  // namespace autoriza
