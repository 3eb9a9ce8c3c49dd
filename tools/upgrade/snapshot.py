# Run inside `odoo-bin shell` (``env`` given) by ./dev test-upgrade, before and after the
# upgrade: every stored field of every record the module owns or extends, written as JSON to
# $HVAC_SNAPSHOT. Values are plain (ids for relations, sorted id lists for x2many, checksums
# for binaries), so that two snapshots compare field by field.
import hashlib
import json
import os

env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell

SKIP = {"write_date", "write_uid", "__last_update", "message_main_attachment_id"}


def plain(field, value):
    if field.type in ("many2one",):
        return value.id or None
    if field.type in ("one2many", "many2many"):
        return sorted(value.ids)
    if field.type == "binary":
        if not value:
            return None
        return hashlib.sha256(value if isinstance(value, bytes) else str(value).encode()).hexdigest()
    if field.type in ("date", "datetime"):
        return str(value) if value else None
    if field.type in ("float", "monetary"):
        return round(value or 0.0, 6)
    return value


def fields_added_by_us():
    """{model: names of the fields this module adds to it} (from the fields' xmlids)."""
    data = env["ir.model.data"].sudo().search([("module", "=", "hvac_connect"), ("model", "=", "ir.model.fields")])
    added = {}
    for field in env["ir.model.fields"].sudo().browse(data.mapped("res_id")).exists():
        added.setdefault(field.model, set()).add(field.name)
    return added


ADDED = fields_added_by_us()


ours = env["ir.model"].sudo().search([])
snapshot = {}
for ir_model in ours:
    if "hvac_connect" not in (ir_model.modules or "").split(", "):
        continue
    Model = env[ir_model.model].sudo().with_context(active_test=False)
    if Model._abstract or Model._transient or not Model._auto:
        continue
    own = ir_model.model.startswith("hvac.")
    names = sorted(
        name
        for name, field in Model._fields.items()
        if field.store and name not in SKIP and (own or name in ADDED.get(ir_model.model, ()))
    )
    if not names:
        continue
    records = Model.search([], order="id")
    rows = {}
    for record in records:
        rows[str(record.id)] = {name: plain(Model._fields[name], record[name]) for name in names}
    snapshot[ir_model.model] = rows
with open(os.environ["HVAC_SNAPSHOT"], "w") as out:
    json.dump(snapshot, out, indent=0, sort_keys=True, default=str)
print(
    f"snapshot: {len(snapshot)} models, {sum(len(r) for r in snapshot.values())} records -> {os.environ['HVAC_SNAPSHOT']}"
)
