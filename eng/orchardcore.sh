#!/usr/bin/env bash
# Builds, tests and packs the Orchard Core layer: Flattr.OrchardCore (the module) and Flattr.OrchardCore.Tests.
# They need the OrchardCore 3.x packages, so they build only with -p:WithOrchardCore=true, on a machine that can
# restore those packages (nuget.org). The default build and eng/test.sh never touch them; they print that instead.
#   bash eng/orchardcore.sh            -> packages in artifacts/packages (Flattr.Core and Flattr.OrchardCore)
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=${CONFIGURATION:-Release}
packages=${PACKAGE_OUTPUT:-artifacts/packages}

# Restoring is where a machine without Orchard's packages fails; say so plainly rather than in a wall of NU1101s.
if ! dotnet restore tests/Flattr.OrchardCore.Tests/Flattr.OrchardCore.Tests.csproj -p:WithOrchardCore=true; then
  echo "orchardcore.sh: the OrchardCore 3.x packages could not be restored here; run this where nuget.org is reachable (see .github/workflows/orchardcore.yml)." >&2
  exit 1
fi

dotnet build tests/Flattr.OrchardCore.Tests/Flattr.OrchardCore.Tests.csproj -c "$configuration" --no-restore -p:WithOrchardCore=true
dotnet test --project tests/Flattr.OrchardCore.Tests/Flattr.OrchardCore.Tests.csproj -c "$configuration" --no-build -p:WithOrchardCore=true

# The module package depends on the Flattr.Core package: pack both.
dotnet pack Flattr.Core/Flattr.Core.csproj -c "$configuration" -o "$packages"
dotnet pack Flattr.OrchardCore/Flattr.OrchardCore.csproj -c "$configuration" --no-build -p:WithOrchardCore=true -o "$packages"
echo "orchardcore.sh: packages in $packages"
