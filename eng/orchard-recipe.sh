#!/usr/bin/env bash
# Copies the one Liquid source of the Flattr button (Flattr.OrchardCore/Views/FlattrPart.liquid, which the module
# renders) into the Templates step of the recipe-only edition (Flattr.OrchardCore/Declarative/flattr.recipe.json).
# tests/Flattr.OrchardCore.Recipe.Tests fails while the two differ; run this after editing the template.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import json

template_path = "Flattr.OrchardCore/Views/FlattrPart.liquid"
recipe_path = "Flattr.OrchardCore/Declarative/flattr.recipe.json"

with open(template_path, encoding="utf-8", newline="") as f:
    template = f.read().replace("\r\n", "\n")
with open(recipe_path, encoding="utf-8") as f:
    recipe = json.load(f)

steps = [s for s in recipe["steps"] if s["name"] == "Templates"]
if len(steps) != 1:
    raise SystemExit(f"{recipe_path}: expected one Templates step, found {len(steps)}")
steps[0]["Templates"]["FlattrPart"]["Content"] = template

with open(recipe_path, "w", encoding="utf-8", newline="\n") as f:
    json.dump(recipe, f, ensure_ascii=False, indent=2)
    f.write("\n")
print(f"{recipe_path}: Templates.FlattrPart.Content = {template_path} ({len(template)} characters)")
PY
