# Run inside `odoo-bin shell` (``env`` given) by ./dev test-upgrade on a database of the PREVIOUS
# release, after its demo data: a generated volume of records of every model, in every state, as
# years of use leave them. It only uses what that release has (fields, models and the lifecycle's
# protected path), so that it can fill a database of either release.
import base64
import os
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import odoo.addons.hvac_connect as hvac_connect

SCALE = int(os.environ.get("HVAC_UPGRADE_SCALE", "1"))
N_INSTALLATIONS = 60 * SCALE
env = env  # noqa: F821, PLW0127 - provided by odoo-bin shell
today = date.today()
company = env.ref("base.main_company")
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63600000000200015e2e4d3b0000000049454e44ae426082"
    )
)


def protected(_model):
    """The lifecycle's own path: records created or set in a state, as the module's actions do
    (one trust for every model, as the module's actions have it)."""
    return env["hvac.intervention"]._hvac_protected()


def luhn_siret(prefix):
    """A valid SIRET (Luhn key on the SIRET and on its SIREN) starting with ``prefix``."""

    def luhn_ok(digits):
        total = 0
        for position, char in enumerate(reversed(digits)):
            digit = int(char)
            if position % 2:
                digit = digit * 2 - 9 if digit > 4 else digit * 2
            total += digit
        return total % 10 == 0

    for siren_tail in range(100000):
        siren = f"{prefix}{siren_tail:05d}"[:8]
        siren += next(str(d) for d in range(10) if luhn_ok(siren + str(d)))
        for nic in range(1, 100000):
            siret = f"{siren}{nic:05d}"
            if luhn_ok(siret):
                return siret
    raise ValueError(prefix)


def set_siret(partner, siret):
    if "siren" in partner._fields and "nic" in partner._fields and partner._fields["siret"].compute:
        partner.write({"siren": siret[:9], "nic": siret[9:]})
    else:
        partner.siret = siret


fr = env.ref("base.fr")
fluids = env["hvac.refrigerant"].search([("family", "in", ("hfc", "hfo")), ("gwp", ">", 0)], limit=6)
technicians = env["res.users"].create(
    [
        {
            "name": f"Technicien {n}",
            "login": f"tech{n}@upgrade.example.fr",
            "email": f"tech{n}@upgrade.example.fr",
            "groups_id": [(4, env.ref("hvac_connect.group_hvac_user").id)],
        }
        for n in range(3)
    ]
)
technicians[0].write({"hvac_trackdechets_token": "upgrade-token-0"})

# --- customers, sites, buildings, installations ------------------------------------------------
customers = env["res.partner"].create(
    [
        {
            "name": f"Client {n} SAS",
            "is_company": True,
            "street": f"{n + 1} rue de la République",
            "zip": "69002",
            "city": "Lyon",
            "country_id": fr.id,
            "email": f"client{n}@exemple.fr",
            "phone": "+33 4 72 00 00 0%d" % (n % 10),
            "hvac_leak_check_notify": n % 2 == 0,
        }
        for n in range(6)
    ]
)
for n, customer in enumerate(customers):
    set_siret(customer, luhn_siret(f"41{n}"))
sites = env["hvac.site"].create(
    [
        {
            "name": f"Site {n}",
            "partner_id": customers[n % len(customers)].id,
            "street": f"{n} quai Perrache",
            "zip": "69002",
            "city": "Lyon",
        }
        for n in range(12)
    ]
)
buildings = sites.building_ids
installations = env["hvac.installation"].create(
    [
        {
            "name": f"Groupe froid {n}",
            "building_id": buildings[n % len(buildings)].id,
            "refrigerant_id": fluids[n % len(fluids)].id,
            "charge_kg": 1.5 + (n % 40) * 2.5,
            "brand": "Daikin" if n % 2 else "Carrier",
            "model": f"M-{n}",
            "serial_number": f"SN-UPG-{n:05d}",
            "commissioning_date": today - timedelta(days=200 + n * 17),
            "hermetic": n % 9 == 0,
            "leak_detection_system": n % 7 == 0,
            "technician_id": technicians[n % len(technicians)].id,
        }
        for n in range(N_INSTALLATIONS)
    ]
)
installations[1].parent_id = installations[0]

