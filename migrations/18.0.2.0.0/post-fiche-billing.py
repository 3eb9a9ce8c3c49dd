def migrate(cr, version):
    """Fiches validated before invoicing from fiches existed were invoiced by retyping them:
    they are not to invoice a second time. The office may still set one back to invoice
    (tab Invoicing) while it is not invoiced."""
    if not version:
        return
    cr.execute(
        """
        UPDATE hvac_intervention
           SET billing_type = 'none', invoice_state = 'none'
         WHERE state = 'done'
        """
    )
