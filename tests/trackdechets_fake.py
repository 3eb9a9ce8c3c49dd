"""A local fake of the Trackdéchets GraphQL API, served on 127.0.0.1 for the tests.

It executes every document on the official schema (``../shared/reference/trackdechets/``)
with graphql-core, so a field, argument or enum the real API does not know is refused here
too (HTTP 400, GRAPHQL_VALIDATION_FAILED, kept in ``invalid_documents``). Behaviour follows
``../shared/research/trackdechets.md``: token authentication, French error messages and
codes, EMISSION requirements at publication, status moves, cursor pages of at most 500,
``updatedAt`` filters, and a PDF download link that needs no token.

Tests drive the other parties (transporter, destination) with ``transport()``,
``receive()``, ``accept()`` and ``process()``, and inject faults with ``fail_next()``.
"""

import contextlib
import copy
import itertools
import json
import re
import secrets
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlparse

from graphql import DocumentNode, GraphQLError, build_ast_schema, graphql_sync, parse, validate
from graphql.language import ObjectTypeDefinitionNode, ObjectTypeExtensionNode
from stdnum.fr import siret as stdnum_siret

try:
    from .fake_http import serve, shutdown
    from .reference import reference_dir
except ImportError:  # imported as a top-level module by the bench/ scripts
    from fake_http import serve, shutdown
    from reference import reference_dir

SCHEMA_DIR = reference_dir("trackdechets")
ROOTS = {"Query", "Mutation", "Subscription"}
DESTINATION_PROFILES = {"COLLECTOR", "WASTEPROCESSOR", "WASTE_CENTER", "WASTE_VEHICLES"}
NOT_LOGGED_IN = "Vous n'êtes pas connecté."
# Permissions by role on an establishment (research trackdechets.md §6), those the module asks about.
_READ = ["BSD_CAN_READ", "BSD_CAN_LIST", "COMPANY_CAN_READ"]
ROLE_PERMISSIONS = {
    "READER": _READ,
    "DRIVER": [*_READ, "BSD_CAN_UPDATE", "BSD_CAN_SIGN_TRANSPORT", "BSD_CAN_SIGN_DELIVERY"],
    "MEMBER": [
        *_READ,
        "BSD_CAN_CREATE",
        "BSD_CAN_UPDATE",
        "BSD_CAN_DELETE",
        "BSD_CAN_SIGN_EMISSION",
        "BSD_CAN_SIGN_TRANSPORT",
    ],
    "ADMIN": [
        *_READ,
        "BSD_CAN_CREATE",
        "BSD_CAN_UPDATE",
        "BSD_CAN_DELETE",
        "BSD_CAN_SIGN_EMISSION",
        "BSD_CAN_SIGN_TRANSPORT",
    ],
}
_schema = None


def schema_available():
    return SCHEMA_DIR.is_dir()


def load_schema():
    """Build the schema the way the server merges it (research §12)."""
    global _schema  # noqa: PLW0603 - built once per process: 26 files take a second to parse
    if _schema is None:
        defs = []
        for path in sorted(SCHEMA_DIR.rglob("*.graphql")):
            for node in parse(path.read_text(encoding="utf-8")).definitions:
                if isinstance(node, ObjectTypeDefinitionNode) and node.name.value in ROOTS:
                    node = ObjectTypeExtensionNode(
                        name=node.name, directives=node.directives, interfaces=node.interfaces, fields=node.fields
                    )
                defs.append(node)
        roots = sorted({d.name.value for d in defs if isinstance(d, ObjectTypeExtensionNode) and d.name.value in ROOTS})
        base = parse("\n".join(f"type {name}" for name in roots)).definitions
        _schema = build_ast_schema(DocumentNode(definitions=tuple(base) + tuple(defs)))
    return _schema


def _parse_time(value):
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=timezone.utc)


