"""The contractor the benchmarks under load work for, and Odoo running as production runs it.

``build(env, user_count)`` fills the benchmark database: Froid Rhône Services (a valid SIRET, the French
chart of accounts, Chorus Pro credentials), a public buyer known to Chorus Pro, a treatment centre
and a transporter known to Trackdéchets, ``user_count`` technicians, office users (with their
Trackdéchets keys) and holders (portal users), customers with their sites and installations,
recovery cylinders and validated dismantlings ready to go on a BSFF; the tests' fake Trackdéchets
and Chorus Pro on loopback stand for the real ones. ``start_server`` starts a second ``odoo-bin``
on that database with workers, in its own process group, and ``stop_server`` stops it whole.
"""

import base64
import os
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import requests

from odoo.tools import config

import odoo.addons.hvac_connect as hvac_connect

# A top-level import: importing the tests package would pull Odoo's test framework into the shell.
sys.path.insert(0, str(Path(hvac_connect.__file__).parent / "tests"))
import chorus_fake  # noqa: E402
import odoo_peer  # noqa: E402
import trackdechets_fake  # noqa: E402

OUR_SIRET, BUYER_SIRET = "85200000900013", "21690123100011"
DESTINATION_SIRET, TRANSPORTER_SIRET = "26690027300019", "44306184100047"
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c63600000000200015e2e4d3b0000000049454e44ae426082"
    )
).decode()


