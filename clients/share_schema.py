"""What a peer may send us: one declarative schema per endpoint of the sharing protocol.

Pure Python (never imports odoo). A peer is another company's server: its signature proves who
it is, not that what it sends is sane. Every field is checked here before anything is read
from the database or stored: type, selection, length, physical bounds. A malformed body is
refused as a whole with ``InvalidInput`` (HTTP 400, a stable code and the field's name), never
half stored.
"""

import datetime
import json
import re

from .share_protocol import ShareProtocolError

MAX_KG = 10_000.0  # no installation holds 10 t of refrigerant: above is an error or an attack
MAX_PAGES = 10_000  # 2 million installations at 200 a page
ID_PATTERN = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")
SIRET_PATTERN = re.compile(r"^\d{14}$")
OLDEST_DATE = datetime.date(1970, 1, 1)
MAX_BODY = 2 * 1024 * 1024  # bytes of a request body; the largest, a withdrawal of 10,000 ids, is ~400 kB
MAX_DEPTH = 16  # nesting of a body's objects and lists; the protocol's deepest body has 3 levels


class InvalidInput(ShareProtocolError):
    """A body or field that breaks the schema; ``field`` names it (empty for the body itself)."""

    status = 400

    def __init__(self, field="", message="malformed body"):
        super().__init__("invalid" if field else "bad_request", f"{field}: {message}" if field else message)
        self.field = field


class TooLarge(InvalidInput):
    """A body above MAX_BODY: refused before it is read (HTTP 413)."""

    status = 413

    def __init__(self):
        super().__init__(message=f"body larger than {MAX_BODY} bytes")
        self.code = "too_large"


class Field:
    """One field of a body: ``check(value)`` returns the clean value or raises ValueError."""

    def __init__(self, check, required=True, default=None):
        self.check, self.required, self.default = check, required, default


def text(max_length, required=True, pattern=None, allow_empty=False):
    def check(value):
        if not isinstance(value, str):
            raise ValueError("not a string")
        value = value.strip()
        if not value and not allow_empty:
            raise ValueError("empty")
        if len(value) > max_length:
            raise ValueError(f"longer than {max_length} characters")
        # Also for what a peer answers us (pages), which is not parsed by parse().
        if not _storable(value):
            raise ValueError("holds a NUL or an invalid character")
        if value and pattern and not pattern.match(value):
            raise ValueError("not in the expected format")
        return value

    return Field(check, required, "" if allow_empty else None)


def identifier(required=True):
    return text(128, required, pattern=ID_PATTERN)


def choice(values, required=True):
    allowed = frozenset(values)

    def check(value):
        if not isinstance(value, str) or value not in allowed:
            raise ValueError("not one of the allowed values")
        return value

    return Field(check, required)


def integer(minimum, maximum, required=True):
    def check(value):
        # bool is an int in Python: True is no page number.
        if isinstance(value, bool) or not isinstance(value, int) or not minimum <= value <= maximum:
            raise ValueError(f"not an integer from {minimum} to {maximum}")
        return value

    return Field(check, required)


def quantity_kg(required=False, positive=False):
    """A quantity in kg from 0 (or, ``positive``, above 0: an installation's charge) to MAX_KG."""

    def check(value):
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= MAX_KG:
            raise ValueError(f"not a quantity from 0 to {MAX_KG:g} kg")
        if positive and not value > 0.0:
            raise ValueError("not above 0 kg")
        return float(value)

    return Field(check, required, 0.0)


def boolean(required=False):
    def check(value):
        if not isinstance(value, bool):
            raise ValueError("not true or false")
        return value

    return Field(check, required, False)


def date(required=True, future_days=2, as_text=False, allow_empty=False):
    """An ISO date between 1970 and a couple of days ahead (time zones), as a date object (or
    its ISO text, for data kept as JSON); "" for none where ``allow_empty``."""

    def check(value):
        if not isinstance(value, str):
            raise ValueError("not a date")
        if allow_empty and not value:
            return ""
        try:
            day = datetime.date.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO date") from None
        if not OLDEST_DATE <= day <= datetime.date.today() + datetime.timedelta(days=future_days):
            raise ValueError("outside the possible dates")
        return day.isoformat() if as_text else day

    return Field(check, required, "" if allow_empty else None)


