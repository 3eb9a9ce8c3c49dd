"""Shared set-up for hvac_connect tests: own companies, users and records, no demo data."""

import base64
import io
from datetime import date

from dateutil.relativedelta import relativedelta
from PIL import Image, ImageDraw

from odoo.tests import TransactionCase, new_test_user


def _signature_png():
    """A drawn signature as the signature widget stores it: a base64 PNG."""
    image = Image.new("RGB", (240, 80), "white")
    ImageDraw.Draw(image).line([(10, 60), (70, 15), (120, 65), (180, 20), (230, 50)], fill="navy", width=4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return base64.b64encode(buffer.getvalue()).decode()


# Validating a fiche needs the operator's signature: test fiches are signed unless a test says otherwise.
SIGNATURE_PNG = _signature_png()
SIGNED = {"operator_signature": SIGNATURE_PNG, "operator_signatory": "Julien Martin"}


class HvacConnectCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company.write({"hvac_capacity_number": "CAP-2024-0042", "hvac_capacity_category": "I"})
        cls.company.write(cls.cerfa_company_values())
        cls.fluid = cls.env.ref("hvac_connect.refrigerant_r_410a")
        cls.manager = new_test_user(
            cls.env,
            "hvac_manager",
            groups="base.group_user,hvac_connect.group_hvac_manager",
            company_id=cls.company.id,
        )
        cls.technician = new_test_user(
            cls.env,
            "hvac_tech",
            groups="base.group_user,hvac_connect.group_hvac_user",
            company_id=cls.company.id,
        )
        # Whoever validates a fiche in these tests holds a category I attestation d'aptitude.
        cls.attest(cls.env.user | cls.manager | cls.technician)
        cls.customer = cls.env["res.partner"].create({"name": "Clinique du Parc", "is_company": True})
        cls.site = cls.env["hvac.site"].create({"name": "Clinique", "partner_id": cls.customer.id, "zip": "69003"})
        cls.building = cls.site.building_ids

    @classmethod
    def attest(cls, users, category="I", **vals):
        """An attestation d'aptitude of ``category`` for each of ``users``, issued long ago."""
        return cls.env["hvac.qualification"].create(
            [
                {
                    "user_id": user.id,
                    "category": category,
                    "name": f"APT-{category}-{user.id:05d}",
                    "issuer": "Bureau Veritas Certification France",
                    "date_issued": date(2015, 1, 1),
                    **vals,
                }
                for user in users
            ]
        )

    @classmethod
    def make_installation(cls, charge=10.0, fluid=None, **vals):
        return cls.env["hvac.installation"].create(
            {
                "name": vals.pop("name", "Groupe froid"),
                "building_id": vals.pop("building_id", cls.building.id),
                "refrigerant_id": (fluid or cls.fluid).id,
                "charge_kg": charge,
                **vals,
            }
        )

    @classmethod
    def cerfa_company_values(cls):
        """What a company needs for its fiches to pass the Cerfa checks: attestation, detector."""
        today = date.today()
        return {
            "hvac_capacity_valid_until": today + relativedelta(years=3),
            "hvac_detector_reference": "Testo 316-3 n° 41022",
            "hvac_detector_check_date": today - relativedelta(months=2),
        }

    @classmethod
    def make_intervention(cls, installation, **vals):
        # Recovered fluid needs its destination (cadre 13): a treatment centre by default.
        if (
            vals.get("recovered_treatment_kg") or vals.get("recovered_reuse_kg")
        ) and "destination_partner_id" not in vals:
            vals["destination_partner_id"] = cls.cerfa_destination().id
        return cls.env["hvac.intervention"].create({"installation_id": installation.id, **SIGNED, **vals})

    @classmethod
    def cerfa_destination(cls):
        partner = cls.env["res.partner"].search([("name", "=", "Climalife Dehon Service")], limit=1)
        return partner or cls.env["res.partner"].create(
            {
                "name": "Climalife Dehon Service",
                "is_company": True,
                "street": "26 avenue du Petit Parc",
                "zip": "94300",
                "city": "Vincennes",
                "hvac_fluid_treatment": True,
            }
        )


def siret_vals(record, siret):
    """Values giving ``record`` (a partner or a company) this SIRET. Under OCA's
    l10n_fr_siret, ``siret`` is computed from ``siren`` + ``nic`` (read-only on companies):
    write those when they exist, so the tests run the same beside OCA's Chorus modules."""
    if "siren" in record._fields and "nic" in record._fields:
        return {"siren": siret and siret[:9], "nic": siret and siret[9:]}
    return {"siret": siret}


def set_siret(record, siret):
    record.write(siret_vals(record, siret))
