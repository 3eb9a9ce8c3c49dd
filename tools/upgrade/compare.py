"""Compare the snapshots taken before and after ./dev test-upgrade's upgrade.

Every record of the old database must still be there, with the same value in every field
that exists on both sides. A field whose values a migration changes on purpose is listed in
``MIGRATED`` with the reason; ``checks.py`` then checks the new values instead.
Usage: compare.py BEFORE.json AFTER.json; exits 1 and lists the differences.
"""

import json
import sys

# (model, field): why the upgrade changes its values (checked by checks.py).
MIGRATED = {
    ("hvac.shared.intervention", "connection_id"): "filled for interventions received before it was recorded",
}
# Models renamed by a migration: old name -> new name.
RENAMED_MODELS = {}
# Fields removed on purpose: (model, field) -> why.
REMOVED_FIELDS = {
    ("hvac.share", "process_mapping"): "the JSON mapping no processing used; the mapping lines are the one path",
}


def compare(before, after):
    problems = []
    for model, rows in sorted(before.items()):
        new_model = RENAMED_MODELS.get(model, model)
        if new_model not in after:
            problems.append(f"{model}: the model is gone ({len(rows)} records)")
            continue
        new_rows = after[new_model]
        for rec_id, values in rows.items():
            if rec_id not in new_rows:
                problems.append(f"{model},{rec_id}: the record is gone")
                continue
            new_values = new_rows[rec_id]
            for name, value in values.items():
                if (model, name) in MIGRATED:
                    continue
                if name not in new_values:
                    if (model, name) not in REMOVED_FIELDS:
                        problems.append(f"{model}.{name}: the field is gone")
                    continue
                if new_values[name] != value:
                    problems.append(f"{model},{rec_id}.{name}: {value!r} became {new_values[name]!r}")
    return problems


def main(before_path, after_path):
    with open(before_path) as before_file, open(after_path) as after_file:
        before, after = json.load(before_file), json.load(after_file)
    problems = compare(before, after)
    records = sum(len(rows) for rows in before.values())
    fields = sum(len(values) for rows in before.values() for values in rows.values())
    if problems:
        for line in problems[:80]:
            print("  " + line)
        if len(problems) > 80:
            print(f"  ... and {len(problems) - 80} more")
        print(f"Upgrade compare: {len(problems)} difference(s) in {records} records of {len(before)} models")
        return 1
    print(f"Upgrade compare: {records} records of {len(before)} models, {fields} values, all kept")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