def parse(body):
    """The JSON object of a request body; anything else (an array, a number, bad JSON, nesting
    deeper than MAX_DEPTH) is refused, and so is a text anywhere in it that the database cannot
    store (a NUL character, a lone surrogate): refused here, whatever the field, with its path."""
    if len(body or b"") > MAX_BODY:
        raise TooLarge()
    try:
        payload = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise InvalidInput() from None
    if not isinstance(payload, dict):
        raise InvalidInput()
    _check_texts(payload)
    return payload


def _storable(text):
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _check_texts(payload):
    """Walk the body without recursion (its depth is the sender's choice)."""
    pending = [("", payload, 1)]
    while pending:
        path, value, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise InvalidInput(path, "nested too deeply")
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{path}.{key}" if path else key
                if not _storable(key):
                    raise InvalidInput(path or "body", "a key holds a NUL or an invalid character")
                pending.append((child, item, depth + 1))
        elif isinstance(value, list):
            pending.extend((f"{path}.{position}", item, depth + 1) for position, item in enumerate(value))
        elif isinstance(value, str) and not _storable(value):
            raise InvalidInput(path, "holds a NUL or an invalid character")


def validate(payload, spec):
    """The clean values of ``payload`` for the fields of ``spec`` (others are ignored)."""
    if not isinstance(payload, dict):
        raise InvalidInput()
    clean = {}
    for name, field in spec.items():
        if payload.get(name) is None:
            if field.required:
                raise InvalidInput(name, "missing")
            clean[name] = field.default
            continue
        try:
            clean[name] = field.check(payload[name])
        except NestedError as error:
            raise InvalidInput(f"{name}.{error.field}", str(error)) from None
        except ValueError as error:
            raise InvalidInput(name, str(error)) from None
    return clean


# --- the protocol's bodies -----------------------------------------------------------------------
LEVELS = ("customer", "location", "installation")
ROLES = ("operator", "installation_manager", "subcontractor", "borrowed")
# The states a peer may put our side of a connection in: never back to "invited".
PEER_CONNECTION_STATES = ("active", "suspended", "ended")
NAME_MAX = 200
DESCRIPTION_MAX = 4000

CONNECT = {
    "invitation": identifier(),
    "token": text(128),
    "random": text(128, pattern=re.compile(r"^[0-9a-f]{16,128}$")),
    "url": text(512),
    "connection": identifier(),
    "company": text(NAME_MAX),
    "siret": text(14, required=False, pattern=SIRET_PATTERN, allow_empty=True),
    "account_kind": choice(("contractor", "operator"), required=False),
}
# The inviter's answer to CONNECT, read by the invited side before it derives the secret.
CONNECT_ANSWER = {
    "random": text(128, pattern=re.compile(r"^[0-9a-f]{16,128}$")),
    "connection": identifier(),
    "company": text(NAME_MAX),
    "siret": text(14, required=False, pattern=SIRET_PATTERN, allow_empty=True),
    "account_kind": choice(("contractor", "operator"), required=False),
}
CONNECTION_STATE = {"state": choice(PEER_CONNECTION_STATES)}
SHARE_REQUEST = {
    "share": identifier(),
    "name": text(NAME_MAX),
    "description": text(DESCRIPTION_MAX, required=False, allow_empty=True),
    "level": choice(LEVELS),
}
# The owner's details printed on the recipient's documents ("pour le compte de").
OWNER_DETAILS = {
    "name": text(NAME_MAX),
    "siret": text(14, required=False, pattern=SIRET_PATTERN, allow_empty=True),
    "address": text(512, required=False, allow_empty=True),
    "capacity_number": text(64, required=False, allow_empty=True),
    "capacity_category": text(16, required=False, allow_empty=True),
}


