"""Containers get a public token (printed in their label's QR code). Odoo would fill the new
column of existing rows with one default value for all, which the unique constraint refuses:
give each row its own token before the module is updated."""


def migrate(cr, version):
    cr.execute("ALTER TABLE hvac_container ADD COLUMN IF NOT EXISTS public_token varchar")
    cr.execute("UPDATE hvac_container SET public_token = md5(random()::text || id::text) WHERE public_token IS NULL")
