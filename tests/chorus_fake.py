"""A local fake of PISTE + Chorus Pro, served on 127.0.0.1 for the tests.

It enforces what the real gateway does (research §1-4): OAuth2 client credentials, the
``cpro-account`` header (401), one subscription per API (403), ``codeRetour``/``libelle`` on
every answer, pages on searches. Requests and answers on the paths of the official Swagger
files (``../shared/reference/chorus_pro/``) are checked against their definitions: a key the
Swagger does not declare lands in ``violations``. Tests drive the buyer side with
``set_status()`` and inject lost answers with ``fail_next()``.
"""

import base64
import copy
import hashlib
import io
import itertools
import json
import logging
import secrets
import tarfile
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs

import facturx
import PyPDF2
from lxml import etree
from stdnum.fr import siret as stdnum_siret

try:
    from . import schematron
    from .fake_http import serve, shutdown
    from .reference import reference_dir
except ImportError:  # imported as a top-level module by the bench/ scripts
    import schematron
    from fake_http import serve, shutdown
    from reference import reference_dir

SWAGGER_DIR = reference_dir("chorus_pro")
SWAGGERS = {"/cpro/factures": "api-chorus-pro.json", "/cpro/structures": "Structures.json"}
API_OF_PREFIX = {
    "transverses": "Transverses",
    "structures": "Structures",
    "utilisateurs": "Utilisateurs",
    "engagementsJuridiques": "Engagements",
    "factures": "Factures",
}
_logger = logging.getLogger(__name__)
OK = {"codeRetour": 0, "libelle": "TRA_MSG_00.000"}


def swagger_available():
    return all((SWAGGER_DIR / name).is_file() for name in SWAGGERS.values())


class SwaggerCheck:
    """Keys of a body against a Swagger 2.0 definition, recursively (objects and arrays)."""

    def __init__(self):
        self.specs = {prefix: json.loads((SWAGGER_DIR / name).read_text()) for prefix, name in SWAGGERS.items()}

    def operation(self, path):
        for prefix, spec in self.specs.items():
            if path.startswith(prefix):
                return spec, (spec["paths"].get(path[len(prefix) :]) or {}).get("post")
        return None, None

    def problems(self, spec, schema, value, where):
        if "$ref" in schema:
            schema = spec["definitions"][schema["$ref"].split("/")[-1]]
        if isinstance(value, list):
            # The Swagger types pieceJointePrincipale as one object; every client sends a list.
            item = schema.get("items", schema)
            return [p for i, v in enumerate(value) for p in self.problems(spec, item, v, f"{where}[{i}]")]
        if isinstance(value, dict) and "properties" in schema:
            found = []
            for key, sub in value.items():
                if key not in schema["properties"]:
                    found.append(f"{where}.{key}: not in the Swagger")
                else:
                    found += self.problems(spec, schema["properties"][key], sub, f"{where}.{key}")
            return found
        return []

    def request(self, path, body):
        spec, operation = self.operation(path)
        if not operation:
            return []
        schema = next(p["schema"] for p in operation["parameters"] if p.get("in") == "body")
        return self.problems(spec, schema, body, "request")

    def answer(self, path, body):
        spec, operation = self.operation(path)
        if not operation:
            return []
        return self.problems(spec, operation["responses"]["200"]["schema"], body, "answer")


