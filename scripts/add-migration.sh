#!/usr/bin/env bash
# Adds an EF Core migration named $1 to every provider's migrations assembly at once
# (src/RestorationWorkflow.Migrations.Sqlite, .SqlServer and .PostgreSql), so the three never drift.
# Usage: scripts/add-migration.sh AddSomething
set -euo pipefail
name=${1:?usage: scripts/add-migration.sh MigrationName}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
dotnet tool restore >/dev/null
for provider in Sqlite SqlServer PostgreSql; do
  project="src/RestorationWorkflow.Migrations.$provider"
  echo "== $provider: adding migration $name"
  # The migrations project is its own startup project: its design-time factory builds the context.
  dotnet ef migrations add "$name" \
    --project "$project" \
    --startup-project "$project" \
    --context AppDbContext \
    --output-dir Migrations
done
echo "Done. Review the generated files, then run: dotnet test"