# --- containers --------------------------------------------------------------------------------
containers = env["hvac.container"].create(
    [
        {
            "name": f"BT-UPG-{n:03d}",
            "refrigerant_id": fluids[n % len(fluids)].id,
            "capacity_kg": 40.0,
            "volume_l": 52.0,
            "initial_weight_kg": 2.0,
            "state": "recovered",
            "registered_on": today - timedelta(days=800),
        }
        for n in range(len(fluids) * 2)
    ]
)
container_of = {}
for container in containers:
    container_of.setdefault(container.refrigerant_id.id, container)

# --- fiches d'intervention in every state --------------------------------------------------------
treatment = env["res.partner"].create(
    {
        "name": "Centre de traitement Upgrade",
        "is_company": True,
        "zip": "69190",
        "city": "Saint-Fons",
        "country_id": fr.id,
    }
)
set_siret(treatment, luhn_siret("52"))
company.write(
    {
        "hvac_capacity_number": company.hvac_capacity_number or "FR-UPG-0001",
        "hvac_capacity_category": company.hvac_capacity_category or "I",
        "hvac_capacity_valid_until": today + timedelta(days=400),
    }
)
fiche_vals = []
for n, inst in enumerate(installations):
    for k in range(4 * SCALE):
        done = k < 3
        fiche_vals.append(
            {
                "installation_id": inst.id,
                "nature": ("periodic_check", "maintenance", "commissioning", "modification")[k % 4],
                "state": "done" if done else ("draft", "cancel")[n % 2],
                "name": f"FI/UPG/{n:04d}{k}" if done else "/",
                "date": today - timedelta(days=30 + 90 * k + n),
                "technician_id": technicians[n % len(technicians)].id,
                "charged_virgin_kg": 0.5 if k == 1 else 0.0,
                "charged_recycled_kg": 0.2 if k == 1 and n % 3 == 0 else 0.0,
                "recovered_treatment_kg": 0.4 if k == 2 else 0.0,
                "leaks_found": k == 0 and n % 5 == 0,
                "leak_location_1": "Brasure vanne" if k == 0 and n % 5 == 0 else False,
                "leak_repair_1": "done" if k == 0 and n % 5 == 0 else False,
                "detector_reference": "Testo 316-3 n° 123",
                "detector_check_date": today - timedelta(days=200),
                "operator_signature": PNG if done else False,
                "operator_signatory": "Julien Moreau" if done else False,
                "holder_signature": PNG if done and n % 3 == 0 else False,
                "holder_signatory": "M. Dupont" if done and n % 3 == 0 else False,
                "observations": f"Contrôle n° {k}",
            }
        )
fiche_vals = [{k: v for k, v in vals.items() if k in env["hvac.intervention"]._fields} for vals in fiche_vals]
with protected("hvac.intervention"):
    fiches = env["hvac.intervention"].create(fiche_vals)
recoveries = fiches.filtered(lambda f: f.state == "done" and f.recovered_treatment_kg)
move_vals = [
    {
        "intervention_id": fiche.id,
        "container_id": container_of[fiche.installation_id.refrigerant_id.id].id,
        "direction": "fill",
        "quantity_kg": fiche.recovered_treatment_kg,
    }
    for fiche in recoveries
    if fiche.installation_id.refrigerant_id.id in container_of
]
with protected("hvac.container.move"):
    env["hvac.container.move"].create(move_vals)