class FakeChorus:
    """State and behaviour of the fake; ``start()`` serves it, ``stop()`` ends it."""

    def __init__(
        self, client_id="piste-id", client_secret="piste-secret", login="TECH_hvac@cpro.fr", password="Pass-1234"
    ):
        self.client_id, self.client_secret = client_id, client_secret
        self.account = base64.b64encode(f"{login}:{password}".encode()).decode()
        self.subscribed = set(API_OF_PREFIX.values())
        self.supplier = {
            "idStructureCPP": 25000001,
            "designationStructure": "Froid Lyonnais",
            "identifiant": "85200000900013",
        }
        # Other supplier structures the technical account may invoice for, listed before ours.
        self.other_suppliers = []
        self.structures = {}  # siret -> structure
        # Chorus' list for invoices is not published (research §3.7): the fake lists its own.
        self.attachment_type_list = [("BDC", "Bon de commande"), ("AUT", "Autre")]
        # Nor is its list of VAT-exemption reasons (research §3.15): the fake's own again.
        self.exemption_reason_list = [
            ("EXO_293B", "TVA non applicable, art. 293 B du CGI"),
            ("EXO_261", "Exonération, art. 261 du CGI"),
        ]
        self.engagements = set()  # (receiving structure id, number) created by buyers
        self.flows = {}
        self.invoices = {}  # id -> invoice
        self.files = {}
        self.tokens = {}
        self.token_pages = {}  # client id -> what the gateway answers instead of a token (bytes)
        self.token_requests = 0
        self.calls = []  # (path, body)
        self.violations = []
        self.faults = {}
        self._ids = itertools.count(1001)
        self._lock = threading.RLock()
        self.check = SwaggerCheck()

    # --- set-up helpers ------------------------------------------------------------------
    def add_structure(
        self,
        siret,
        name,
        service_required=False,
        engagement_required=False,
        either=False,
        no_payment_status=False,
        services=(),
        address=None,
    ):
        """``address``: the seat's postal address Chorus gives (adressePostaleDuSiege keys),
        or None for a structure whose address Chorus does not have."""
        structure_id = next(self._ids)
        self.structures[siret] = {
            "idStructureCPP": structure_id,
            "identifiantStructure": siret,
            "designationStructure": name,
            "statut": "ACTIVE",
            "address": address,
            "flags": {
                "codeServiceDoitEtreRenseigne": service_required,
                "numeroEJDoitEtreRenseigne": engagement_required,
                "gestionNumeroEJOuCodeService": either,
                "statutMiseEnPaiementNestPasRemonte": no_payment_status,
            },
            "services": [
                {
                    "idService": next(self._ids),
                    "codeService": code,
                    "libelleService": label,
                    "estActif": True,
                    "engagement": ej,
                }
                for code, label, ej in services
            ],
        }
        return structure_id

    def snapshot(self):
        """What a test class set up; ``restore()`` returns to it after each test."""
        self._saved = copy.deepcopy((self.structures, self.subscribed, self.supplier, self.other_suppliers))

    def restore(self):
        self.structures, self.subscribed, self.supplier, self.other_suppliers = copy.deepcopy(self._saved)
        for store in (self.invoices, self.files, self.faults, self.flows, self.engagements, self.token_pages):
            store.clear()
        self.calls.clear()
        self.violations.clear()

    def fail_next(self, path, applied=True):
        """The next call of ``path`` is applied, then its answer is lost; or, not ``applied``, it
        is lost on its way (the connection drops before Chorus reads it)."""
        self.faults[path] = "drop" if applied else "lose"

    def set_status(self, invoice_id, code, comment=None):
        invoice = self.invoices[invoice_id]
        invoice["statut"] = code
        invoice["history"].append(
            {
                "histoStatutId": next(self._ids),
                "histoStatutCode": code,
                "histoStatutDatePassage": self.now(),
                "histoStatutCommentaire": comment,
            }
        )

    def calls_to(self, path):
        return [body for called, body in self.calls if called == path]

    @staticmethod
    def now():
        return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]

    # --- serving -----------------------------------------------------------------------------
    def start(self):
        self.server, self.url = serve(_handler(self))
        return self

    def stop(self):
        shutdown(self.server)

    def oauth(self, form):
        self.token_requests += 1
        if form.get("client_id") in self.token_pages:
            return 200, self.token_pages[form["client_id"]]  # a gateway's page, not PISTE's answer
        if form.get("client_id") != self.client_id or form.get("client_secret") != self.client_secret:
            return 400, {"error": "invalid_client", "error_description": "Bad client credentials"}
        token = secrets.token_hex(12)
        self.tokens[token] = True
        return 200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": "openid"}

    def handle(self, path, headers, body):
        bearer = headers.get("Authorization", "")[7:]
        if not self.tokens.get(bearer):
            return 401, {"error": "invalid_token"}
        if headers.get("cpro-account") != self.account:
            return 401, {"codeRetour": 401, "libelle": "Utilisateur technique non reconnu"}
        if API_OF_PREFIX.get(path.split("/")[2]) not in self.subscribed:
            return 403, {"error": "access denied"}
        self.violations += self.check.request(path, body or {})
        with self._lock:
            self.calls.append((path, body))
            route = ROUTES.get(path)
            status, answer = (200, route(self, body or {})) if route else (404, {"error": "not found"})
        if status == 200:
            self.violations += self.check.answer(path, answer)
        return status, answer

    # --- routes ------------------------------------------------------------------------------
    def health(self, body):
        return {
            "body": "L'API CPRO est actuellement disponible et fonctionnel.",
            "statusCode": "OK",
            "statusCodeValue": 200,
        }

    def structures_of_supplier(self, body):
        return dict(OK, listeStructures=[*self.other_suppliers, self.supplier])

    def search_structure(self, body):
        identifier = body["structure"]["identifiantStructure"]
        if body["structure"].get("typeIdentifiantStructure") == "SIRET" and not stdnum_siret.is_valid(identifier):
            return {"codeRetour": 20003, "libelle": f"L'identifiant {identifier} n'est pas un SIRET valide."}
        found = self.structures.get(body["structure"]["identifiantStructure"])
        keys = ("idStructureCPP", "identifiantStructure", "designationStructure", "statut")
        listed = [dict({k: found[k] for k in keys}, typeIdentifiantStructure="SIRET")] if found else []
        return dict(
            OK,
            listeStructures=listed,
            parametresRetour={"pageCourante": 1, "pages": 1, "nbResultatsParPage": 10, "total": len(listed)},
        )

    def _structure_by_id(self, structure_id):
        return next(s for s in self.structures.values() if s["idStructureCPP"] == structure_id)

    def consult_structure(self, body):
        structure = self._structure_by_id(body["idStructureCPP"])
        general = {
            "idStructureCPP": structure["idStructureCPP"],
            "identifiantStructure": structure["identifiantStructure"],
            "raisonSocialeStructure": structure["designationStructure"],
        }
        answer = dict(OK, informationGenerales=general, parametres=dict(structure["flags"]))
        if structure.get("address"):
            answer["adressePostaleDuSiege"] = dict(structure["address"])
        return answer

    def search_services(self, body):
        services = self._structure_by_id(body["idStructure"])["services"]
        paging = body.get("parametresRechercherServicesStructure") or {}
        size, page = paging.get("nbResultatsParPage") or 10, paging.get("pageResultatDemandee") or 1
        chunk = services[(page - 1) * size : page * size]
        listed = [{k: s[k] for k in ("idService", "codeService", "libelleService", "estActif")} for s in chunk]
        pages = max(1, -(-len(services) // size))
        return dict(
            OK,
            listeServices=listed,
            parametresRetour={"pageCourante": page, "pages": pages, "nbResultatsParPage": size, "total": len(services)},
        )

    def consult_service(self, body):
        service = next(
            s for s in self._structure_by_id(body["idStructure"])["services"] if s["idService"] == body["idService"]
        )
        return dict(
            OK,
            informationsGenerales={"codeService": service["codeService"], "nomService": service["libelleService"]},
            parametres={"numeroEngagement": service["engagement"]},
        )

    def upload(self, body):
        file_id = next(self._ids)
        self.files[file_id] = {
            "name": body["pieceJointeNom"],
            "content": base64.b64decode(body["pieceJointeFichier"]),
            "mime": body["pieceJointeTypeMime"],
        }
        return dict(OK, pieceJointeId=file_id)

    def attachment_types(self, body):
        if body.get("typeObjet") != "FACTURE":
            return {"codeRetour": 10001, "libelle": "typeObjet invalide."}
        return dict(
            OK,
            listeTypePieceJointe=[
                {
                    "idTypePieceJointe": n,
                    "codeTypePieceJointe": code,
                    "libelleTypePieceJointe": label,
                    "typeObjet": "FACTURE",
                }
                for n, (code, label) in enumerate(self.attachment_type_list, 1)
            ],
        )

    def unknown_attachment_type(self, attachments):
        """A type Chorus did not list is refused; an empty one is filed as "Doc. Annexe"."""
        known = {code for code, _label in self.attachment_type_list}
        return next(
            (
                a["pieceJointeComplementaireType"]
                for a in attachments or []
                if a.get("pieceJointeComplementaireType") not in known | {""}
            ),
            None,
        )

    def submit(self, body):
        if kind := self.unknown_attachment_type(body.get("pieceJointeComplementaire")):
            return {"codeRetour": 20300, "libelle": f"Le type de pièce jointe {kind} est inconnu."}
        number = body.get("numeroFactureSaisi")
        if any(i["numeroFacture"] == number for i in self.invoices.values()):
            return {"codeRetour": 20001, "libelle": f"La facture {number} a déjà été déposée par ce fournisseur."}
        siret = body["destinataire"]["codeDestinataire"]
        if not stdnum_siret.is_valid(siret):
            return {"codeRetour": 20003, "libelle": f"L'identifiant {siret} n'est pas un SIRET valide."}
        structure = self.structures.get(siret)
        if not structure:
            return {"codeRetour": 20002, "libelle": f"Le destinataire {siret} est inconnu."}
        if refused := self.refused_frame_or_vat(body):
            return refused
        if structure["flags"]["codeServiceDoitEtreRenseigne"] and not body["destinataire"].get("codeServiceExecutant"):
            return {"codeRetour": 20100, "libelle": "Le code service est obligatoire pour ce destinataire."}
        if structure["flags"]["numeroEJDoitEtreRenseigne"] and not (body.get("references") or {}).get(
            "numeroBonCommande"
        ):
            return {"codeRetour": 20101, "libelle": "Le numéro d'engagement est obligatoire pour ce destinataire."}
        invoice_id = next(self._ids)
        footprint = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        self.invoices[invoice_id] = {
            "identifiantFactureCPP": invoice_id,
            "numeroFacture": number,
            "statut": "DEPOSEE",
            "payload": body,
            "history": [],
        }
        self.set_status(invoice_id, "DEPOSEE")
        return dict(
            OK,
            identifiantFactureCPP=invoice_id,
            numeroFacture=number,
            statutFacture="DEPOSEE",
            dateDepot=self.now()[:10],
            identifiantStructure=str(self.supplier["idStructureCPP"]),
            empreinteCertificatDepot=footprint,
        )

    def refused_frame_or_vat(self, body):
        frame, references = body.get("cadreDeFacturation") or {}, body.get("references") or {}
        if (
            frame.get("codeCadreFacturation") in ("A9_FACTURE_SOUSTRAITANT", "A12_FACTURE_COTRAITANT")
            and frame.get("codeStructureValideur") not in self.structures
        ):
            return {
                "codeRetour": 20110,
                "libelle": "La structure valideur est obligatoire et doit exister pour ce cadre de facturation.",
            }
        if (
            frame.get("codeCadreFacturation") == "A2_FACTURE_FOURNISSEUR_DEJA_PAYEE"
            and (body.get("montantTotal") or {}).get("montantAPayer", 0) > 0
        ):
            return {"codeRetour": 20111, "libelle": "Une facture déjà payée (cadre A2) n'a plus de montant à payer."}
        if references.get("typeTva") == "EXONERATION" and references.get("motifExonerationTva") not in {
            code for code, _label in self.exemption_reason_list
        }:
            return {"codeRetour": 20120, "libelle": "Le motif d'exonération de TVA est absent ou inconnu."}
        return None

    def exemption_reasons(self, body):
        return dict(
            OK,
            listeMotifsExonerationTva=[
                {"codeMotifExonerationTva": code, "libelleMotifExonerationTva": label}
                for code, label in self.exemption_reason_list
            ],
        )

    def search_invoices(self, body):
        found = [
            i
            for i in self.invoices.values()
            if not body.get("numeroFacture") or i["numeroFacture"] == body["numeroFacture"]
        ]
        if body.get("numeroFluxDepot"):
            found = [i for i in found if i.get("flow") == body["numeroFluxDepot"]]
        since = body.get("periodeDateHeureEtatCourantDu")
        if since:
            found = [i for i in found if i["history"][-1]["histoStatutDatePassage"] >= since]
        paging = body.get("rechercheFactureParFournisseur") or {}
        size, page = paging.get("nbResultatsParPage") or 10, paging.get("pageResultatDemandee") or 1
        chunk = found[(page - 1) * size : page * size]
        listed = [
            {
                "identifiantFactureCPP": i["identifiantFactureCPP"],
                "numeroFacture": i["numeroFacture"],
                "statut": i["statut"],
                "dateHeureEtatCourant": i["history"][-1]["histoStatutDatePassage"],
                **({"numeroFluxDepot": i["flow"]} if i.get("flow") else {}),
            }
            for i in chunk
        ]
        pages = max(1, -(-len(found) // size))
        return dict(
            OK,
            listeFactures=listed,
            parametresRetour={"pageCourante": page, "pages": pages, "nbResultatsParPage": size, "total": len(found)},
        )

    def history(self, body):
        invoice = self.invoices[body["idFacture"]]
        return dict(
            OK,
            idFacture=invoice["identifiantFactureCPP"],
            numeroFacture=invoice["numeroFacture"],
            statutCourantCode=invoice["statut"],
            historiquesDesStatuts={"histoStatut": invoice["history"]},
        )

    def complete(self, body):
        if kind := self.unknown_attachment_type(body.get("pieceJointeComplementaire")):
            return {"codeRetour": 20300, "libelle": f"Le type de pièce jointe {kind} est inconnu."}
        invoice = self.invoices[body["identifiantFactureCPP"]]
        if invoice["statut"] != "SUSPENDUE":
            return {"codeRetour": 20200, "libelle": "La facture n'est pas suspendue."}
        invoice.setdefault("completions", []).append(body)
        self.set_status(invoice["identifiantFactureCPP"], "COMPLETEE")
        return dict(
            OK,
            identifiantFactureCPP=invoice["identifiantFactureCPP"],
            numeroFacture=invoice["numeroFacture"],
            dateTraitement=self.now()[:10],
        )

    def recycle(self, body):
        invoice = self.invoices[body["identifiantFactureCPP"]]
        if invoice["statut"] != "A_RECYCLER":
            return {"codeRetour": 20201, "libelle": "La facture n'est pas à recycler."}
        invoice["payload"]["destinataire"] = body["destinataire"]
        invoice.setdefault("recycled", []).append(body)
        self.set_status(invoice["identifiantFactureCPP"], "EN_COURS_ACHEMINEMENT")
        return dict(
            OK,
            identifiantFactureCPP=invoice["identifiantFactureCPP"],
            numeroFacture=invoice["numeroFacture"],
            statutFacture="EN_COURS_ACHEMINEMENT",
            dateDepot=self.now()[:10],
        )

    def deposit_flow(self, body):
        number = f"CPP{next(self._ids):022d}"
        content = base64.b64decode(body["fichierFlux"])
        self.flows[number] = {
            "numeroFluxDepot": number,
            "nomFichier": body["nomFichier"],
            "syntaxeFlux": body["syntaxeFlux"],
            "content": content,
            "etat": "IN_RECU",
            "errors": [],
            "refused": {},
        }
        if body["syntaxeFlux"] == "IN_DP_E2_CII_FACTURX":
            # A strict intake refuses a Factur-X that breaks the XSD or a rule of EN 16931: the
            # fake rejects that invoice when it integrates the flow, naming the rules, and the
            # test fails unless it expects it (ChorusCase.tearDown reads ``violations``).
            for pdf in flow_documents(body["nomFichier"], content):
                problems = facturx_problems(pdf)
                if problems:
                    self.flows[number]["refused"][_number_or_none(pdf)] = problems
                    self.violations += [f"Factur-X of flow {number}: {p}" for p in problems]
        return dict(OK, numeroFluxDepot=number, dateDepot=self.now()[:10], syntaxeFlux=body["syntaxeFlux"])

    def integrate_flow(self, number, rejected=()):
        """Chorus' side: read each Factur-X of the flow, integrate its invoices but ``rejected``."""
        flow = self.flows[number]
        documents = flow_documents(flow["nomFichier"], flow["content"])
        numbers = [facturx_number(pdf) for pdf in documents]
        # Chorus rejects an invoice whose parties' SIRETs fail the key, or whose Factur-X breaks a rule.
        rejected = set(rejected) | {
            n
            for n, pdf in zip(numbers, documents, strict=True)
            if not all(map(stdnum_siret.is_valid, facturx_sirets(pdf)))
        }
        for invoice_number in numbers:
            if invoice_number in flow["refused"]:
                reason = "; ".join(flow["refused"][invoice_number])
                flow["errors"].append({"numeroDP": invoice_number, "libelleErreurDP": reason})
                rejected.add(invoice_number)
                continue
            if invoice_number in rejected:
                flow["errors"].append({"numeroDP": invoice_number, "libelleErreurDP": "SIRET destinataire inconnu"})
                continue
            invoice_id = next(self._ids)
            self.invoices[invoice_id] = {
                "identifiantFactureCPP": invoice_id,
                "numeroFacture": invoice_number,
                "statut": "DEPOSEE",
                "payload": {},
                "history": [],
                "flow": number,
            }
            self.set_status(invoice_id, "DEPOSEE")
        flow["etat"] = (
            "IN_REJETE" if len(rejected) == len(numbers) else "IN_INTEGRE_PARTIEL" if rejected else "IN_INTEGRE"
        )
        return numbers

    def flow_report(self, body):
        flow = self.flows[body["numeroFluxDepot"]]
        return dict(
            OK,
            nomFichier=flow["nomFichier"],
            etatCourantDepotFlux=flow["etat"],
            listeErreurDP=flow["errors"],
            listeErreurTechnique=[],
        )

    def find_engagements(self, body):
        key = (body.get("structureReceptriceEngagementJuridique"), body.get("numeroEngagementJuridique"))
        found = (
            [{"numeroEngagementJuridique": key[1], "idEngagementJuridique": 1, "libelleEtatCourantEJ": "Commandé"}]
            if key in self.engagements
            else []
        )
        return dict(OK, listeEngagementJuridique=found)

    def nothing(self, body):
        return dict(OK)


ROUTES = {
    "/cpro/transverses/v1/health-check": FakeChorus.health,
    "/cpro/transverses/v1/recuperer/structures/actives/fournisseur": FakeChorus.structures_of_supplier,
    "/cpro/transverses/v1/ajouter/fichier": FakeChorus.upload,
    "/cpro/transverses/v1/recuperer/typespj": FakeChorus.attachment_types,
    "/cpro/transverses/v1/recuperer/motifs/exonerationtva": FakeChorus.exemption_reasons,
    "/cpro/structures/v1/rechercher": FakeChorus.search_structure,
    "/cpro/structures/v1/consulter": FakeChorus.consult_structure,
    "/cpro/structures/v1/rechercher/services": FakeChorus.search_services,
    "/cpro/structures/v1/consulter/service": FakeChorus.consult_service,
    "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements": FakeChorus.nothing,
    "/cpro/engagementsJuridiques/v1/rechercher": FakeChorus.find_engagements,
    "/cpro/factures/v1/soumettre": FakeChorus.submit,
    "/cpro/factures/v1/rechercher/fournisseur": FakeChorus.search_invoices,
    "/cpro/factures/v1/consulter/historique": FakeChorus.history,
    "/cpro/factures/v1/completer": FakeChorus.complete,
    "/cpro/factures/v1/deposer/flux": FakeChorus.deposit_flow,
    "/cpro/transverses/v1/consulterCRDetaille": FakeChorus.flow_report,
    "/cpro/factures/v1/recycler": FakeChorus.recycle,
}


def flow_documents(filename, content):
    if not filename.endswith(".tar.gz"):
        return [content]
    with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
        return [archive.extractfile(member).read() for member in archive.getmembers()]


def facturx_xml(pdf):
    reader = PyPDF2.PdfReader(io.BytesIO(pdf))
    names = reader.trailer["/Root"]["/Names"]["/EmbeddedFiles"]["/Names"]
    spec = next(names[i + 1].get_object() for i in range(0, len(names), 2) if names[i] == "factur-x.xml")
    return spec["/EF"]["/F"].get_object().get_data()


def check_xsd(xml, level="en16931"):
    """The ``factur-x`` library's XSD check; what it logs (the XSD's own message) is raised
    instead, so that a refusal is a test failure with its reason, not a log line."""
    messages = []
    handler = logging.Handler()
    handler.emit = lambda record: messages.append(record.getMessage())
    library_log = logging.getLogger("factur-x")
    library_log.addHandler(handler)
    library_log.propagate = False
    try:
        return facturx.xml_check_xsd(xml, flavor="factur-x", level=level)
    except Exception as error:  # noqa: BLE001 - the library raises plain Exceptions
        raise AssertionError("; ".join(messages) or str(error)) from None
    finally:
        library_log.removeHandler(handler)
        library_log.propagate = True


def facturx_problems(pdf, rule_sets=schematron.STRICT):
    """What a strict intake refuses in a Factur-X PDF: no factur-x.xml, an XML invalid against
    the Factur-X XSD of its level (checked by the ``factur-x`` library), then any error of the
    schematrons ``rule_sets`` (EN 16931 as the CEN writes it and as the Factur-X EN 16931
    profile restricts it), a level that is not the one the PDF's XMP metadata state."""
    try:
        xml = facturx_xml(pdf)
    except (KeyError, StopIteration):
        return ["no factur-x.xml embedded"]
    level = facturx.get_level(etree.fromstring(xml))
    try:
        check_xsd(xml, level)
    except AssertionError as error:
        return [f"XSD ({level}): {error}"]
    try:
        found = schematron.check(xml, rule_sets)
    except Exception as error:  # noqa: BLE001 - a check that could not run is no pass
        return [f"schematron check did not run: {error}"]
    for warning in found["warnings"]:
        _logger.info("Factur-X %s, schematron warning: %s", facturx.get_level(etree.fromstring(xml)), warning)
    if found["errors"]:
        return found["errors"]
    metadata = PyPDF2.PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/Metadata")
    packet = metadata.get_object().get_data() if metadata else b""
    stated = (
        etree.fromstring(packet.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0]).findtext(".//{*}ConformanceLevel")
        if packet
        else None
    )
    if (stated or "").replace(" ", "").lower() != level.lower():
        return [f"the XML is {level}, the PDF's metadata say {stated}"]
    return []


def _number_or_none(pdf):
    try:
        return facturx_number(pdf)
    except (KeyError, StopIteration):
        return None


def facturx_sirets(pdf):
    """The seller's and buyer's legal identifiers given as 14-digit SIRETs (scheme 0002 or 0009)."""
    ids = etree.fromstring(facturx_xml(pdf)).iterfind(".//{*}SpecifiedLegalOrganization/{*}ID")
    return [node.text for node in ids if node.text and len(node.text.strip()) == 14]


def facturx_number(pdf):
    """The invoice number of a Factur-X PDF: its embedded factur-x.xml's ExchangedDocument ID."""
    return etree.fromstring(facturx_xml(pdf)).findtext("{*}ExchangedDocument/{*}ID")


def _handler(fake):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _reply(self, status, body):
            raw = isinstance(body, bytes)
            data = body if raw else json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html" if raw else "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _body(self):
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))

        def do_GET(self):  # noqa: N802
            self._reply(*fake.handle(self.path, self.headers, None))

        def do_POST(self):  # noqa: N802
            raw = self._body()
            if self.path == "/api/oauth/token":
                return self._reply(*fake.oauth({k: v[0] for k, v in parse_qs(raw.decode()).items()}))
            if fake.faults.get(self.path) == "lose":
                del fake.faults[self.path]
                self.close_connection = True
                return None  # never reached Chorus
            status, answer = fake.handle(self.path, self.headers, json.loads(raw or b"{}"))
            if fake.faults.pop(self.path, None):
                self.close_connection = True
                return None  # applied, but the answer never comes back
            return self._reply(status, answer)

    return Handler