class NestedError(ValueError):
    """A field of a nested object broke its schema: the outer field's path is prefixed to it."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field = field


def nested(spec, required=False):
    def check(value):
        try:
            return validate(value, spec)
        except InvalidInput as error:
            if not error.field:
                raise ValueError("not an object") from None
            raise NestedError(error.field, str(error)) from None

    return Field(check, required)


def identifiers(max_items=MAX_PAGES, required=True):
    def check(value):
        if not isinstance(value, list) or len(value) > max_items:
            raise ValueError(f"not a list of at most {max_items} ids")
        return [identifier().check(item) for item in value]

    return Field(check, required)


# What the owner keeps up to date on a shared installation (hvac_installation_share_sync).
INSTALLATION_PROPERTIES = {
    "name": text(NAME_MAX),
    "category": choice(("air_conditioning", "refrigeration", "heat_pump", "other")),
    "brand": text(NAME_MAX, required=False, allow_empty=True),
    "model": text(NAME_MAX, required=False, allow_empty=True),
    "serial_number": text(64, required=False, allow_empty=True),
    # A real day (not 2024-02-31): the date is written as received.
    "commissioning_date": date(required=False, as_text=True, allow_empty=True),
    "refrigerant": text(64),
    # Above 0, as an installation's charge is in the database (charge_positive).
    "charge_kg": quantity_kg(required=True, positive=True),
    "hermetic": boolean(),
    "leak_detection_system": boolean(),
}
SHARE_WITHDRAW = {"share": identifier(), "installations": identifiers()}
SHARE_PROPERTIES = {
    "share": identifier(),
    "installation": identifier(),
    "values": nested(INSTALLATION_PROPERTIES, True),
}
SHARE_DECISION = {
    "share": identifier(),
    "state": choice(("approved", "rejected")),
    "level": choice(LEVELS, required=False),
    "role": choice(ROLES, required=False),
    "details": boolean(),
    "owner": nested(OWNER_DETAILS),
}
SHARE_AVAILABLE = {"share": identifier(), "pages": integer(1, MAX_PAGES)}
SHARE_PAGE = {"share": identifier(), "page": integer(0, MAX_PAGES - 1)}
SHARE_REVOKE = {"share": identifier()}
EMPTY = {}


def share_decision(payload):
    clean = validate(payload, SHARE_DECISION)
    if clean["state"] == "approved" and not (clean["level"] and clean["role"]):
        raise InvalidInput("level" if not clean["level"] else "role", "missing for an approval")
    return clean


def intervention_spec(natures):
    """An intervention recorded by the peer; ``natures``: the values of our selection."""
    return {
        "installation": identifier(),
        "author": text(NAME_MAX),
        "number": text(64),
        "date": date(),
        "nature": choice(natures, required=False),
        "charged_kg": quantity_kg(),
        "recovered_kg": quantity_kg(),
        "idempotency_key": identifier(),
    }


# --- a page of a share, as the owner serves it and we receive it ----------------------------------
MAX_PAGE_INSTALLATIONS = 1_000  # the owner serves 200; a page is refused well before memory suffers
MAX_HISTORY = 2_000  # done interventions of one installation in a page


def items(spec, max_items, required=True):
    """A list of objects, each checked against ``spec``; the error names the item's position."""

    def check(value):
        if not isinstance(value, list) or len(value) > max_items:
            raise ValueError(f"not a list of at most {max_items} items")
        clean = []
        for position, item in enumerate(value):
            try:
                clean.append(validate(item, spec))
            except InvalidInput as error:
                raise ValueError(f"item {position}: {error.args[0] if error.field else 'not an object'}") from None
        return clean

    return Field(check, required, [])


def _optional_text(max_length):
    return text(max_length, required=False, allow_empty=True)


CUSTOMER_COPY = {
    "ref": identifier(),
    "name": text(NAME_MAX),
    "siret": text(14, required=False, pattern=SIRET_PATTERN, allow_empty=True),
    "street": _optional_text(512),
    "zip": _optional_text(16),
    "city": _optional_text(NAME_MAX),
    "email": _optional_text(254),
    "phone": _optional_text(64),
}
SITE_COPY = {
    "ref": identifier(),
    "name": text(NAME_MAX),
    "street": _optional_text(512),
    "street2": _optional_text(512),
    "zip": _optional_text(16),
    "city": _optional_text(NAME_MAX),
}
BUILDING_COPY = {"ref": identifier(), "name": text(NAME_MAX)}


def share_page_spec(natures):
    """A page of installations with what they are under and their done interventions; ``natures``:
    the values of our intervention nature selection."""
    fiche = {
        "number": text(64),
        "date": date(as_text=True),
        "nature": choice(natures, required=False),
        "leak_check": boolean(),
        "charged_kg": quantity_kg(),
        "recovered_kg": quantity_kg(),
        "author": text(NAME_MAX),
    }
    installation = dict(
        INSTALLATION_PROPERTIES,
        ref=identifier(),
        customer=nested(CUSTOMER_COPY, True),
        site=nested(SITE_COPY, True),
        building=nested(BUILDING_COPY, True),
        interventions=items(fiche, MAX_HISTORY, required=False),
    )
    return {"number": integer(0, MAX_PAGES - 1), "installations": items(installation, MAX_PAGE_INSTALLATIONS)}