# --- BSFF: draft, sent and signed by the emitter, taken over, processed ----------------------------
bsff_vals = []
for n, fiche in enumerate(recoveries[:12]):
    container = container_of.get(fiche.installation_id.refrigerant_id.id)
    if not container:
        continue
    state = ("draft", "initial", "signed_by_emitter", "sent", "processed")[n % 5]
    signed = state != "draft"
    vals = {
        "refrigerant_id": fiche.installation_id.refrigerant_id.id,
        "destination_partner_id": treatment.id,
        "transporter_is_self": True,
        "transporter_plates": "AB-123-CD",
        "waste_description": fiche.installation_id.refrigerant_id.name,
        "packaging_ids": [
            (
                0,
                0,
                {
                    "numero": container.name,
                    "container_id": container.id,
                    "weight_kg": fiche.recovered_treatment_kg,
                    "volume_l": 52.0,
                },
            )
        ],
        "fiche_ids": [
            (
                0,
                0,
                {
                    "intervention_id": fiche.id,
                    "numero": fiche.name,
                    "weight_kg": fiche.recovered_treatment_kg,
                    "detenteur_partner_id": fiche.installation_id.partner_id.id,
                    "postal_code": "69002",
                },
            )
        ],
    }
    if signed:
        vals.update(
            {
                "state": state,
                "td_id": f"FF-{today:%Y%m%d}-UPG{n:04d}",
                "send_reference": uuid.uuid4().hex,
                "emitted_by": "Julien Moreau",
                "emitted_at": datetime.now() - timedelta(days=20 - n),
                "transport_taken_over_at": datetime.now() - timedelta(days=19 - n) if n % 2 else False,
                "processed_at": datetime.now() - timedelta(days=5) if state == "processed" else False,
            }
        )
    bsff_vals.append({k: v for k, v in vals.items() if k in env["hvac.bsff"]._fields})
with protected("hvac.bsff"):
    env["hvac.bsff"].create(bsff_vals)

# --- invoices deposited on Chorus Pro, a Factur-X flow -----------------------------------------
buyer = customers[0]
buyer.write(
    {"hvac_chorus_structure_id": 26000001, "hvac_chorus_required": "service", "hvac_chorus_checked_at": datetime.now()}
)
env["hvac.chorus.service"].create(
    [
        {
            "partner_id": buyer.id,
            "code": f"SERV{n}",
            "name": f"Service {n}",
            "chorus_id": 900 + n,
            "engagement_required": n == 1,
        }
        for n in range(3)
    ]
)
journal = env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)], limit=1)
invoices = env["account.move"]
if journal:
    invoices = env["account.move"].create(
        [
            {
                "move_type": "out_invoice",
                "partner_id": buyer.id,
                "journal_id": journal.id,
                "invoice_date": today - timedelta(days=10 + n),
                "invoice_line_ids": [
                    (0, 0, {"name": f"Maintenance contrat {n}", "quantity": 1, "price_unit": 450.0 + n})
                ],
            }
            for n in range(6)
        ]
    )
    invoices.action_post()
    with protected("account.move"):
        for n, move in enumerate(invoices[:4]):
            move.write(
                {
                    "hvac_chorus_invoice_id": 7000 + n,
                    "hvac_chorus_status": ("DEPOSEE", "MISE_A_DISPOSITION", "SUSPENDUE", "REJETEE")[n],
                    "hvac_chorus_status_date": datetime.now() - timedelta(days=n),
                    "hvac_chorus_deposit_date": today - timedelta(days=5),
                    "hvac_chorus_footprint": f"empreinte-{n}",
                    "hvac_chorus_send_state": "sent",
                }
            )
    env["hvac.chorus.invoice.status"].create(
        [
            {"move_id": move.id, "code": "DEPOSEE", "date": datetime.now() - timedelta(days=6), "comment": "Dépôt"}
            for move in invoices[:4]
        ]
    )
    flow_vals = {"move_ids": [(6, 0, invoices[4:].ids)], "company_id": company.id}
    with protected("hvac.chorus.flow"):
        flow = env["hvac.chorus.flow"].create(flow_vals)
        flow.write({"name": "CPP-FLUX-UPG-1", "state": "IN_INTEGRE", "deposit_date": today - timedelta(days=3)})

