#!/bin/sh
# Creates (or upgrades) Temporal's two PostgreSQL databases with the schema tool of the same
# server release (the admin-tools image's temporal-sql-tool): the default store and the
# visibility store. Safe to run on every `docker compose up`: `create` is skipped when the
# database exists, and update-schema applies only the versions it lacks.
set -eu
# The password comes from SQL_PASSWORD, which temporal-sql-tool reads from the environment.
tool() { temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" "$@"; }
schema=/etc/temporal/schema/postgresql/v12
for db in temporal:temporal temporal_visibility:visibility; do
  name=${db%%:*} dir=${db#*:}
  tool --db "$name" create 2>/dev/null || echo "database $name exists"
  tool --db "$name" setup-schema -v 0.0 2>/dev/null || echo "database $name has a schema"
  tool --db "$name" update-schema -d "$schema/$dir/versioned"
done
echo "Temporal's schema is current"
