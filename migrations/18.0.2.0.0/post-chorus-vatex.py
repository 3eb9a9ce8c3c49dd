"""VAT-exemption reasons read from Chorus Pro before 18.0.2.0.0 get the VATEX code their label
names (the Factur-X now states it as BT-121); the others wait for a Chorus Pro manager."""


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        r"""
        UPDATE hvac_chorus_exemption_reason
           SET vatex_code = 'VATEX-FR-FRANCHISE'
         WHERE vatex_code IS NULL AND name ~* '293\s*B'
        """
    )
