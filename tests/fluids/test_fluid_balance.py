import io
import random
import subprocess
import zipfile
from collections import defaultdict
from datetime import date, datetime, timedelta

import openpyxl

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, tagged

from ..common import HvacConnectCase

YEAR = 2025
START, END = date(YEAR, 1, 1), date(YEAR + 1, 1, 1)
FICHE_KEYS = (
    "charged_virgin_kg",
    "charged_recycled_kg",
    "charged_reclaimed_kg",
    "recovered_treatment_kg",
    "recovered_reuse_kg",
)


@tagged("post_install", "-at_install")
class TestFluidBalance(HvacConnectCase):
    """A year of generated fiches; the expected balance is summed here, record by record, in Python."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.r32 = cls.env.ref("hvac_connect.refrigerant_r_32")
        cls.inst_410 = cls.make_installation(name="Rooftop R-410A", charge=10.0)
        cls.inst_32 = cls.make_installation(name="PAC R-32", charge=10.0, fluid=cls.r32)
        Container = cls.env["hvac.container"]
        cls.c1 = Container.create(
            {
                "name": "BV-410-01",
                "refrigerant_id": cls.fluid.id,
                "state": "virgin",
                "capacity_kg": 50,
                "initial_weight_kg": 20,
                "registered_on": date(2024, 6, 1),
            }
        )
        cls.c2 = Container.create(
            {
                "name": "BR-410-02",
                "refrigerant_id": cls.fluid.id,
                "state": "recovered",
                "capacity_kg": 50,
                "initial_weight_kg": 0,
                "registered_on": date(2024, 1, 1),
            }
        )
        cls.c3 = Container.create(
            {
                "name": "BR-32-03",
                "refrigerant_id": cls.r32.id,
                "state": "recovered",
                "capacity_kg": 60,
                "initial_weight_kg": 10,
                "registered_on": date(2025, 3, 1),
            }
        )
        cls.c4 = Container.create(
            {
                "name": "BV-410-04",
                "refrigerant_id": cls.fluid.id,
                "state": "virgin",
                "capacity_kg": 50,
                "initial_weight_kg": 5,
                "registered_on": date(2025, 5, 1),
            }
        )
        cls.c5 = Container.create(
            {"name": "B-INCONNUE", "capacity_kg": 20, "initial_weight_kg": 3, "state": "recovered"}
        )
        cls.expected = defaultdict(lambda: defaultdict(float))
        cls._generate_fiches()
        cls._generate_bsff()

    @classmethod
    def _fiche(cls, installation, day, moves=(), **quantities):
        fiche = cls.make_intervention(installation, date=day, nature="maintenance", **quantities)
        for container, direction, qty in moves:
            cls.env["hvac.container.move"].create(
                {"intervention_id": fiche.id, "container_id": container.id, "direction": direction, "quantity_kg": qty}
            )
        fiche.action_done()
        return fiche

    @classmethod
    def _generate_fiches(cls):
        rng = random.Random(YEAR)
        exp = cls.expected
        start_410 = end_410 = 0.0
        fills_32_in_year = 0.0
        for i in range(40):
            installation = cls.inst_410 if i % 2 else cls.inst_32
            fluid = installation.refrigerant_id
            day = date(2024, 12, 1) + timedelta(days=rng.randint(0, 425))
            qty = {
                "charged_virgin_kg": round(rng.uniform(0, 0.9), 3),
                "charged_recycled_kg": round(rng.uniform(0, 0.5), 3),
                "charged_reclaimed_kg": round(rng.uniform(0, 0.5), 3),
                "recovered_treatment_kg": round(rng.uniform(0, 2), 3),
                "recovered_reuse_kg": round(rng.uniform(0, 1), 3),
            }
            moves = []
            # The Cerfa's rule: what went into containers is D+E, what came out of them A+B+C.
            recovered = round(qty["recovered_treatment_kg"] + qty["recovered_reuse_kg"], 3)
            if fluid == cls.fluid:
                # Charged from our virgin cylinder only (no recycled or reclaimed one is followed).
                qty.update(charged_recycled_kg=0.0, charged_reclaimed_kg=0.0)
                moves = [(cls.c1, "empty", qty["charged_virgin_kg"]), (cls.c2, "fill", recovered)]
                if day < START:
                    start_410 += recovered - qty["charged_virgin_kg"]
                if day < END:
                    end_410 += recovered - qty["charged_virgin_kg"]
            elif day >= cls.c3.registered_on:
                moves = [(cls.c3, "fill", recovered)]
                if day < END:
                    fills_32_in_year += recovered
            else:
                # Before its recovery cylinder existed, nothing was recovered on the R-32 unit.
                qty.update(recovered_treatment_kg=0.0, recovered_reuse_kg=0.0)
            cls._fiche(installation, day, [m for m in moves if m[2] > 0], **qty)
            if START <= day < END:
                for key in FICHE_KEYS:
                    exp[fluid.id][key] += qty[key]
        # Not counted: another attestation, a cancelled fiche, a draft.
        cls._fiche(cls.inst_410, date(YEAR, 4, 2), capacity_number="CAP-2019-0007", charged_virgin_kg=7.0)
        cls._fiche(cls.inst_410, date(YEAR, 4, 3), charged_virgin_kg=9.0).action_cancel()
        cls.make_intervention(cls.inst_410, date=date(YEAR, 4, 4), charged_virgin_kg=11.0)
        # Container 4 was used on 1 February, weighed on 1 May: its start content is unknown (counted in charges only).
        cls._fiche(cls.inst_410, date(YEAR, 2, 1), [(cls.c4, "empty", 1.0)], charged_virgin_kg=1.0)
        exp[cls.fluid.id]["charged_virgin_kg"] += 1.0
        exp[cls.fluid.id]["stock_start_kg"] = 20.0 + start_410
        exp[cls.fluid.id]["stock_end_kg"] = 20.0 + end_410 - 5.0  # 5 kg of container 2 left on a BSFF
        exp[cls.r32.id]["stock_start_kg"] = 0.0
        exp[cls.r32.id]["stock_end_kg"] = 10.0 + fills_32_in_year

    @classmethod
    def _generate_bsff(cls):
        Bsff = cls.env["hvac.bsff"]
        treatment = cls.env["res.partner"].create(
            {"name": "Centre de traitement Rhône", "is_company": True, "siret": "55208131766522"}
        )
        distributor = cls.env["res.partner"].create(
            {
                "name": "Distributeur Froid Lyon",
                "is_company": True,
                "siret": "44306184100047",
                "hvac_fluid_distributor": True,
            }
        )
        for destination, taken_over, container, weight in (
            (treatment, datetime(YEAR, 6, 15, 9), cls.c2, 5.0),
            (distributor, datetime(YEAR, 9, 1, 14), False, 2.5),
            (treatment, datetime(YEAR + 1, 1, 5, 8), False, 4.0),  # next year: not counted
        ):
            # BSFF already handed over: Trackdéchets' dates come through the module's own path.
            Bsff._hvac_create_protected(
                {
                    "refrigerant_id": cls.fluid.id,
                    "destination_partner_id": destination.id,
                    "transport_taken_over_at": taken_over,
                    "packaging_ids": [
                        (
                            0,
                            0,
                            {
                                "numero": container.name if container else "B-EXT",
                                "weight_kg": weight,
                                "container_id": container and container.id,
                            },
                        )
                    ],
                }
            )
        cls.expected[cls.fluid.id]["handed_treatment_kg"] += 5.0
        cls.expected[cls.fluid.id]["handed_distributor_kg"] += 2.5

    def _balance(self):
        balance = self.env["hvac.fluid.balance"].with_user(self.manager).create({"year": YEAR})
        balance.action_compute()
        return balance

    def test_balance_matches_the_fiches(self):
        balance = self._balance()
        self.assertEqual(balance.capacity_number, "CAP-2024-0042")
        self.assertEqual(set(balance.line_ids.refrigerant_id.ids), {self.fluid.id, self.r32.id})
        for line in balance.line_ids:
            expected = self.expected[line.refrigerant_id.id]
            for key in (*FICHE_KEYS, "handed_distributor_kg", "handed_treatment_kg", "stock_start_kg", "stock_end_kg"):
                self.assertAlmostEqual(line[key], expected[key], places=3, msg=f"{line.refrigerant_id.name} {key}")

    def test_things_to_fix_listed_not_guessed(self):
        balance = self._balance()
        self.assertEqual(balance.issue_container_ids, self.c4 | self.c5)
        self.assertIn("BV-410-04", balance.issues)
        self.assertIn("B-INCONNUE", balance.issues)

    def test_drill_down_to_the_records(self):
        balance = self._balance()
        line = balance.line_ids.filtered(lambda ln: ln.refrigerant_id == self.fluid)
        fiches = self.env["hvac.intervention"].search(line.action_open_fiches()["domain"])
        self.assertAlmostEqual(sum(fiches.mapped("charged_virgin_kg")), line.charged_virgin_kg, places=3)
        self.assertTrue(all(f.state == "done" and f.date.year == YEAR for f in fiches))
        bsffs = self.env["hvac.bsff"].search(line.action_open_bsff()["domain"])
        self.assertEqual(len(bsffs), 2)
        containers = self.env["hvac.container"].search(line.action_open_containers()["domain"])
        self.assertEqual(containers, self.c1 | self.c2 | self.c4)

    def test_compute_uses_aggregates_not_queries_per_record(self):
        balance = self.env["hvac.fluid.balance"].with_user(self.manager).create({"year": YEAR})
        balance.action_compute()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=40):
            balance.with_user(self.env.ref("base.user_root")).action_compute()

    def test_pdf_and_xlsx_in_french(self):
        balance = self._balance()
        report = self.env.ref("hvac_connect.action_report_hvac_fluid_balance")
        html = report._render_qweb_html(report.report_name, balance.ids)[0].decode()
        self.assertIn("Bilan annuel des fluides frigorigènes", html)
        self.assertIn("R-410A", html)
        self.assertIn("CAP-2024-0042", html)
        self.env["res.lang"]._activate_lang("fr_FR")
        html_fr = report.with_context(lang="fr_FR")._render_qweb_html(report.report_name, balance.ids)[0].decode()
        self.assertRegex(html_fr, r">\s*\d+,\d{3}\s*<", "quantities written the French way (0,800)")
        action = balance.action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        with zipfile.ZipFile(io.BytesIO(attachment.raw)) as archive:
            strings = archive.read("xl/sharedStrings.xml").decode()
        self.assertIn("Stock au 1er janvier", strings)
        self.assertIn("R-410A", strings)

    def test_technicians_cannot_read_or_compute(self):
        with self.assertRaises(AccessError):
            self.env["hvac.fluid.balance"].with_user(self.technician).create({"year": YEAR})
        balance = self._balance()
        with self.assertRaises(AccessError):
            balance.with_user(self.technician).read(["line_ids"])
        with self.assertRaises(AccessError):
            balance.line_ids[0].with_user(self.technician).sudo(False).action_open_fiches()


@tagged("post_install", "-at_install")
class TestFluidBalanceFormats(HvacConnectCase, HttpCase):
    """Years and dates as a French manager reads them, on screen, in the PDF and in the xlsx.
    An HttpCase: wkhtmltopdf fetches the report's assets from the running test server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.env["ir.module.module"]._load_module_terms(["hvac_connect"], ["fr_FR"], overwrite=True)
        cls.manager.lang = "fr_FR"
        # Weighed on 19 October, yet charged from on 3 June: its stock on 1 January is unknown.
        bottle = cls.env["hvac.container"].create(
            {
                "name": "BV-410-09",
                "refrigerant_id": cls.fluid.id,
                "state": "virgin",
                "capacity_kg": 50,
                "initial_weight_kg": 20,
                "registered_on": date(YEAR, 10, 19),
            }
        )
        fiche = cls.make_intervention(
            cls.make_installation(charge=12.0),
            date=date(YEAR, 6, 3),
            nature="maintenance",
            charged_virgin_kg=1.0,
            container_move_ids=[(0, 0, {"container_id": bottle.id, "direction": "empty", "quantity_kg": 1.0})],
        )
        fiche.action_done()
        # As the web client calls it: the user's language in the context.
        cls.balance = (
            cls.env["hvac.fluid.balance"].with_user(cls.manager).with_context(lang="fr_FR").create({"year": YEAR})
        )
        cls.balance.action_compute()

    def test_the_issue_dates_in_french(self):
        self.assertIn("03/06/2025", self.balance.issues)
        self.assertIn("19/10/2025", self.balance.issues)
        self.assertNotIn("2025-06-03", self.balance.issues)
        self.assertNotIn("2025-10-19", self.balance.issues)

    def test_pdf_year_and_dates(self):
        self.env.company.external_report_layout_id = False
        action = self.balance.with_user(self.env.ref("base.user_admin")).action_print()
        self.assertEqual(action["type"], "ir.actions.report", "no document-layout dialog at the first print")
        report = self.env.ref("hvac_connect.action_report_hvac_fluid_balance")
        pdf, _kind = report.with_context(force_report_rendering=True, lang="fr_FR")._render_qweb_pdf(
            report.report_name, self.balance.ids
        )
        text = " ".join(
            subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60)
            .stdout.decode()
            .split()
        )
        self.assertIn("année 2025", text)
        self.assertIn("du 01/01/2025 au 31/12/2025", text)
        self.assertIn("03/06/2025", text)
        self.assertIn("19/10/2025", text)
        self.assertNotRegex(text, r"2[ ,.\u202f\u00a0]025|\d{4}-\d{2}-\d{2}", "no '2 025', no ISO date")

    def test_xlsx_year_and_dates(self):
        action = self.balance.with_user(self.manager).action_export_xlsx()
        attachment = self.env["ir.attachment"].browse(int(action["url"].split("/")[3].split("?")[0]))
        sheet = openpyxl.load_workbook(io.BytesIO(attachment.raw)).active
        cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
        text = "\n".join(cells)
        self.assertIn("Bilan annuel des fluides frigorigènes 2025", text)
        self.assertIn("03/06/2025", text)
        self.assertIn("19/10/2025", text)
        self.assertNotRegex(text, r"\d{4}-\d{2}-\d{2}")

    def test_year_is_not_a_quantity(self):
        fields = self.env["hvac.fluid.balance"].fields_get(["year"])
        self.assertFalse(fields["year"].get("aggregator"), "years are not summed in groups")
        arch = self.env["hvac.fluid.balance"].get_view(view_type="list")["arch"]
        self.assertIn("enable_formatting", arch)
