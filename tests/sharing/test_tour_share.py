from odoo.tests import tagged

from .test_share_connection import ShareCase


@tagged("post_install", "-at_install")
class TestTourShare(ShareCase):
    def test_request_evaluate_process_in_the_browser(self):
        inviter, invitee, _code = self._pair()
        Site = self.env["hvac.site"]
        customer = self.env["res.partner"].create(
            {"name": "Hôpital Nord", "is_company": True, "siret": "26690027300019", "company_id": self.froid.id}
        )
        site = Site.create(
            {"name": "Hôpital Nord - bâtiment A", "partner_id": customer.id, "company_id": self.froid.id}
        )
        fluid = self.env.ref("hvac_connect.refrigerant_r_410a")
        self.env["hvac.installation"].create(
            [
                {
                    "name": f"Groupe {n}",
                    "building_id": site.building_ids.id,
                    "refrigerant_id": fluid.id,
                    "charge_kg": 4.0,
                }
                for n in range(2)
            ]
        )
        self.start_tour("/odoo", "hvac_connect_share_request_tour", login="share_clim")
        self.deliver()
        outbox = self.env["hvac.connection.outbox"].sudo().search([])
        self.assertEqual(outbox.mapped("state"), ["done"], outbox.mapped("last_error"))
        self.assertEqual(
            self.env["hvac.share"].sudo().search([("connection_id", "=", inviter.id)]).state, "to_evaluate"
        )
        self.start_tour("/odoo", "hvac_connect_share_evaluate_tour", login="share_froid")
        self.deliver()
        self.env["hvac.share"]._cron_prepare()
        self.deliver()
        self.deliver()  # the transfer, once the share is available
        self.start_tour("/odoo", "hvac_connect_share_process_tour", login="share_clim")
        self.deliver()  # the import, in the background
        request = self.env["hvac.share"].search([("connection_id", "=", invitee.id)])
        self.assertRecordValues(request, [{"state": "processed", "role": "subcontractor", "level": "customer"}])
        imported = self.env["hvac.installation"].search([("shared_from_share_id", "=", request.id)])
        self.assertEqual(sorted(imported.mapped("name")), ["Groupe 0", "Groupe 1"])
        self.assertEqual(imported.company_id, self.clim)
