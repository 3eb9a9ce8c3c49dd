from odoo import _, _lt, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from ...clients.trackdechets import TrackdechetsError
from ..common.siret import siret_digits

COMPANY_TYPES = {
    "PRODUCER": _lt("Waste producer"),
    "COLLECTOR": _lt("Sorting, transit, grouping (TTR)"),
    "WASTEPROCESSOR": _lt("Treatment facility"),
    "TRANSPORTER": _lt("Transporter"),
    "WASTE_VEHICLES": _lt("End-of-life vehicle facility"),
    "WASTE_CENTER": _lt("Waste collection centre"),
    "TRADER": _lt("Trader"),
    "BROKER": _lt("Broker"),
    "ECO_ORGANISME": _lt("Eco-organisation"),
    "WORKER": _lt("Works company"),
    "INTERMEDIARY": _lt("Intermediary"),
    "DISPOSAL_FACILITY": _lt("Disposal facility"),
    "RECOVERY_FACILITY": _lt("Recovery facility"),
}
DESTINATION_PROFILES = {"COLLECTOR", "WASTEPROCESSOR", "WASTE_CENTER", "WASTE_VEHICLES"}


class ResPartner(models.Model):
    """What Trackdéchets says of a partner, kept to warn before a BSFF is sent (research §5)."""

    _inherit = "res.partner"

    hvac_td_checked_at = fields.Datetime("Checked on Trackdéchets on", readonly=True, copy=False)
    hvac_td_registered = fields.Boolean("Registered on Trackdéchets", readonly=True, copy=False)
    hvac_td_company_types = fields.Char("Trackdéchets profiles (codes)", readonly=True, copy=False)
    hvac_td_profiles = fields.Char("Trackdéchets profiles", compute="_compute_hvac_td_profiles")
    hvac_td_receipt_number = fields.Char("Transport receipt", readonly=True, copy=False)
    hvac_td_receipt_department = fields.Char("Transport receipt department", readonly=True, copy=False)
    hvac_td_receipt_valid_until = fields.Date("Transport receipt valid until", readonly=True, copy=False)
    hvac_td_closed = fields.Boolean("Closed establishment", readonly=True, copy=False)

    def _compute_hvac_td_profiles(self):
        for partner in self:
            codes = (partner.hvac_td_company_types or "").split(",")
            partner.hvac_td_profiles = ", ".join(str(COMPANY_TYPES.get(code, code)) for code in codes if code)

    def _hvac_td_types(self):
        return set(filter(None, (self.hvac_td_company_types or "").split(",")))

    def hvac_td_is_transporter(self):
        return "TRANSPORTER" in self._hvac_td_types()

    def hvac_td_is_destination(self):
        return bool(DESTINATION_PROFILES & self._hvac_td_types())

    @api.depends("hvac_td_company_types")
    def _compute_hvac_fluid_receiver(self):  # pylint: disable=missing-return  (a compute returns nothing)
        super()._compute_hvac_fluid_receiver()

    def _hvac_receives_fluid(self):
        return super()._hvac_receives_fluid() or (self.hvac_td_is_destination() and not self.hvac_td_closed)

    @api.model
    def _hvac_fluid_receiver_domain(self):
        # A destination profile on Trackdéchets (last check) makes a partner a receiver too.
        registered = [("hvac_td_company_types", "ilike", code) for code in sorted(DESTINATION_PROFILES)]
        on_trackdechets = ["&", ("hvac_td_closed", "=", False), *expression.OR([[leaf] for leaf in registered])]
        return expression.OR([super()._hvac_fluid_receiver_domain(), on_trackdechets])

    def action_hvac_check_trackdechets(self):
        token = self.env.user._hvac_trackdechets_token_or_raise()
        client = self.env.company._hvac_trackdechets_client(token)
        for partner in self:
            partner._hvac_apply_trackdechets_infos(partner._hvac_fetch_trackdechets_infos(client))
        return True

    def _hvac_fetch_trackdechets_infos(self, client):
        siret = siret_digits(self.siret)
        if len(siret) != 14:
            raise UserError(
                _("%s has no valid SIRET (14 digits): Trackdéchets identifies companies by SIRET.", self.display_name)
            )
        if self._hvac_siret_error():
            raise UserError(self._hvac_siret_error())
        try:
            return client.company_infos(siret)
        except TrackdechetsError as error:
            if error.code == "bad_user_input" and "fermé" in error.message:
                return {"closed": True}
            raise UserError(self.env["hvac.bsff"]._hvac_td_error_message(error)) from None

    def _hvac_apply_trackdechets_infos(self, infos):
        receipt = infos.get("transporterReceipt") or {}
        # Facts from Trackdéchets, not user input: recorded even by users who may not edit partners.
        self.check_access("read")
        self.sudo().write(
            {
                "hvac_td_checked_at": fields.Datetime.now(),
                "hvac_td_closed": bool(infos.get("closed")) or infos.get("etatAdministratif") == "F",
                "hvac_td_registered": bool(infos.get("isRegistered")),
                "hvac_td_company_types": ",".join(infos.get("companyTypes") or []),
                "hvac_td_receipt_number": receipt.get("receiptNumber"),
                "hvac_td_receipt_department": receipt.get("department"),
                "hvac_td_receipt_valid_until": (receipt.get("validityLimit") or "")[:10] or False,
            }
        )
