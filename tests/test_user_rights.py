from odoo.tests import HttpCase, tagged

AREAS = {
    "hvac_connect.module_category_hvac_installations": ["group_hvac_user", "group_hvac_manager"],
    "hvac_connect.module_category_hvac_trackdechets": ["group_trackdechets_export", "group_trackdechets_full"],
    # Seed 000 lists designating the contact apart from exporting: a line of its own.
    "hvac_connect.module_category_hvac_trackdechets_contact": ["group_trackdechets_contact_manager"],
    "hvac_connect.module_category_hvac_chorus": ["group_chorus_user", "group_chorus_manager"],
    # Seed 004's Consultation of the connection space: a line of its own.
    "hvac_connect.module_category_hvac_chorus_sheets": ["group_chorus_sheet_reader"],
    "hvac_connect.module_category_hvac_sharing": ["group_share_user", "group_share_admin"],
}


@tagged("post_install", "-at_install")
class TestUserRights(HttpCase):
    """Settings › Users shows the rights as one selection per area, without developer mode."""

    def test_each_area_is_one_selection(self):
        by_app = {app: (kind, groups) for app, kind, groups, _cat in self.env["res.groups"].get_groups_by_application()}
        for xmlid, group_names in AREAS.items():
            category = self.env.ref(xmlid)
            self.assertEqual(category.parent_id, self.env.ref("hvac_connect.module_category_hvac_connect"))
            kind, groups = by_app[category]
            self.assertEqual(kind, "selection", xmlid)
            self.assertEqual(
                groups.mapped(lambda g: g.get_external_id()[g.id]), [f"hvac_connect.{n}" for n in group_names]
            )

    def test_trackdechets_rights_keep_what_they_imply(self):
        full = self.env.ref("hvac_connect.group_trackdechets_full")
        export = self.env.ref("hvac_connect.group_trackdechets_export")
        contact = self.env.ref("hvac_connect.group_trackdechets_contact_manager")
        self.assertLessEqual(export + contact, full.trans_implied_ids)
        self.assertIn(self.env.ref("hvac_connect.group_hvac_user"), export.trans_implied_ids)
        self.assertIn(self.env.ref("hvac_connect.group_hvac_user"), contact.trans_implied_ids)
        self.assertNotIn(export, contact.trans_implied_ids, "designating the contact is not exporting")
        self.assertNotIn(contact, export.trans_implied_ids)
        reader = self.env.ref("hvac_connect.group_chorus_sheet_reader")
        self.assertIn(reader, self.env.ref("hvac_connect.group_chorus_manager").trans_implied_ids)
        self.assertNotIn(reader, self.env.ref("hvac_connect.group_chorus_user").trans_implied_ids)

    def test_user_form_shows_every_line(self):
        admin = self.env.ref("base.user_admin")
        self.start_tour(
            f"/odoo/action-base.action_res_users/{admin.id}", "hvac_connect_user_rights_tour", login="admin"
        )
