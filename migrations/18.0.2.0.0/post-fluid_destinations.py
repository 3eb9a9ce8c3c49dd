"""Destinations of recovered fluid are now chosen among the partners that receive fluid (a flag,
a distributor, or a Trackdéchets treatment/TTR profile), and validation refuses any other: the
partners our fiches and BSFF already sent fluid to keep being proposed and accepted.

Two terms changed their English: their old French is dropped here so that the translations
loaded right after this script give the new one (an upgrade fills missing languages only)."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        """
        UPDATE res_partner p
           SET hvac_fluid_treatment = TRUE
         WHERE NOT COALESCE(p.hvac_fluid_treatment, FALSE)
           AND NOT COALESCE(p.hvac_fluid_distributor, FALSE)
           AND (p.id IN (SELECT destination_partner_id FROM hvac_intervention WHERE destination_partner_id IS NOT NULL)
                OR p.id IN (SELECT destination_partner_id FROM hvac_bsff WHERE destination_partner_id IS NOT NULL))
        """
    )
    cr.execute(
        """
        UPDATE res_groups g
           SET name = jsonb_build_object('en_US', g.name->>'en_US')
          FROM ir_model_data d
         WHERE d.model = 'res.groups' AND d.res_id = g.id
           AND d.module = 'hvac_connect' AND d.name = 'group_trackdechets_export'
        """
    )
    cr.execute(
        """
        UPDATE ir_model_fields
           SET field_description = jsonb_build_object('en_US', field_description->>'en_US'),
               help = CASE WHEN help IS NULL THEN NULL ELSE jsonb_build_object('en_US', help->>'en_US') END
         WHERE model = 'hvac.installation' AND name = 'public_token'
        """
    )
