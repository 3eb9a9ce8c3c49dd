# Benchmark, run by `./dev bench invoicing` inside `odoo-bin shell` (``env`` is given).
# 1,000 done fiches of 100 customers (10 each: 1.5 h on site, travel, 2.4 kg of recycled fluid
# charged, 1.2 kg recovered, one part), one customer in five billed under a Chorus engagement
# of its own per site; then Facturer on all of them at once, as the wizard calls it.
# Prints time and SQL queries per fiche and per invoice line; it asserts nothing: it measures.
import time

from odoo import Command

N_CUSTOMERS = 100
PER_CUSTOMER = 10
cr = env.cr  # noqa: F821
company = env.company  # noqa: F821
fluid = env.ref("hvac_connect.refrigerant_r_410a")  # noqa: F821
kg, hour, unit = (env.ref(x) for x in ("uom.product_uom_kgm", "uom.product_uom_hour", "uom.product_uom_unit"))  # noqa: F821
vat = env["account.tax"].create({"name": "TVA collectée 20 %", "amount": 20.0, "type_tax_use": "sale"})  # noqa: F821


def product(name, price, uom, kind="service"):
    return env["product.product"].create(  # noqa: F821
        {
            "name": name,
            "type": kind,
            "uom_id": uom.id,
            "uom_po_id": uom.id,
            "list_price": price,
            "taxes_id": [Command.set(vat.ids)],
        }
    )


company.write(
    {
        "hvac_labour_product_id": product("Main d'œuvre frigoriste", 62.0, hour).id,
        "hvac_travel_product_id": product("Forfait déplacement", 45.0, unit).id,
        "hvac_recovery_product_id": product("Reprise de fluide récupéré", 8.0, kg).id,
    }
)
fluid.with_company(company).product_recycled_id = product("R-410A recyclé", 78.0, kg, "consu")
part = product("Filtre déshydrateur 3/8", 34.5, unit, "consu")
customers = env["res.partner"].create(  # noqa: F821
    [{"name": f"Client {n:03d}", "is_company": True, "city": "Lyon", "zip": "69003"} for n in range(N_CUSTOMERS)]
)
sites = env["hvac.site"].create(  # noqa: F821
    [{"name": f"Site {c.name}", "partner_id": c.id, "zip": "69003"} for c in customers for _ in range(2)]
)
for n, site in enumerate(sites):
    if n % 10 < 2:  # one customer in five: each site under its own engagement
        site.chorus_engagement = f"EJ-2026-{n:06d}"
installations = env[
    "hvac.installation"
].create(  # noqa: F821
    [
        {
            "name": f"Installation {n}",
            "building_id": site.building_ids[:1].id,
            "refrigerant_id": fluid.id,
            "charge_kg": 12.0,
        }
        for n, site in enumerate(sites)
    ]
)
fiches = env["hvac.intervention"]._hvac_create_protected(  # noqa: F821
    [
        {
            "installation_id": installations[n % len(installations)].id,
            "nature": "maintenance",
            "state": "done",
            "name": f"FI/BENCH/{n:05d}",
            "labour_hours": 1.5,
            "charged_recycled_kg": 2.4,
            "recovered_treatment_kg": 1.2,
            "line_ids": [Command.create({"product_id": part.id, "quantity": 1.0})],
        }
        for n in range(N_CUSTOMERS * PER_CUSTOMER)
    ]
)
env.flush_all()  # noqa: F821
env.invalidate_all()  # noqa: F821
fiches = fiches.browse(fiches.ids)
print(
    f"Done fiches to invoice: {len(fiches)} of {N_CUSTOMERS} customers ({fiches.mapped('invoice_state').count('to_invoice')} to invoice)"
)

# As the office clicks it: a user with the invoicing right, record rules and all.
office = env(user=env.ref("base.user_admin"), su=False)  # noqa: F821
fiches = fiches.with_env(office)
queries, start = cr.sql_log_count, time.perf_counter()
wizard = office["hvac.intervention.invoice"].create({"intervention_ids": [Command.set(fiches.ids)]})
wizard.read(["fiche_count", "invoice_count", "preview"])
preview_time, preview_queries = time.perf_counter() - start, cr.sql_log_count - queries
print(f"Facturer opened: {wizard.invoice_count} invoices to make, {preview_time:.2f} s, {preview_queries} SQL queries")

