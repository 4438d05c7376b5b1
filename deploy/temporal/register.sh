#!/bin/sh
# Makes the Temporal server ready for weiquan: the namespace, and the search attributes the case
# workflow sets so the Temporal UI and CLI can list an institute's cases by stage
# (WeiquanInstitute = 'BJ' AND WeiquanStage = 'committee'). Idempotent: what exists is kept.
set -eu
ns=${TEMPORAL_NAMESPACE:-default}
addr=${TEMPORAL_ADDRESS:-temporal:7233}
until temporal operator cluster health --address "$addr" >/dev/null 2>&1; do
  echo "waiting for Temporal at $addr"; sleep 2
done
temporal operator namespace describe -n "$ns" --address "$addr" >/dev/null 2>&1 \
  || temporal operator namespace create -n "$ns" --retention 30d --address "$addr"
# The same names and types as devserver.SearchAttributes (checked by cmd/weiquan's compose test).
for attr in WeiquanInstitute:Keyword WeiquanStage:Keyword WeiquanNextDue:Datetime; do
  name=${attr%%:*} type=${attr#*:}
  temporal operator search-attribute create -n "$ns" --name "$name" --type "$type" --address "$addr" \
    || echo "$name: not created (it may exist already; checked below)"
done
registered=$(temporal operator search-attribute list -n "$ns" --address "$addr")
for attr in WeiquanInstitute WeiquanStage WeiquanNextDue; do
  echo "$registered" | grep -qw "$attr" || { echo "search attribute $attr is missing" >&2; exit 1; }
done
echo "namespace $ns and weiquan's search attributes are registered"
