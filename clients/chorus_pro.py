"""Client of Chorus Pro through the PISTE gateway (OAuth2 client credentials + technical account).

Facts behind it: ``../shared/research/chorus_pro.md``. Pure Python: plain dicts in and out,
one exception class with stable codes; the Odoo side turns codes into French messages.
Secrets travel in headers and form bodies only, never in an exception or a log line.
"""

import base64
import hashlib
import logging
import time

import requests

_logger = logging.getLogger(__name__)

ENDPOINTS = {
    "production": ("https://oauth.piste.gouv.fr/api/oauth/token", "https://api.piste.gouv.fr"),
    "qualification": ("https://sandbox-oauth.piste.gouv.fr/api/oauth/token", "https://sandbox-api.piste.gouv.fr"),
}
DEFAULT_TIMEOUT = 30
TOKEN_MARGIN = 60  # seconds: renew a token a minute before PISTE expires it
PAGE_SIZE = 100
# The five PISTE APIs the module uses, with a cheap call proving each is subscribed.
APIS = {
    "Transverses": ("GET", "/cpro/transverses/v1/health-check", None),
    "Structures": (
        "POST",
        "/cpro/structures/v1/rechercher",
        {"structure": {"identifiantStructure": "00000000000000", "typeIdentifiantStructure": "SIRET"}},
    ),
    "Utilisateurs": ("POST", "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements", {}),
    "Engagements": ("POST", "/cpro/engagementsJuridiques/v1/rechercher", {"numeroEngagementJuridique": "0"}),
    "Factures": (
        "POST",
        "/cpro/factures/v1/rechercher/fournisseur",
        {"rechercheFactureParFournisseur": {"nbResultatsParPage": 1, "pageResultatDemandee": 1}},
    ),
}
_tokens = {}  # (token url, client id, secret digest) -> (access token, expiry): shared by workers' threads


class ChorusProError(Exception):
    """A failed call. ``code`` is stable:

    oauth_rejected, account_rejected, api_not_subscribed (``api`` names it), rate_limited,
    unreachable (nothing was sent), timeout (sent, no answer: outcome unknown), server_error,
    business (Chorus refused: ``return_code`` and ``message`` are Chorus' codeRetour and libelle).
    """

    def __init__(self, code, message="", api=None, return_code=None):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.api = api
        self.return_code = return_code

    @property
    def outcome_unknown(self):
        return self.code == "timeout"


def _api_of(path):
    for name, (_method, probe, _body) in APIS.items():
        if path.split("/")[2] == probe.split("/")[2]:
            return name
    return path.split("/")[2]


