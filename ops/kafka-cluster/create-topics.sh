#!/usr/bin/env bash
# Creates autoriza's five topics on a real cluster with the settings of
# ops/kafka.md ("Topics"): replication 3, min.insync.replicas 2, no unclean
# leader election; events kept forever, reference compacted, request-id
# claims kept 7 days like the commands.
# Usage: create-topics.sh BOOTSTRAP PARTITIONS [REPLY_PARTITIONS]
# (kafka-topics.sh from the Kafka distribution, or through the compose file:
#  KAFKA_TOPICS="docker compose -f ops/kafka-cluster/compose.yml exec -T kafka1 /opt/kafka/bin/kafka-topics.sh")
set -euo pipefail
B=${1:?bootstrap servers}
P=${2:?partitions: every role is started with this --partitions}
R=${3:-16}
TOPICS=${KAFKA_TOPICS:-kafka-topics.sh}
X=${AUTORIZA_KAFKA_TOPIC_PREFIX:-autoriza.}  # the prefix every role is started with
common=(--bootstrap-server "$B" --replication-factor 3 --config min.insync.replicas=2
        --config unclean.leader.election.enable=false --if-not-exists)
$TOPICS --create --topic "${X}commands" --partitions "$P" "${common[@]}" --config retention.ms=604800000
$TOPICS --create --topic "${X}events" --partitions "$P" "${common[@]}" --config retention.ms=-1 \
  --config retention.bytes=-1 --config cleanup.policy=delete
$TOPICS --create --topic "${X}replies" --partitions "$R" "${common[@]}" --config retention.ms=3600000
$TOPICS --create --topic "${X}reference" --partitions 1 "${common[@]}" --config cleanup.policy=compact \
  --config min.compaction.lag.ms=604800000
$TOPICS --create --topic "${X}claims" --partitions "$P" "${common[@]}" --config retention.ms=604800000 \
  --config cleanup.policy=delete
$TOPICS --describe --bootstrap-server "$B" --topic "${X//./\\.}.*" | grep -E "Topic:|ReplicationFactor" | head -10