# --- Chorus connection sheet with its interfaces, onboarding ----------------------------------------
sheet = env["hvac.chorus.connection.sheet"].create(
    {
        "name": "Raccordement API upgrade",
        "mode": "api",
        "environment": "qualification",
        "partner_siret": company.siret or luhn_siret("73"),
        "date_from": today,
        "partner_app_code": "APP-UPG",
        "contact_name": "Sophie Martin",
        "contact_email": "sophie.martin@froid-rhone.fr",
        "comment": "Fiche de l'année passée",
    }
)
for line in sheet.interface_ids.filtered(lambda line: not line.qualification_only)[:3]:
    line.integration = "complete"
env["hvac.chorus.onboarding.step"]._ensure_steps(company)
steps = env["hvac.chorus.onboarding.step"].search([("company_id", "=", company.id)], limit=2)
if steps and "done" in steps._fields:
    with protected("hvac.chorus.onboarding.step"):
        steps.write({"done": True, "done_at": datetime.now(), "done_by": env.user.id})

# A client certificate (PKCS#7 chain) on the sheet, made as the tests make them.
sys.path.insert(0, str(Path(hvac_connect.__file__).parent / "tests"))
import pkcs7_factory  # noqa: E402

env["hvac.chorus.connection.certificate"].create(
    {
        "sheet_id": sheet.id,
        "role": "client",
        "file": base64.b64encode(pkcs7_factory.bundle(*pkcs7_factory.make_chain())),
        "filename": "client.p7b",
    }
)
# What Chorus Pro lists, kept a week per company.
env["hvac.chorus.attachment.type"].create(
    [
        {"company_id": company.id, "code": code, "name": name, "fetched_at": datetime.now()}
        for code, name in (("01", "Bon de livraison"), ("02", "Procès-verbal de réception"))
    ]
)
env["hvac.chorus.exemption.reason"].create(
    [
        {
            "company_id": company.id,
            "code": "TVA_NON_APPLICABLE",
            "name": "TVA non applicable, art. 293 B du CGI",
            "fetched_at": datetime.now(),
        }
    ]
)

# --- sharing: a second company, a connection, shares received and processed --------------------
partner_co = env["res.company"].create({"name": "Clim Partenaire SARL"})
set_siret(partner_co.partner_id, luhn_siret("88"))
secret = uuid.uuid4().hex
with protected("hvac.connection"):
    ours = env["hvac.connection"].create(
        {
            "company_id": company.id,
            "state": "active",
            "side": "inviter",
            "peer_public_id": uuid.uuid4().hex,
            "peer_url": "https://partenaire.example.fr",
            "peer_company_name": partner_co.name,
            "peer_siret": partner_co.siret,
            "secret": secret,
        }
    )
    theirs = env["hvac.connection"].create(
        {
            "company_id": partner_co.id,
            "state": "active",
            "side": "invitee",
            "peer_public_id": ours.public_id,
            "peer_url": "https://froid-rhone.example.fr",
            "peer_company_name": company.name,
            "peer_siret": company.siret,
            "secret": secret,
        }
    )