def build(env, user_count):
    today = date.today()
    # --- the fakes and the company --------------------------------------------------------------------
    td = trackdechets_fake.FakeTrackdechets().start()
    chorus = chorus_fake.FakeChorus().start()
    params = env["ir.config_parameter"].sudo()
    params.set_param("hvac_connect.trackdechets_endpoint", td.url)
    params.set_param("hvac_connect.trackdechets_timeout", "10")
    params.set_param("hvac_connect.chorus_token_url", f"{chorus.url}/api/oauth/token")
    params.set_param("hvac_connect.chorus_api_url", chorus.url)
    fr = env.ref("base.fr")
    company = env.company
    company.write(
        {
            "name": "Froid Rhône Services",
            "street": "12 rue du Froid",
            "zip": "69007",
            "city": "Lyon",
            "country_id": fr.id,
            "phone": "+33 4 72 00 00 00",
            "email": "contact@froid-rhone.fr",
            "vat": "FR84852000009",
            "hvac_capacity_number": "FR-2024-0042",
            "hvac_capacity_category": "I",
            "hvac_capacity_valid_until": today + timedelta(days=900),
            "hvac_detector_reference": "Testo 316-3 n° 41022",
            "hvac_detector_check_date": today - timedelta(days=60),
        }
    )
    company._hvac_demo_siret(company.ids, OUR_SIRET)
    company._hvac_demo_french_chart()  # French VAT for the invoices
    env["res.partner.bank"].create(
        {"acc_number": "FR7630006000011234567890189", "partner_id": company.partner_id.id, "allow_out_payment": True}
    )
    company.sudo().write(
        {
            "hvac_chorus_environment": "qualification",
            "hvac_chorus_piste_client_id": "piste-id",
            "hvac_chorus_piste_client_secret": "piste-secret",
            "hvac_chorus_login": "TECH_hvac@cpro.fr",
            "hvac_chorus_password": "Pass-1234",
        }
    )
    company._hvac_chorus_test_connection()
    buyer = env["res.partner"].create(
        {
            "name": "Métropole de Lyon",
            "is_company": True,
            "street": "20 rue du Lac",
            "zip": "69003",
            "city": "Lyon",
            "country_id": fr.id,
        }
    )
    buyer._hvac_demo_siret(buyer.ids, BUYER_SIRET) if hasattr(buyer, "_hvac_demo_siret") else buyer.write(
        {"siret": BUYER_SIRET}
    )
    chorus.add_structure(
        BUYER_SIRET,
        "Métropole de Lyon",
        address={"adresse": "20 rue du Lac", "codePostal": "69003", "ville": "Lyon", "pays": "FR"},
    )
    # Looked up as the Chorus Pro lookup does (the shell's superuser holds no Chorus right).
    buyer._hvac_chorus_refresh(company._hvac_chorus_client())
    destination = env["res.partner"].create(
        {
            "name": "Régénération Rhône",
            "is_company": True,
            "street": "1 avenue de l'Industrie",
            "zip": "69190",
            "city": "Saint-Fons",
            "country_id": fr.id,
            "phone": "+33 4 78 11 22 33",
            "email": "reception@regeneration-rhone.fr",
            "hvac_fluid_treatment": True,
        }
    )
    destination.write({"siret": DESTINATION_SIRET})
    transporter = env["res.partner"].create(
        {
            "name": "Transports Alpes",
            "is_company": True,
            "street": "4 rue des Routiers",
            "zip": "69100",
            "city": "Villeurbanne",
            "country_id": fr.id,
            "phone": "+33 4 78 44 55 66",
            "email": "exploitation@transports-alpes.fr",
        }
    )
    transporter.write({"siret": TRANSPORTER_SIRET})
    td.add_company(DESTINATION_SIRET, "Régénération Rhône", ["WASTEPROCESSOR"])
    td.add_company(
        TRANSPORTER_SIRET,
        "Transports Alpes",
        ["TRANSPORTER"],
        {"receiptNumber": "REC-69-001", "department": "69", "validityLimit": "2030-06-30T00:00:00Z"},
    )

    # --- people -----------------------------------------------------------------------------------------

    def users(prefix, count, groups, **values):
        return env["res.users"].create(
            [
                {
                    "name": f"{prefix.title()} {n}",
                    "login": f"{prefix}{n}",
                    "password": f"{prefix}{n}-bench",
                    "email": f"{prefix}{n}@froid-rhone.fr",
                    "phone": "+33 6 00 00 00 %02d" % (n % 100),
                    "groups_id": [(6, 0, [env.ref(g).id for g in groups])],
                    **values,
                }
                for n in range(count)
            ]
        )

    technicians = users("tech", user_count, ["base.group_user", "hvac_connect.group_hvac_user"])
    office = users(
        "office",
        user_count,
        [
            "base.group_user",
            "hvac_connect.group_hvac_manager",
            "hvac_connect.group_trackdechets_full",
            "hvac_connect.group_chorus_user",
            "account.group_account_invoice",
        ],
    )
    for user in office:
        td.add_user(f"token-{user.login}", user.email, [OUR_SIRET], user.name)
        user.hvac_trackdechets_token = f"token-{user.login}"
    office[0].with_user(office[0]).action_hvac_designate_trackdechets_contact()
    # Whoever validates a fiche holds an attestation d'aptitude that covers it.
    env["hvac.qualification"].create(
        [
            {
                "user_id": user.id,
                "category": "I",
                "issuer": "Bureau Veritas",
                "name": f"AA-{user.id}",
                "date_issued": today - timedelta(days=365),
            }
            for user in technicians | office
        ]
    )

    # --- customers, installations, containers, fiches ---------------------------------------------------

    def luhn_completed(digits):
        """``digits`` followed by the digit that makes the whole pass the Luhn check (SIREN, SIRET)."""
        total = sum(sum(divmod(int(d) * (2 if i % 2 == 0 else 1), 10)) for i, d in enumerate(reversed(digits)))
        return digits + str((10 - total % 10) % 10)

    # The holders are the BSFF's détenteurs: Trackdéchets wants their SIRET and phone.
    customers = env["res.partner"].create(
        [
            {
                "name": f"Client {n}",
                "is_company": True,
                "street": f"{n + 1} rue Garibaldi",
                "zip": "69003",
                "city": "Lyon",
                "country_id": fr.id,
                "email": f"client{n}@exemple.fr",
                "phone": "+33 4 78 60 %02d %02d" % (n, n),
            }
            for n in range(20)
        ]
    )
    for n, customer in enumerate(customers):
        customer.write({"siret": luhn_completed(luhn_completed(f"4{n:02d}00000") + "0001")})
    env["res.users"].create(
        [
            {
                "name": f"Détenteur {n}",
                "login": f"holder{n}",
                "password": f"holder{n}-bench",
                "partner_id": env["res.partner"]
                .create({"name": f"Contact {n}", "parent_id": customers[n % 20].id, "email": f"holder{n}@exemple.fr"})
                .id,
                "groups_id": [(6, 0, [env.ref("base.group_portal").id])],
            }
            for n in range(user_count)
        ]
    )
    sites = env["hvac.site"].create(
        [
            {
                "name": f"Site {n}",
                "partner_id": customers[n % 20].id,
                "street": f"{n} quai Perrache",
                "zip": "69002",
                "city": "Lyon",
            }
            for n in range(40)
        ]
    )
    fluid = env.ref("hvac_connect.refrigerant_r_410a")
    # Fewer installations than technicians: several technicians work on the same installation.
    installations = env["hvac.installation"].create(
        [
            {
                "name": f"Groupe {n}",
                "building_id": sites[n % 40].building_ids[:1].id,
                "refrigerant_id": fluid.id,
                "charge_kg": 12.0,
                "serial_number": f"SN-{n:05d}",
                "technician_id": technicians[n % len(technicians)].id,
            }
            for n in range(max(user_count // 2, 5))
        ]
    )
    containers = env["hvac.container"].create(
        [
            {
                "name": f"BT-{n:03d}",
                "refrigerant_id": fluid.id,
                "capacity_kg": 10_000.0,
                "volume_l": 52.0,
                "initial_weight_kg": 0.0,
                "state": "recovered",
            }
            for n in range(user_count)
        ]
    )
    # Dismantlings already validated, their fluid in recovery cylinders: what the office sends as BSFF.
    with env["hvac.intervention"]._hvac_protected():
        recoveries = env["hvac.intervention"].create(
            [
                {
                    "installation_id": installations[n % len(installations)].id,
                    "nature": "dismantling",
                    "state": "done",
                    "name": f"FI/BENCH/{n:05d}",
                    "date": today - timedelta(days=2),
                    "recovered_treatment_kg": 2.0,
                    "destination_partner_id": destination.id,
                    "container_move_ids": [
                        (
                            0,
                            0,
                            {
                                "container_id": containers[n % len(containers)].id,
                                "direction": "fill",
                                "quantity_kg": 2.0,
                            },
                        )
                    ],
                }
                for n in range(user_count * 40)
            ]
        )
    env.cr.commit()
    return SimpleNamespace(
        td=td,
        chorus=chorus,
        buyer=buyer,
        destination=destination,
        transporter=transporter,
        office=office,
        installations=installations,
        recoveries=recoveries,
    )


def start_server(env, name, *options):
    """``odoo-bin`` on the benchmark database with ``options`` (workers, limits); its process,
    URL and log file once it answers."""
    logdir = Path(config["data_dir"]) / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    logfile = str(logdir / f"{name}-{time.strftime('%Y%m%d-%H%M%S')}.log")
    server = odoo_peer.OdooPeer(env.cr.dbname, logfile)
    command = server._command(
        "--http-port",
        str(server.port),
        "--http-interface",
        "127.0.0.1",
        "--db-filter",
        f"^{env.cr.dbname}$",
        "--log-level",
        "info",
        "--logfile",
        logfile,
        *options,
    )
    # Its own process group: stopping it stops its workers too, a cron worker busy in a job included.
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, start_new_session=True)  # noqa: S603 - our own Odoo
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{server.url}/web/login", timeout=5).status_code == 200:
                return process, server.url, logfile
        except requests.RequestException:
            pass
        time.sleep(1)
    stop_server(process)
    raise SystemExit(f"the server did not start (see {logfile})")


def stop_server(process):
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
