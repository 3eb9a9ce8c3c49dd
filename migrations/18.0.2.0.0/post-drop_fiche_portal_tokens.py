"""Fiches no longer use the portal's reusable access token: the ones issued before this version
(readable by every user of the company, and logged in the servers' access logs) stop working.
A holder who had not signed yet gets a new, single-use link with "Send for signature"."""


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE hvac_intervention SET access_token = NULL WHERE access_token IS NOT NULL")
