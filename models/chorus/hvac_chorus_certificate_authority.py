from odoo import api, fields, models


class HvacChorusCertificateAuthority(models.Model):
    """A provider whose certificates Chorus Pro accepts on a connection sheet: the qualified
    certification authorities of the LSTI list (seed 004, "Liste des fournisseurs").

    Kept as data rather than code: a Chorus manager adds a provider qualified since, and
    archives one that lost its qualification. One list for every company, as the national list
    it copies.
    """

    _name = "hvac.chorus.certificate.authority"
    _description = "Qualified certification authority (LSTI list)"
    _order = "name"

    name = fields.Char("Provider", required=True)
    issuer_names = fields.Char(
        "Names in certificates",
        required=True,
        help="How the provider appears in the issuer of the certificates it delivers (organisation or common name); "
        "several names separated by commas. Compared without regard to case.",
    )
    note = fields.Char()
    active = fields.Boolean(default=True)

    @api.model
    def _hvac_find(self, issuer):
        """The listed provider named in ``issuer`` (a certificate's issuer, as text), if any."""
        text = (issuer or "").casefold()
        for authority in self.search([]):
            names = (name.strip().casefold() for name in authority.issuer_names.split(","))
            if any(name and name in text for name in names):
                return authority
        return self.browse()
