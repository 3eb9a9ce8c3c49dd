"""A validated fiche keeps the "Pour le compte de" it was validated with. Fiches validated before
this version had it worked out at print time: they get it from the share as it stands today
(the best there is), once, and keep it from then on."""

from odoo import SUPERUSER_ID, api

from odoo.addons.hvac_connect.models.common.hvac_lifecycle_mixin import hvac_protected_path
from odoo.addons.hvac_connect.models.sharing.hvac_intervention import ON_BEHALF_FIELDS


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    fiches = env["hvac.intervention"].search(
        [("state", "!=", "draft"), ("name", "!=", "/"), ("on_behalf_name", "=", False)]
    )
    with hvac_protected_path():
        for installation in fiches.installation_id:
            owner = installation._hvac_on_behalf()
            if owner:
                fiches.filtered(lambda f, i=installation: f.installation_id == i).write(
                    {field: owner.get(key) or False for field, key in ON_BEHALF_FIELDS.items()}
                )
