"""SIRET checks as plain functions: 14 digits and the Luhn key, as Trackdéchets, Chorus Pro
and OCA's l10n_fr_siret check them.

La Poste is the known exception: its establishments (SIREN 356000000) share one SIREN and
their NIC is numbered so that the Luhn key cannot hold; INSEE makes the sum of the 14
digits a multiple of 5 instead. Its head office (35600000000048) follows the Luhn rule.
"""

LA_POSTE_SIREN = "356000000"
LA_POSTE_HEAD_OFFICE = "35600000000048"


def siret_digits(value):
    """The SIRET as typed, without spaces or dots (as users paste it from the INSEE site)."""
    return "".join((value or "").split()).replace(".", "")


def luhn_is_valid(digits):
    total = 0
    for position, char in enumerate(reversed(digits)):
        digit = int(char)
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def siret_is_valid(value):
    """True when ``value`` is 14 digits with a correct key (the SIREN's own key included)."""
    digits = siret_digits(value)
    if len(digits) != 14 or not digits.isascii() or not digits.isdigit():
        return False
    if digits.startswith(LA_POSTE_SIREN) and digits != LA_POSTE_HEAD_OFFICE:
        return sum(int(char) for char in digits) % 5 == 0
    return luhn_is_valid(digits) and luhn_is_valid(digits[:9])


def siret_problem(value):
    """Why ``value`` is not a SIRET (an untranslated key), or None when it is one."""
    digits = siret_digits(value)
    if not digits:
        return "missing"
    if len(digits) != 14 or not digits.isascii() or not digits.isdigit():
        return "length"
    if not siret_is_valid(digits):
        return "key"
    return None
