"""Shared set-up for hvac_connect tests: own companies, users and records, no demo data."""

import base64
import io

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
        cls.customer = cls.env["res.partner"].create({"name": "Clinique du Parc", "is_company": True})
        cls.site = cls.env["hvac.site"].create({"name": "Clinique", "partner_id": cls.customer.id, "zip": "69003"})
        cls.building = cls.site.building_ids

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
    def make_intervention(cls, installation, **vals):
        return cls.env["hvac.intervention"].create({"installation_id": installation.id, **SIGNED, **vals})


def siret_vals(record, siret):
    """Values giving ``record`` (a partner or a company) this SIRET. Under OCA's
    l10n_fr_siret, ``siret`` is computed from ``siren`` + ``nic`` (read-only on companies):
    write those when they exist, so the tests run the same beside OCA's Chorus modules."""
    if "siren" in record._fields and "nic" in record._fields:
        return {"siren": siret and siret[:9], "nic": siret and siret[9:]}
    return {"siret": siret}


def set_siret(record, siret):
    record.write(siret_vals(record, siret))