class ChorusProClient:
    def __init__(
        self,
        client_id,
        client_secret,
        login,
        password,
        environment="production",
        token_url=None,
        api_url=None,
        timeout=DEFAULT_TIMEOUT,
        session=None,
    ):
        default_token_url, default_api_url = ENDPOINTS[environment]
        self.token_url = token_url or default_token_url
        self.api_url = (api_url or default_api_url).rstrip("/")
        self.timeout = timeout
        self._client_id, self._client_secret = client_id or "", client_secret or ""
        self._account = base64.b64encode(f"{login or ''}:{password or ''}".encode()).decode()
        self._session = session or requests.Session()
        self.calls = 0

    # --- transport -------------------------------------------------------------------
    def _cache_key(self):
        return (self.token_url, self._client_id, hashlib.sha256(self._client_secret.encode()).hexdigest())

    def token(self, fresh=False):
        cached = _tokens.get(self._cache_key())
        if cached and not fresh and cached[1] > time.time():
            return cached[0]
        self.calls += 1
        data = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "scope": "openid",
        }
        try:
            response = self._session.post(self.token_url, data=data, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout):
            raise ChorusProError("unreachable") from None
        body = self._json(response) or {}
        if response.status_code != 200:
            raise ChorusProError("oauth_rejected", body.get("error_description") or f"HTTP {response.status_code}")
        token, lifetime = body.get("access_token"), body.get("expires_in", 3600)
        if not token or not isinstance(token, str):
            # A gateway's error page, or an answer cut short: PISTE's own failure, not our credentials.
            raise ChorusProError("server_error", "the token answer holds no access token")
        try:
            lifetime = int(lifetime)
        except (TypeError, ValueError):
            lifetime = 3600
        _tokens[self._cache_key()] = (token, time.time() + lifetime - TOKEN_MARGIN)
        return token

    @staticmethod
    def _json(response):
        """The answer's JSON object; None when it is not one (a gateway's HTML page, a cut answer)."""
        try:
            body = response.json()
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def call(self, path, body=None, method="POST"):
        """One Chorus Pro call; its JSON answer, or ChorusProError. A 401 is retried once
        with a fresh token (PISTE revokes tokens before their announced expiry)."""
        for attempt in (1, 2):
            response = self._send(method, path, body, fresh_token=attempt == 2)
            if response.status_code != 401 or attempt == 2:
                break
        return self._parse(path, response)

    def _send(self, method, path, body, fresh_token):
        headers = {
            "Authorization": f"Bearer {self.token(fresh=fresh_token)}",
            "cpro-account": self._account,
            "Accept": "application/json;charset=utf-8",
        }
        self.calls += 1
        try:
            return self._session.request(
                method,
                self.api_url + path,
                json=body if method == "POST" else None,
                headers=headers,
                timeout=self.timeout,
            )
        except (requests.ConnectTimeout, requests.ConnectionError) as exc:
            never_sent = isinstance(exc, requests.ConnectTimeout) or any(
                h in str(exc) for h in ("refused", "NewConnectionError", "NameResolutionError")
            )
            raise ChorusProError("unreachable" if never_sent else "timeout") from None
        except requests.Timeout:
            raise ChorusProError("timeout") from None

    def _parse(self, path, response):
        status, decoded = response.status_code, self._json(response)
        body = decoded or {}
        if status == 401:
            raise ChorusProError("account_rejected", body.get("libelle", ""))
        if status == 403:
            raise ChorusProError("api_not_subscribed", api=_api_of(path))
        if status == 429:
            raise ChorusProError("rate_limited")
        if status == 502:
            raise ChorusProError("timeout")  # the gateway may have passed the request on: outcome unknown
        if status == 503:
            raise ChorusProError("unreachable")
        if status == 504:
            raise ChorusProError("timeout")
        if status >= 500 or (status != 200 and "codeRetour" not in body):
            raise ChorusProError("server_error", f"HTTP {status}")
        if decoded is None:
            raise ChorusProError("server_error", f"HTTP {status}, not a JSON answer")
        if body.get("codeRetour", 0) != 0 or status != 200:
            _logger.info("Chorus Pro %s refused: %s", path, body.get("codeRetour"))
            raise ChorusProError("business", body.get("libelle", ""), return_code=body.get("codeRetour"))
        return body

    # --- connection --------------------------------------------------------------------
    def check_connection(self):
        """Prove token, technical account and the five subscriptions; return the supplier
        structures the technical account may invoice for (``idStructureCPP``, ``identifiant``
        (the SIRET), ``designationStructure``): the caller picks its own by SIRET."""
        self.token(fresh=True)
        for method, path, body in APIS.values():
            try:
                self.call(path, body, method)
            except ChorusProError as error:
                if error.code != "business":  # refused on its merits: the route itself works
                    raise
        structures = (
            self.call("/cpro/transverses/v1/recuperer/structures/actives/fournisseur", {}).get("listeStructures") or []
        )
        if not structures:
            raise ChorusProError("business", "no supplier structure attached to the technical account")
        return structures

    # --- structures ------------------------------------------------------------------------
    def find_structure(self, siret):
        body = {"structure": {"identifiantStructure": siret, "typeIdentifiantStructure": "SIRET"}}
        found = self.call("/cpro/structures/v1/rechercher", body).get("listeStructures") or []
        return found[0] if len(found) == 1 else None

    def structure(self, structure_id):
        return self.call("/cpro/structures/v1/consulter", {"idStructureCPP": structure_id, "codeLangue": "fr"})

    def services(self, structure_id, page_size=PAGE_SIZE):
        """Every service of a structure, page after page (Chorus answers 10 by default)."""
        page, services = 1, []
        while True:
            body = {
                "idStructure": structure_id,
                "parametresRechercherServicesStructure": {
                    "nbResultatsParPage": page_size,
                    "pageResultatDemandee": page,
                },
            }
            answer = self.call("/cpro/structures/v1/rechercher/services", body)
            services += answer.get("listeServices") or []
            if page >= (answer.get("parametresRetour") or {}).get("pages", 1):
                return services
            page += 1

    def service(self, structure_id, service_id):
        return self.call(
            "/cpro/structures/v1/consulter/service",
            {"idStructure": structure_id, "idService": service_id, "codeLangue": "fr"},
        )

    # --- invoices --------------------------------------------------------------------------
    def find_engagement(self, receiving_structure_id, number):
        """The engagements (EJ) of that number issued to our structure; empty: unknown on Chorus."""
        body = {
            "structureReceptriceEngagementJuridique": str(receiving_structure_id),
            "numeroEngagementJuridique": number,
            "etatCourantEngagementJuridique": "COMMANDE",
        }
        return self.call("/cpro/engagementsJuridiques/v1/rechercher", body).get("listeEngagementJuridique") or []

    def attachment_types(self):
        """[(code, label)] of the types an invoice attachment may have (typeObjet FACTURE)."""
        answer = self.call("/cpro/transverses/v1/recuperer/typespj", {"codeLangue": "FR", "typeObjet": "FACTURE"})
        return [
            (t["codeTypePieceJointe"], t.get("libelleTypePieceJointe") or t["codeTypePieceJointe"])
            for t in answer.get("listeTypePieceJointe") or []
        ]

    def exemption_reasons(self):
        """[(code, label)] of Chorus' VAT-exemption reasons (motifExonerationTva)."""
        answer = self.call("/cpro/transverses/v1/recuperer/motifs/exonerationtva", {"codeLangue": "FR"})
        return [
            (r["codeMotifExonerationTva"], r.get("libelleMotifExonerationTva") or r["codeMotifExonerationTva"])
            for r in answer.get("listeMotifsExonerationTva") or []
        ]

    def upload(self, name, content, mimetype):
        body = {
            "pieceJointeFichier": base64.b64encode(content).decode(),
            "pieceJointeNom": name,
            "pieceJointeTypeMime": mimetype,
            "pieceJointeExtension": name.rsplit(".", 1)[-1].upper(),
        }
        return self.call("/cpro/transverses/v1/ajouter/fichier", body)["pieceJointeId"]

    def submit(self, payload):
        return self.call("/cpro/factures/v1/soumettre", payload)

    def iter_invoices(self, criteria, page_size=PAGE_SIZE):
        """Our invoices matching ``criteria``, page after page."""
        page = 1
        while True:
            body = dict(
                criteria, rechercheFactureParFournisseur={"nbResultatsParPage": page_size, "pageResultatDemandee": page}
            )
            answer = self.call("/cpro/factures/v1/rechercher/fournisseur", body)
            yield from answer.get("listeFactures") or []
            if page >= (answer.get("parametresRetour") or {}).get("pages", 1):
                return
            page += 1

    def history(self, invoice_id):
        return self.call("/cpro/factures/v1/consulter/historique", {"idFacture": invoice_id})

    def complete(self, invoice_id, attachments, comment):
        """Answer a suspension: attachments are [(file id, name, type code)]."""
        body = {"identifiantFactureCPP": invoice_id, "commentaire": comment or None}
        if attachments:
            body["pieceJointeComplementaire"] = [
                {
                    "pieceJointeComplementaireDesignation": name,
                    "pieceJointeComplementaireId": file_id,
                    "pieceJointeComplementaireType": kind,
                }
                for file_id, name, kind in attachments
            ]
        return self.call("/cpro/factures/v1/completer", {k: v for k, v in body.items() if v is not None})

    def recycle(self, invoice_id, recipient_siret, service_code, engagement):
        """Re-route an invoice to recycle: another service code and/or engagement number."""
        destination = {"codeDestinataire": recipient_siret, "codeServiceExecutant": service_code or None}
        body = {
            "identifiantFactureCPP": invoice_id,
            "destinataire": {k: v for k, v in destination.items() if v},
            "reference": {"numeroBonCommande": engagement} if engagement else None,
        }
        return self.call("/cpro/factures/v1/recycler", {k: v for k, v in body.items() if v is not None})

    def deposit_flow(self, filename, content, syntax):
        body = {
            "fichierFlux": base64.b64encode(content).decode(),
            "nomFichier": filename,
            "syntaxeFlux": syntax,
            "avecSignature": False,
        }
        return self.call("/cpro/factures/v1/deposer/flux", body)

    def flow_report(self, flow_number):
        return self.call("/cpro/transverses/v1/consulterCRDetaille", {"numeroFluxDepot": flow_number})