env["hvac.connection.nonce"].create([{"connection_id": ours.id, "nonce": uuid.uuid4().hex} for _n in range(3)])
env["hvac.connection.outbox"].sudo().create(
    {"connection_id": ours.id, "path": "/hvac/share/v1/ping", "payload": {"hello": 1}, "state": "done"}
)
shared = installations[:10]
with protected("hvac.share"):
    owner_share = env["hvac.share"].create(
        {
            "name": "Partage parc Lyon",
            "connection_id": ours.id,
            "side": "owner",
            "state": "available",
            "peer_share_id": uuid.uuid4().hex,
            "level_requested": "customer",
            "level": "installation",
            "role": "subcontractor",
            "installation_ids": [(6, 0, shared.ids)],
            "granted_at": datetime.now() - timedelta(days=3),
            "page_count": 1,
        }
    )
    # Made as an owner's share, then turned: created as the requester's, it would be sent.
    requester_share = env["hvac.share"].create(
        {
            "name": "Partage parc Lyon",
            "connection_id": theirs.id,
            "side": "owner",
            "state": "processed",
            "peer_share_id": owner_share.public_id,
            "level_requested": "customer",
            "level": "installation",
            "role": "subcontractor",
            "granted_at": datetime.now() - timedelta(days=3),
            "page_count": 1,
            "transferred_at": datetime.now() - timedelta(days=2),
        }
    )
    requester_share.write({"side": "requester"})
env["hvac.share.page"].sudo().create(
    {
        "share_id": requester_share.id,
        "number": 0,
        "data": {"installations": [{"ref": i.public_token} for i in shared]},
        "size_bytes": 1000,
    }
)
their_customer = env["res.partner"].create(
    {"name": "Client 0 SAS (copie)", "is_company": True, "company_id": partner_co.id}
)
their_site = env["hvac.site"].create({"name": "Site 0", "partner_id": their_customer.id, "company_id": partner_co.id})
copies = env["hvac.installation"].create(
    [
        {
            "name": inst.name,
            "building_id": their_site.building_ids[:1].id,
            "refrigerant_id": inst.refrigerant_id.id,
            "charge_kg": inst.charge_kg,
            "serial_number": inst.serial_number,
            "shared_from_share_id": requester_share.id,
            "shared_from_ref": inst.public_token,
        }
        for inst in shared
    ]
)
env["hvac.share.mapping"].sudo().create(
    [
        {
            "share_id": requester_share.id,
            "kind": "installation",
            "ref": inst.public_token,
            "received_name": inst.name,
            "installation_id": copy.id,
        }
        for inst, copy in zip(shared, copies, strict=False)
    ]
)
history = []
for n, (inst, copy) in enumerate(zip(shared, copies, strict=False)):
    history.append(
        {
            "installation_id": copy.id,
            "author_company": company.name,
            "number": f"FI/UPG/H{n}",
            "date": str(today - timedelta(days=40)),
            "nature": "periodic_check",
            "charged_kg": 0.0,
            "recovered_kg": 0.0,
            "idempotency_key": uuid.uuid4().hex,
            "connection_id": theirs.id,
        }
    )
    history.append(
        {
            "installation_id": inst.id,
            "author_company": partner_co.name,
            "number": f"FI/PART/{n}",
            "date": str(today - timedelta(days=10)),
            "nature": "maintenance",
            "charged_kg": 0.3,
            "recovered_kg": 0.0,
            "idempotency_key": uuid.uuid4().hex,
            "connection_id": ours.id,
        }
    )
received = env["hvac.shared.intervention"].sudo().create(history)
# Interventions received before the connection was recorded on them (the field came later):
# the upgrade must give them their connection back.
env.cr.execute("UPDATE hvac_shared_intervention SET connection_id = NULL WHERE id IN %s", [tuple(received[::3].ids)])

# --- the annual fluid balance of last year ------------------------------------------------------
balance = env["hvac.fluid.balance"].create({"year": today.year - 1, "company_id": company.id})
balance.action_compute()

env.flush_all()
env.cr.commit()
counts = {
    model: env[model].sudo().with_context(active_test=False).search_count([])
    for model in (
        "hvac.installation",
        "hvac.intervention",
        "hvac.container.move",
        "hvac.bsff",
        "hvac.bsff.packaging",
        "account.move",
        "hvac.chorus.flow",
        "hvac.share",
        "hvac.shared.intervention",
        "hvac.fluid.balance.line",
    )
}
print("filled:", ", ".join(f"{model} {count}" for model, count in counts.items()))
