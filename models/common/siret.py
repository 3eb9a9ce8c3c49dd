"""SIRET checks as plain functions: 14 digits and the Luhn key, as Trackdéchets, Chorus Pro
and OCA's l10n_fr_siret check them, by python-stdnum's ``stdnum.fr.siret`` (an Odoo
requirement), which also knows La Poste's exception: its establishments (SIREN 356000000)
share one SIREN and their NIC is numbered so that the Luhn key cannot hold; INSEE makes the sum
of the 14 digits a multiple of 5 instead (its head office, 35600000000048, follows the Luhn rule).
"""

from stdnum.fr import siret as stdnum_siret


def siret_digits(value):
    """The SIRET as the outside services take it: its digits only, whatever separators were typed."""
    return "".join(char for char in value or "" if char.isdigit())


def _compact(value):
    """The SIRET as typed, without spaces or dots (as users paste it from the INSEE site)."""
    return "".join((value or "").split()).replace(".", "")


def siret_is_valid(value):
    """True when ``value`` is 14 digits with a correct key (the SIREN's own key included)."""
    return stdnum_siret.is_valid(_compact(value))


def siret_problem(value):
    """Why ``value`` is not a SIRET (an untranslated key), or None when it is one."""
    digits = _compact(value)
    if not digits:
        return "missing"
    if len(digits) != 14 or not digits.isascii() or not digits.isdigit():
        return "length"
    if not stdnum_siret.is_valid(digits):
        return "key"
    return None
