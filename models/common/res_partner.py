from odoo import api, fields, models

from .siret import siret_problem


class ResPartner(models.Model):
    """A SIRET whose key fails is refused by Trackdéchets and Chorus Pro: warn when it is
    typed (a banner on the form) rather than only when a document is sent."""

    _inherit = "res.partner"

    hvac_siret_warning = fields.Char("SIRET warning", compute="_compute_hvac_siret_warning")

    @api.depends("siret")
    def _compute_hvac_siret_warning(self):
        for partner in self:
            problem = siret_problem(partner.siret)
            partner.hvac_siret_warning = problem and problem != "missing" and partner._hvac_siret_message(problem)

    def _hvac_siret_message(self, problem):
        if problem == "missing":
            return self.env._("%s has no SIRET.", self.display_name)
        if problem == "length":
            return self.env._(
                "The SIRET %(siret)s of %(partner)s does not have 14 digits.",
                siret=self.siret,
                partner=self.display_name,
            )
        return self.env._(
            "The SIRET %(siret)s of %(partner)s is not valid: its check digit (Luhn key) is wrong. Trackdéchets and Chorus Pro will refuse it.",
            siret=self.siret,
            partner=self.display_name,
        )

    def _hvac_siret_error(self):
        """The message naming this partner when its SIRET cannot be sent, else None."""
        self.ensure_one()
        problem = siret_problem(self.siret)
        return problem and self._hvac_siret_message(problem)
