#!/bin/sh
# One database role and one schema per service: a service can touch only its own tables.
set -eu
for service in gateway housing labour production gender digital; do
  var="$(echo "$service" | tr a-z A-Z)_DB_PASSWORD"
  password="$(eval echo "\${$var}")"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE $service LOGIN PASSWORD '$password';
CREATE SCHEMA $service AUTHORIZATION $service;
ALTER ROLE $service SET search_path = $service;
REVOKE ALL ON SCHEMA public FROM $service;
SQL
done