def siret_key_ok(siret):
    """The SIRET's Luhn key, as Trackdéchets checks it; La Poste's establishments (SIREN
    356000000) use a digit sum divisible by 5 instead. Kept inline: the fake owes nothing to
    the module it tests."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith("356000000"):
        return sum(int(d) for d in siret) % 5 == 0
    total = 0
    for position, char in enumerate(reversed(siret)):
        digit = int(char) * (2 if position % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


MAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_LENGTHS = {"adr": 750}


def input_issues(value, path=()):
    """Trackdéchets' own rules on an input (research trackdechets.md §9): SIRET key, e-mail
    format, 250 characters a string, ``other`` only (and always) for an ``AUTRE`` packaging."""
    issues = []
    if isinstance(value, dict):
        if "type" in value and path[-1:] == ("packagings",):
            if value["type"] == "AUTRE" and not value.get("other"):
                issues.append((path + ("other",), "Le champ other est obligatoire pour un contenant de type AUTRE."))
            if value["type"] != "AUTRE" and value.get("other") is not None:
                issues.append(
                    (path + ("other",), "Le champ other ne peut être renseigné que pour un contenant de type AUTRE.")
                )
        for key, item in value.items():
            issues += input_issues(item, path + (key,))
    elif isinstance(value, list):
        for item in value:
            issues += input_issues(item, path)
    elif isinstance(value, str):
        key = path[-1] if path else ""
        if key == "siret" and value and not siret_key_ok(value):
            issues.append((path, f"{value} n'est pas un numéro de SIRET valide"))
        if key == "mail" and value and not MAIL.match(value):
            issues.append((path, f"{value} n'est pas une adresse e-mail valide"))
        if len(value) > MAX_LENGTHS.get(key, 250):
            issues.append((path, f"Le champ {key} ne peut pas dépasser {MAX_LENGTHS.get(key, 250)} caractères"))
    return issues


def check_input(values):
    issues = input_issues(values)
    if issues:
        formatted = [{"code": "custom", "path": list(path), "message": message} for path, message in issues]
        raise error("BAD_USER_INPUT", "\n".join(i["message"] for i in formatted), formatted)


def error(code, message, issues=None):
    extensions = {"code": code}
    if issues:
        extensions["issues"] = issues  # the raw Zod issues, as Trackdéchets sends them
    return GraphQLError(message, extensions=extensions)


class Resolvers:
    """Root fields of the fake: Query and Mutation share one root value."""

    def __init__(self, fake, user):
        self.fake = fake
        self.user = user

    def _auth(self):
        if not self.user:
            raise error("UNAUTHENTICATED", NOT_LOGGED_IN)
        return self.user

    # --- queries ---------------------------------------------------------------------
    def me(self, info):
        user = self._auth()
        return {"id": user["id"], "email": user["email"], "name": user["name"]}

    def myCompanies(self, info, first=None, after=None, last=None, before=None, search=None):  # noqa: N802
        user = self._auth()
        role = user.get("role", "ADMIN")
        nodes = [
            {
                "siret": siret,
                "name": (self.fake.companies.get(siret) or {}).get("name", siret),
                "userRole": role,
                "userPermissions": ROLE_PERMISSIONS[role],
            }
            for siret in sorted(user["sirets"])
        ]
        return {
            "totalCount": len(nodes),
            "pageInfo": {"endCursor": None, "hasNextPage": False, "hasPreviousPage": False, "startCursor": None},
            "edges": [{"cursor": n["siret"], "node": n} for n in nodes],
        }

    def companyInfos(self, info, siret=None, clue=None):  # noqa: N802 - GraphQL names
        if not stdnum_siret.is_valid(siret or clue or ""):
            raise error("BAD_USER_INPUT", "Le n°SIRET ou le numéro de TVA intracommunautaire n'est pas valide")
        company = self.fake.companies.get(siret)
        if not company:
            return {
                "orgId": siret,
                "siret": siret,
                "isRegistered": False,
                "companyTypes": [],
                "isDormant": False,
                "etatAdministratif": "A",
                "ecoOrganismeAgreements": [],
                "ecoOrganismePartnersIds": [],
            }
        if company.get("etatAdministratif") == "F":
            raise error("BAD_USER_INPUT", "Cet établissement est fermé")
        return dict(
            {"orgId": siret, "isDormant": False, "ecoOrganismeAgreements": [], "ecoOrganismePartnersIds": []}, **company
        )

    def bsff(self, info, id):  # noqa: A002
        return self.fake.visible_bsff(self._auth(), id)

    def bsffs(self, info, where=None, first=None, after=None, last=None, before=None):
        user = self._auth()
        if first is not None and not 0 < first <= 500:
            raise error("BAD_USER_INPUT", "`first` doit être compris entre 1 et 500.")
        return self.fake.page(user, where or {}, first or 50, after)

    def bsffPdf(self, info, id):  # noqa: N802
        self.fake.visible_bsff(self._auth(), id)
        token = secrets.token_hex(8)
        self.fake.pdf_tokens[token] = id
        return {"token": token, "downloadLink": f"{self.fake.url}/download?token={token}"}

    # --- mutations -------------------------------------------------------------------
    def createFicheInterventionBsff(self, info, input):  # noqa: N802, A002
        user = self._auth()
        self.fake.check_fiche(user, input)
        return self.fake.store_fiche(None, input)

    def updateFicheInterventionBsff(self, info, id, input):  # noqa: N802, A002
        user = self._auth()
        if id not in self.fake.fiches:
            raise error("BAD_USER_INPUT", f"La fiche d'intervention n°{id} n'existe pas.")
        self.fake.check_fiche(user, input)
        return self.fake.store_fiche(id, input)

    def createDraftBsff(self, info, input):  # noqa: N802, A002
        return self.fake.create_bsff(self._auth(), input, draft=True)

    def createBsff(self, info, input):  # noqa: N802, A002
        return self.fake.create_bsff(self._auth(), input, draft=False)

    def updateBsff(self, info, id, input):  # noqa: N802, A002
        bsff = self.fake.stored_bsff(self._auth(), id)
        if bsff["status"] != "INITIAL":
            raise error("FORBIDDEN", "Des champs ont été verrouillés via signature et ne peuvent plus être modifiés")
        self.fake.apply_input(bsff, input)
        return self.fake.touch(bsff)

    def publishBsff(self, info, id):  # noqa: N802, A002
        bsff = self.fake.stored_bsff(self._auth(), id)
        self.fake.check_emission(bsff)
        bsff["isDraft"] = False
        return self.fake.touch(bsff)

    def signBsff(self, info, id, input):  # noqa: N802, A002
        user = self._auth()
        bsff = self.fake.stored_bsff(user, id)
        if input["type"] == "TRANSPORT":
            return self.fake.sign_transport(user, bsff, input)
        if input["type"] != "EMISSION":
            raise error("FORBIDDEN", "Vous ne pouvez pas signer ce bordereau")
        if bsff["emitter"]["company"]["siret"] not in user["sirets"]:
            raise error("FORBIDDEN", "Vous ne pouvez pas signer ce bordereau")
        if bsff["status"] != "INITIAL":
            raise error("FORBIDDEN", "L'entreprise émettrice a déjà signé ce bordereau")
        self.fake.check_emission(bsff)
        bsff["emitter"]["emission"] = {"signature": {"date": self.fake.now(), "author": input["author"]}}
        bsff["status"] = "SIGNED_BY_EMITTER"
        return self.fake.touch(bsff)


class FakeTrackdechets:
    """State and behaviour of the fake; ``start()`` serves it, ``stop()`` ends it."""

    def __init__(self):
        self.users = {}  # token -> user
        self.companies = {}  # siret -> CompanyPublic fields
        self.bsffs = {}
        self.fiches = {}
        self.pdf_tokens = {}
        self.documents = []  # (operationName, variables) of every request, in order
        self.invalid_documents = []
        self.faults = {}  # operationName -> "drop"
        # Seconds each answer takes once the request is applied: a slow network, over which a
        # client that dies while waiting loses an answer whose effect is already there.
        self.answer_delay = 0.0
        self._ids = itertools.count(1)
        self._clock = datetime.now(timezone.utc)
        self._lock = threading.RLock()
        self.server = None
        self.url = None

    # --- set-up helpers for tests ----------------------------------------------------------
    def add_user(self, token, email, sirets, name="Utilisateur", role="ADMIN"):
        self.users[token] = {
            "id": f"user-{len(self.users) + 1}",
            "email": email,
            "name": name,
            "sirets": set(sirets),
            "role": role,
        }

    def add_company(self, siret, name, types=(), receipt=None, closed=False):
        self.companies[siret] = {
            "siret": siret,
            "name": name,
            "isRegistered": bool(types),
            "companyTypes": list(types),
            "etatAdministratif": "F" if closed else "A",
            "transporterReceipt": receipt and dict({"id": f"rcpt-{siret}"}, **receipt),
        }

    def snapshot(self):
        """What a test class set up; ``restore()`` returns to it after each test."""
        self._saved = copy.deepcopy((self.users, self.companies))

    def restore(self):
        self.users, self.companies = copy.deepcopy(self._saved)
        for store in (self.bsffs, self.fiches, self.pdf_tokens, self.faults):
            store.clear()
        self.documents.clear()
        self.invalid_documents.clear()

    def fail_next(self, operation, mode="drop"):
        """The next ``operation`` is applied, then its answer is lost ("drop") or broken by the
        proxy ("bad_gateway", a 502) or the server ("crash", a 500).

        Odoo's test mode stretches HTTP timeouts to 10 s, so a lost answer is how tests
        make the client meet an outcome it cannot know."""
        self.faults[operation] = mode

    def requests_for(self, operation):
        return [variables for name, variables in self.documents if name == operation]

    # --- serving ---------------------------------------------------------------------------
    def start(self):
        load_schema()
        self.server, self.url = serve(_handler(self))
        return self

    def stop(self):
        shutdown(self.server)

    def execute(self, token, body):
        query, variables = body.get("query", ""), body.get("variables") or {}
        name = body.get("operationName")
        try:
            document = parse(query)
        except GraphQLError as exc:
            self.invalid_documents.append((name, str(exc)))
            return 400, {"errors": [{"message": str(exc), "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}]}
        problems = validate(load_schema(), document)
        if problems:
            self.invalid_documents.append((name, [p.message for p in problems]))
            return 400, {
                "errors": [
                    {"message": p.message, "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"}} for p in problems
                ]
            }
        with self._lock:
            self.documents.append((name, variables))
            result = graphql_sync(
                load_schema(),
                query,
                root_value=Resolvers(self, self.users.get(token)),
                variable_values=variables,
                operation_name=name,
            )
        payload = {"data": result.data}
        if result.errors:
            payload["errors"] = [e.formatted for e in result.errors]
        return 200, payload

    # --- data --------------------------------------------------------------------------------
    def now(self):
        # Strictly increasing, so that an `updatedAt` filter never misses a change.
        self._clock = max(datetime.now(timezone.utc), self._clock + timedelta(milliseconds=1))
        return self._clock.isoformat().replace("+00:00", "Z")

    def touch(self, bsff):
        bsff["updatedAt"] = self.now()
        return self.serialize(bsff)

    def serialize(self, bsff):
        out = dict(bsff)
        out["ficheInterventions"] = [self.fiches[i] for i in bsff["ficheIds"]]
        out["transporter"] = bsff["transporters"][0] if bsff["transporters"] else None
        return out

    def sirets_of(self, bsff):
        sirets = {bsff["emitter"]["company"].get("siret"), (bsff["destination"].get("company") or {}).get("siret")}
        sirets |= {(t.get("company") or {}).get("siret") for t in bsff["transporters"]}
        sirets |= {(self.fiches[i]["detenteur"].get("company") or {}).get("siret") for i in bsff["ficheIds"]}
        return sirets - {None}

    def stored_bsff(self, user, bsff_id):
        bsff = self.bsffs.get(bsff_id)
        if not bsff or bsff.get("deleted"):
            raise error("BAD_USER_INPUT", f"Le BSFF n°{bsff_id} n'existe pas.")
        if not self.sirets_of(bsff) & user["sirets"]:
            raise error("FORBIDDEN", "Vous ne pouvez pas accéder à ce BSFF")
        return bsff

    def visible_bsff(self, user, bsff_id):
        return self.serialize(self.stored_bsff(user, bsff_id))

    def check_sirets(self, values, *paths):
        """Trackdéchets checks every SIRET's key (14 digits, Luhn, La Poste's exception)."""
        for path in paths:
            node = values
            for key in path:
                node = (node or {}).get(key)
            if node and not stdnum_siret.is_valid(node):
                message = f"{node} n'est pas un numéro de SIRET valide"
                raise error("BAD_USER_INPUT", message, [{"code": "custom", "path": list(path), "message": message}])

    def check_fiche(self, user, values):
        self.check_sirets(values, ("operateur", "company", "siret"), ("detenteur", "company", "siret"))
        check_input(values)
        operateur = values["operateur"]["company"]
        if operateur.get("siret") not in user["sirets"]:
            raise error(
                "FORBIDDEN",
                "Vous ne pouvez pas créer une fiche d'intervention sur laquelle votre entreprise n'apparaît pas",
            )
        missing = [
            f"operateur.company.{k}"
            for k in ("siret", "name", "address", "contact", "phone", "mail")
            if not operateur.get(k)
        ]
        detenteur = values["detenteur"]
        if detenteur.get("isPrivateIndividual"):
            if (detenteur.get("company") or {}).get("siret"):
                missing.append("detenteur.company.siret: interdit pour un particulier")
            keys = ("name", "address")
        else:
            keys = ("siret", "name", "address", "contact", "phone", "mail")
        missing += [f"detenteur.company.{k}" for k in keys if not (detenteur.get("company") or {}).get(k)]
        if missing:
            issues = [
                {"code": "custom", "path": m.split("."), "message": f"Le champ {m} est obligatoire."} for m in missing
            ]
            raise error("BAD_USER_INPUT", "\n".join(i["message"] for i in issues), issues)

    def store_fiche(self, fiche_id, values):
        fiche_id = fiche_id or f"FI-{next(self._ids):06d}"
        detenteur = values["detenteur"]
        self.fiches[fiche_id] = {
            "id": fiche_id,
            "numero": values["numero"],
            "weight": values["weight"],
            "postalCode": values["postalCode"],
            "detenteur": {
                "company": detenteur.get("company"),
                "isPrivateIndividual": bool(detenteur.get("isPrivateIndividual")),
            },
            "operateur": {"company": values["operateur"]["company"]},
        }
        return self.fiches[fiche_id]

    def create_bsff(self, user, values, draft):
        if not values.get("type"):
            raise error("BAD_USER_INPUT", "Vous devez renseigner le type de bordereau")
        if (values.get("emitter") or {}).get("company", {}).get("siret") not in user["sirets"]:
            raise error(
                "FORBIDDEN",
                "Vous ne pouvez pas crée un bordereau sur lequel le SIRET de votre entreprise n'apparaît pas.",
            )
        stamp = self.now()
        bsff_id = f"FF-{stamp[:10].replace('-', '')}-{next(self._ids):09d}"
        bsff = {
            "id": bsff_id,
            "type": values["type"],
            "status": "INITIAL",
            "isDraft": draft,
            "createdAt": stamp,
            "updatedAt": stamp,
            "emitter": {"company": {}, "customInfo": None, "emission": None},
            "transporters": [],
            "destination": {},
            "packagings": [],
            "ficheIds": [],
            "waste": None,
            "weight": None,
        }
        self.apply_input(bsff, values)
        if not draft:
            self.check_emission(bsff)
        self.bsffs[bsff_id] = bsff
        return self.serialize(bsff)

    def apply_input(self, bsff, values):
        check_input(values)
        if "type" in values and values["type"] != bsff["type"]:
            raise error("BAD_USER_INPUT", "Vous ne pouvez pas modifier le type de BSFF après création")
        self.check_sirets(
            values,
            ("emitter", "company", "siret"),
            ("transporter", "company", "siret"),
            ("destination", "company", "siret"),
        )
        if "emitter" in values:
            bsff["emitter"] = dict(
                bsff["emitter"],
                company=values["emitter"].get("company") or {},
                customInfo=values["emitter"].get("customInfo"),
            )
        if values.get("transporter"):
            self.check_transporter(values["transporter"])
            bsff["transporters"] = [self.transporter_from(values["transporter"])]
        if "destination" in values:
            self.check_destination(values["destination"])
            bsff["destination"] = dict(values["destination"], reception=None)
        if "packagings" in values:
            bsff["packagings"] = [
                dict(p, id=f"PK-{next(self._ids)}", acceptation=None, operation=None) for p in values["packagings"]
            ]
        if "ficheInterventions" in values:
            unknown = [i for i in values["ficheInterventions"] if i not in self.fiches]
            if unknown:
                raise error("BAD_USER_INPUT", f"Fiches d'intervention inconnues : {', '.join(unknown)}")
            bsff["ficheIds"] = list(values["ficheInterventions"])
        for key in ("waste", "weight"):
            if key in values:
                bsff[key] = values[key]

    def transporter_from(self, values):
        company = values.get("company") or {}
        exempted = bool((values.get("recepisse") or {}).get("isExempted"))
        receipt = None if exempted else (self.companies.get(company.get("siret")) or {}).get("transporterReceipt")
        recepisse = {
            "isExempted": exempted,
            "number": receipt and receipt["receiptNumber"],
            "department": receipt and receipt["department"],
            "validityLimit": receipt and receipt["validityLimit"],
        }
        transport = dict(
            {"mode": "ROAD", "plates": [], "takenOverAt": None}, **(values.get("transport") or {}), signature=None
        )
        return {
            "id": f"TR-{next(self._ids)}",
            "company": company,
            "recepisse": recepisse,
            "transport": transport,
            "customInfo": values.get("customInfo"),
        }

    def check_transporter(self, values):
        if (values.get("recepisse") or {}).get("isExempted"):
            return
        siret = (values.get("company") or {}).get("siret")
        if siret and "TRANSPORTER" not in (self.companies.get(siret) or {}).get("companyTypes", []):
            message = f"Le transporteur saisi sur le bordereau (SIRET: {siret}) n'est pas inscrit sur Trackdéchets en tant qu'entreprise de transport."
            raise error(
                "BAD_USER_INPUT",
                message,
                [{"code": "custom", "path": ["transporter", "company", "siret"], "message": message}],
            )

    def check_destination(self, values):
        siret = (values.get("company") or {}).get("siret")
        company = self.companies.get(siret) or {}
        if company.get("etatAdministratif") == "F":
            message = f"L'établissement {siret} est fermé selon le répertoire SIRENE"
            raise error(
                "BAD_USER_INPUT",
                message,
                [{"code": "custom", "path": ["destination", "company", "siret"], "message": message}],
            )
        if siret and not DESTINATION_PROFILES & set(company.get("companyTypes", [])):
            message = f"L'installation de destination avec le SIRET {siret} n'est pas inscrite sur Trackdéchets en tant qu'installation de traitement ou de tri transit regroupement."
            raise error(
                "BAD_USER_INPUT",
                message,
                [{"code": "custom", "path": ["destination", "company", "siret"], "message": message}],
            )

    def check_emission(self, bsff):
        """EMISSION requirements (research §7.2): every missing field, one message."""
        missing = []
        for role in ("emitter", "destination"):
            company = bsff[role].get("company") or {}
            missing += [
                f"{role}.company.{k}"
                for k in ("name", "siret", "address", "contact", "phone", "mail")
                if not company.get(k)
            ]
        if not (bsff.get("waste") or {}).get("code") or not (bsff.get("waste") or {}).get("description"):
            missing.append("waste")
        if not (bsff.get("weight") or {}).get("value"):
            missing.append("weight.value")
        if not bsff["destination"].get("plannedOperationCode"):
            missing.append("destination.plannedOperationCode")
        if not bsff["packagings"]:
            missing.append("packagings")
        missing += [f"packagings.{p['numero']}.volume" for p in bsff["packagings"] if not p.get("volume")]
        emitter_siret = bsff["emitter"]["company"].get("siret")
        missing += [
            f"ficheInterventions.{i}.operateur"
            for i in bsff["ficheIds"]
            if self.fiches[i]["operateur"]["company"]["siret"] != emitter_siret
        ]
        if missing:
            issues = [
                {"code": "custom", "path": m.split("."), "message": f"Le champ {m} est obligatoire."} for m in missing
            ]
            raise error("BAD_USER_INPUT", "\n".join(i["message"] for i in issues), issues)

    def sign_transport(self, user, bsff, values):
        """TRANSPORT by transporter n°1 (research §10): after the emitter, with mode and plates."""
        if bsff["status"] != "SIGNED_BY_EMITTER":
            raise error(
                "FORBIDDEN",
                "Le transporteur ne peut pas signer l'enlèvement avant que l'émetteur ait signé le bordereau",
            )
        if not bsff["transporters"]:
            raise error("BAD_USER_INPUT", "Le transporteur est obligatoire.")
        transporter = bsff["transporters"][0]
        if (transporter["company"] or {}).get("siret") not in user["sirets"]:
            raise error("FORBIDDEN", "Vous ne pouvez pas signer ce bordereau")
        transport = transporter["transport"]
        missing = [
            f"transporter.company.{k}"
            for k in ("name", "siret", "address", "contact", "phone", "mail")
            if not transporter["company"].get(k)
        ]
        if not transport.get("mode"):
            missing.append("transporter.transport.mode")
        if transport.get("mode") == "ROAD" and not transport.get("plates"):
            missing.append("transporter.transport.plates")
        if missing:
            issues = [
                {"code": "custom", "path": m.split("."), "message": f"Le champ {m} est obligatoire."} for m in missing
            ]
            raise error("BAD_USER_INPUT", "\n".join(i["message"] for i in issues), issues)
        date = values.get("date") or self.now()
        transport.update(
            takenOverAt=transport.get("takenOverAt") or date, signature={"date": date, "author": values["author"]}
        )
        bsff["status"] = "SENT"
        return self.touch(bsff)

    def page(self, user, where, first, after):
        nodes = [
            b
            for b in self.bsffs.values()
            if not b.get("deleted") and self.sirets_of(b) & user["sirets"] and self.matches(b, where)
        ]
        nodes.sort(key=lambda b: (b["createdAt"], b["id"]), reverse=True)
        start = next((i + 1 for i, b in enumerate(nodes) if b["id"] == after), 0) if after else 0
        chunk = nodes[start : start + first]
        return {
            "totalCount": len(nodes),
            "pageInfo": {
                "startCursor": chunk[0]["id"] if chunk else None,
                "endCursor": chunk[-1]["id"] if chunk else None,
                "hasNextPage": start + first < len(nodes),
                "hasPreviousPage": start > 0,
            },
            "edges": [{"cursor": b["id"], "node": self.serialize(b)} for b in chunk],
        }

    @staticmethod
    def matches(bsff, where):
        for key in ("updatedAt", "createdAt"):
            for op, value in (where.get(key) or {}).items():
                stamp, value = _parse_time(bsff[key]), _parse_time(value)
                if (
                    (op == "_gte" and stamp < value)
                    or (op == "_gt" and stamp <= value)
                    or (op == "_lte" and stamp > value)
                    or (op == "_lt" and stamp >= value)
                ):
                    return False
        ids = (where.get("id") or {}).get("_in")
        if ids is not None and bsff["id"] not in ids:
            return False
        siret = (((where.get("emitter") or {}).get("company") or {}).get("siret") or {}).get("_eq")
        return not siret or bsff["emitter"]["company"].get("siret") == siret

    def add_bsff(self, emitter_siret, numero, status="SIGNED_BY_EMITTER", weight=2.0):
        """A BSFF already sent by ``emitter_siret`` (for sync tests and benchmarks)."""
        stamp = self.now()
        bsff_id = f"FF-{stamp[:10].replace('-', '')}-{next(self._ids):09d}"
        self.bsffs[bsff_id] = {
            "id": bsff_id,
            "type": "COLLECTE_PETITES_QUANTITES",
            "status": status,
            "isDraft": False,
            "createdAt": stamp,
            "updatedAt": stamp,
            "emitter": {
                "company": {"siret": emitter_siret, "name": "Émetteur"},
                "customInfo": None,
                "emission": {"signature": {"date": stamp, "author": "Émetteur"}},
            },
            "transporters": [self.transporter_from({"company": {"siret": "44306184100047", "name": "Transporteur"}})],
            "destination": {
                "company": {"siret": "38012986600014", "name": "Destination"},
                "plannedOperationCode": "R2",
                "cap": None,
                "reception": None,
            },
            "packagings": [
                {
                    "id": f"PK-{next(self._ids)}",
                    "numero": numero,
                    "type": "BOUTEILLE",
                    "volume": 13.6,
                    "weight": weight,
                    "acceptation": None,
                    "operation": None,
                }
            ],
            "ficheIds": [],
            "waste": {"code": "14 06 01*", "description": "R410A", "adr": None},
            "weight": {"value": weight, "isEstimate": False},
        }
        return bsff_id

    # --- the other parties, driven by tests -----------------------------------------------
    def _signature(self, author):
        return {"date": self.now(), "author": author}

    def transport(self, bsff_id, plates=("AB-123-CD",)):
        bsff = self.bsffs[bsff_id]
        transporter = bsff["transporters"][0]
        transporter["transport"].update(
            plates=list(plates), takenOverAt=self.now(), signature=self._signature("Chauffeur")
        )
        bsff["status"] = "SENT"
        self.touch(bsff)

    def receive(self, bsff_id):
        bsff = self.bsffs[bsff_id]
        bsff["destination"]["reception"] = {"date": self.now(), "signature": self._signature("Réception")}
        bsff["status"] = "RECEIVED"
        self.touch(bsff)

    def accept(self, bsff_id, refused=()):
        bsff = self.bsffs[bsff_id]
        for packaging in bsff["packagings"]:
            refuse = packaging["numero"] in refused
            packaging["acceptation"] = {
                "date": self.now(),
                "weight": 0 if refuse else packaging["weight"],
                "status": "REFUSED" if refuse else "ACCEPTED",
                "refusalReason": "Contenant non conforme" if refuse else None,
                "wasteCode": bsff["waste"]["code"],
                "signature": self._signature("Acceptation"),
            }
        statuses = {p["acceptation"]["status"] for p in bsff["packagings"]}
        bsff["status"] = (
            "ACCEPTED" if statuses == {"ACCEPTED"} else "REFUSED" if statuses == {"REFUSED"} else "PARTIALLY_REFUSED"
        )
        self.touch(bsff)

    def process(self, bsff_id, code="R2", mode="RECYCLAGE"):
        bsff = self.bsffs[bsff_id]
        for packaging in bsff["packagings"]:
            if packaging["acceptation"]["status"] == "ACCEPTED":
                packaging["operation"] = {
                    "code": code,
                    "mode": mode,
                    "description": "Régénération",
                    "date": self.now(),
                    "signature": self._signature("Traitement"),
                }
        bsff["status"] = "PROCESSED"
        self.touch(bsff)


def _handler(fake):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _reply(self, status, body, content_type="application/json"):
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            # A client that went away before the answer (a killed worker) is no error of ours.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)

        def do_POST(self):  # noqa: N802
            if urlparse(self.path).path != "/":
                return self._reply(404, b"Not found", "text/plain")
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            auth = self.headers.get("Authorization", "")
            token = auth[7:] if auth.startswith("Bearer ") else None
            status, payload = fake.execute(token, body)
            if fake.answer_delay:
                time.sleep(fake.answer_delay)
            fault = fake.faults.pop(body.get("operationName"), None)
            if fault == "drop":
                self.close_connection = True
                return None  # applied, but the answer never comes back
            if fault in ("bad_gateway", "crash"):
                # Applied, then the proxy (502) or the server (500) broke the answer.
                return self._reply(502 if fault == "bad_gateway" else 500, b"<html>Bad gateway</html>", "text/html")
            return self._reply(status, payload)

        def do_GET(self):  # noqa: N802
            url = urlparse(self.path)
            if url.path == "/ping":
                return self._reply(200, b"Pong!", "text/plain")
            bsff_id = fake.pdf_tokens.pop((parse_qs(url.query).get("token") or [""])[0], None)
            if url.path != "/download" or not bsff_id:
                return self._reply(403, "Token invalide ou expiré.".encode(), "text/plain")
            return self._reply(200, minimal_pdf(bsff_id), "application/pdf")

    return Handler


def minimal_pdf(text):
    """A valid one-page PDF showing ``text``."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
