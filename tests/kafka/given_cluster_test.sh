#!/usr/bin/env bash
# The kafka label's path to a real cluster (AUTORIZA_TEST_KAFKA=host:port),
# taken against a cluster the tests did not start: an `autoriza devbroker`
# process with its topics made under a prefix of its own
# (AUTORIZA_KAFKA_TOPIC_PREFIX). The tests must use that cluster and those
# topics (events appear there), pass, and skip the tests that need the mock's
# fault injection. Creating topics on a real Kafka (the Admin API) is what
# this cannot show: the mock does not answer CreateTopics.
# Usage: given_cluster_test.sh AUTORIZA_BINARY KAFKA_TESTS_BINARY
set -uo pipefail
BIN=$1
TESTS=$2
dir=$(mktemp -d)
trap 'kill "$broker" 2>/dev/null; wait "$broker" 2>/dev/null; rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

export AUTORIZA_KAFKA_TOPIC_PREFIX="given-$$."
env -u AUTORIZA_TEST_KAFKA "$BIN" devbroker --partitions 1 --bootstrap-file "$dir/bootstrap" >"$dir/broker.log" 2>&1 &
broker=$!
for _ in $(seq 100); do [ -s "$dir/bootstrap" ] && break; sleep 0.1; done
[ -s "$dir/bootstrap" ] || fail "the devbroker did not start: $(cat "$dir/broker.log")"
export AUTORIZA_TEST_KAFKA=$(cat "$dir/bootstrap")

"$TESTS" --gtest_filter='KafkaCluster.AnswersAndStateEqualEmbedded:KafkaCluster.LeaderBrokerDownAndUp' \
  >"$dir/tests.log" 2>&1 || { cat "$dir/tests.log"; fail "the tests failed on the given cluster"; }
grep -q "\[       OK \] KafkaCluster.AnswersAndStateEqualEmbedded" "$dir/tests.log" || fail "the cluster test did not pass"
grep -q "\[  SKIPPED \] KafkaCluster.LeaderBrokerDownAndUp" "$dir/tests.log" || fail "the fault-injection test was not skipped"

# The dev broker of the test process stood for the given cluster, with its topics.
grep -q "dev broker: on the real cluster $AUTORIZA_TEST_KAFKA (topics given-$$.\*, as given)" "$dir/tests.log" ||
  { cat "$dir/tests.log"; fail "the tests did not use the given cluster's topics"; }
echo "ok: the kafka tests ran on the given cluster under ${AUTORIZA_KAFKA_TOPIC_PREFIX}*"