# Where the queries go: our preparation of the invoices (prices, lines, grouping), Odoo's own
# account.move.create, and the rest (locks, the fiches' invoice status, the Chorus checks).
parts, prepared = {}, []


def counted(name, method):
    def wrapper(records, *args, **kwargs):
        queries, start = cr.sql_log_count, time.perf_counter()
        result = method(records, *args, **kwargs)
        if name.startswith("preparing"):
            prepared.extend(result)
        spent = parts.setdefault(name, [0, 0.0])
        spent[0] += cr.sql_log_count - queries
        spent[1] += time.perf_counter() - start
        return result

    return wrapper


Fiche, Move = type(office["hvac.intervention"]), type(office["account.move"])
patches = {
    (Fiche, "_hvac_invoice_values"): "preparing the invoices (ours)",
    (Move, "create"): "account.move.create (Odoo's)",
    (Move, "_hvac_fiche_invoices_created"): "Chorus checks on the drafts (ours)",
}
originals = {(cls, name): getattr(cls, name) for cls, name in patches}
for (cls, name), label in patches.items():
    setattr(cls, name, counted(label, originals[cls, name]))
office.invalidate_all()
queries, start, cpu = cr.sql_log_count, time.perf_counter(), time.process_time()
action = wizard.action_create_invoices()
env.flush_all()  # noqa: F821
elapsed, spent = time.perf_counter() - start, cr.sql_log_count - queries
cpu = time.process_time() - cpu
invoices = office["account.move"].search(action["domain"])
lines = invoices.invoice_line_ids.filtered(lambda line: line.display_type == "product")
print(f"Invoices made: {len(invoices)} drafts, {len(lines)} product lines ({len(lines) / len(fiches):.0f} per fiche)")
print(
    f"Wall time: {elapsed:.2f} s in all, {elapsed / len(fiches) * 1000:.1f} ms per fiche, {len(fiches) / elapsed:.0f} fiches/s"
)
# The machine is shared: the Odoo process's own CPU time says what the work costs it.
print(f"CPU time of the Odoo process: {cpu:.2f} s, {cpu / len(fiches) * 1000:.1f} ms per fiche")
print(
    f"SQL queries: {spent} in all, {spent / len(fiches):.2f} per fiche, {spent / len(lines):.2f} per line, "
    f"{spent / len(invoices):.1f} per invoice"
)
for cls, name in patches:
    setattr(cls, name, originals[cls, name])
for label, (part_queries, part_time) in parts.items():
    print(f"  {label:<40} {part_queries:>6} queries ({part_queries / len(fiches):.2f} per fiche)  {part_time:7.2f} s")
rest = spent - sum(q for q, _t in parts.values())
print(f"  {'the rest (locks, invoice status, flush)':<40} {rest:>6} queries ({rest / len(fiches):.2f} per fiche)")
print("Fiches invoiced:", fiches.mapped("invoice_state").count("invoiced"))

# The same invoices made by Odoo alone (no fiche linked): what account.move.create costs anyway.
with cr.savepoint():
    for vals in prepared:
        for command in vals["invoice_line_ids"]:
            command[2].pop("hvac_intervention_id", None)
    office.invalidate_all()
    queries, start = cr.sql_log_count, time.perf_counter()
    plain = office["account.move"].create(prepared)
    office.flush_all()
    alone, alone_time = cr.sql_log_count - queries, time.perf_counter() - start
    print(
        f"Odoo alone, the same {len(plain)} invoices without fiches: {alone} queries ({alone / len(lines):.2f} per line), "
        f"{alone_time:.2f} s"
    )
print("Invoice total (excl. VAT), all invoices:", round(sum(invoices.mapped("amount_untaxed")), 2))
cr.rollback()  # leave the bench database as it was
