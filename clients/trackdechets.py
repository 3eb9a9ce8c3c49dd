"""Client of the Trackdéchets GraphQL API (BSFF), one personal token per Odoo user.

Facts behind it: ``../shared/research/trackdechets.md``. Pure Python: plain dicts in and out,
one exception class with stable codes; the Odoo side turns codes into French messages.
The token is sent in a header only: it never appears in an exception or a log line.
"""

import logging

import requests

_logger = logging.getLogger(__name__)

ENDPOINTS = {
    "production": "https://api.trackdechets.beta.gouv.fr",
    "sandbox": "https://api.sandbox.trackdechets.beta.gouv.fr",
}
# The web application where each user logs in and creates their personal API token (seed 000;
# routes of Trackdéchets' front end: /login, /account/tokens/list "Mes jetons API").
WEB_URLS = {
    "production": "https://app.trackdechets.beta.gouv.fr",
    "sandbox": "https://sandbox.trackdechets.beta.gouv.fr",
}
LOGIN_PATH = "/login"
TOKENS_PATH = "/account/tokens/list"
PAGE_SIZE = 500  # the API's maximum for `first`
DEFAULT_TIMEOUT = 30  # the hosting proxy itself cuts at 60 s

# Mutation errors whose outcome is unknown: the request may have been applied.
OUTCOME_UNKNOWN = {"timeout"}
# Errors that prove a mutation was not applied (refused as asked, or never sent). A server error
# proves nothing: the mutation may have run before the answer broke.
NOTHING_APPLIED = {
    "unreachable",
    "unauthenticated",
    "forbidden",
    "bad_user_input",
    "invalid_query",
    "too_many_requests",
    "rate_limited",
}


def web_pages(environment):
    """{"login": url, "tokens": url} of Trackdéchets' web application for ``environment``."""
    base = WEB_URLS.get(environment) or WEB_URLS["production"]
    return {"login": base + LOGIN_PATH, "tokens": base + TOKENS_PATH}


class TrackdechetsError(Exception):
    """A failed call. ``code`` is stable:

    unauthenticated, forbidden, bad_user_input, invalid_query, rate_limited,
    unreachable (nothing was sent), timeout (sent, no answer: outcome unknown),
    server_error, too_many_requests.
    ``message`` is Trackdéchets' own text (French) when it sent one.
    """

    def __init__(self, code, message="", issues=None):
        super().__init__(f"{code}: {message}" if message else code)
        self.code = code
        self.message = message
        self.issues = issues or []

    @property
    def outcome_unknown(self):
        return self.code in OUTCOME_UNKNOWN

    @property
    def nothing_applied(self):
        return self.code in NOTHING_APPLIED


GRAPHQL_CODES = {
    "UNAUTHENTICATED": "unauthenticated",
    "FORBIDDEN": "forbidden",
    "BAD_USER_INPUT": "bad_user_input",
    "GRAPHQL_PARSE_FAILED": "invalid_query",
    "GRAPHQL_VALIDATION_FAILED": "invalid_query",
    "GRAPHQL_MAX_OPERATIONS_ERROR": "invalid_query",
    "TOO_MANY_REQUESTS": "too_many_requests",
}

BSFF_FRAGMENT = """fragment BsffFields on Bsff {
    id status isDraft updatedAt
    emitter { customInfo emission { signature { date author } } }
    transporter {
        company { name siret }
        recepisse { number department validityLimit isExempted }
        transport { mode plates takenOverAt signature { date author } }
    }
    destination {
        company { name siret } cap plannedOperationCode
        reception { date signature { date author } }
    }
    packagings {
        id numero type volume weight
        acceptation { date weight status refusalReason wasteCode signature { date author } }
        operation { code mode description date signature { date author } }
    }
    ficheInterventions { id numero }
}"""

Q_ME = "query Me { me { id email name } }"
Q_MY_COMPANIES = """query MyCompanies($first: Int, $after: ID) { myCompanies(first: $first, after: $after) {
    pageInfo { endCursor hasNextPage } edges { node { siret name userRole userPermissions } } } }"""
Q_COMPANY = """query CompanyInfos($siret: String!) { companyInfos(siret: $siret) {
    siret name isRegistered companyTypes etatAdministratif isDormant
    transporterReceipt { receiptNumber validityLimit department } } }"""
M_CREATE_FICHE = """mutation CreateFiche($input: BsffFicheInterventionInput!) {
    createFicheInterventionBsff(input: $input) { id numero } }"""
M_CREATE_DRAFT = (
    "mutation CreateDraftBsff($input: BsffInput!) { createDraftBsff(input: $input) { ...BsffFields } }" + BSFF_FRAGMENT
)
M_UPDATE = (
    "mutation UpdateBsff($id: ID!, $input: BsffInput!) { updateBsff(id: $id, input: $input) { ...BsffFields } }"
    + BSFF_FRAGMENT
)
M_PUBLISH = "mutation PublishBsff($id: ID!) { publishBsff(id: $id) { ...BsffFields } }" + BSFF_FRAGMENT
M_SIGN = (
    """mutation SignBsff($id: ID!, $input: BsffSignatureInput!) {
    signBsff(id: $id, input: $input) { ...BsffFields } }"""
    + BSFF_FRAGMENT
)
Q_BSFF = "query Bsff($id: ID!) { bsff(id: $id) { ...BsffFields } }" + BSFF_FRAGMENT
Q_BSFFS = (
    """query Bsffs($where: BsffWhere, $first: Int, $after: ID) {
    bsffs(where: $where, first: $first, after: $after) {
        totalCount pageInfo { endCursor hasNextPage }
        edges { node { ...BsffFields } } } }"""
    + BSFF_FRAGMENT
)
Q_PDF = "query BsffPdf($id: ID!) { bsffPdf(id: $id) { downloadLink } }"


class TrackdechetsClient:
    def __init__(self, token, environment="production", url=None, timeout=DEFAULT_TIMEOUT, session=None):
        self.url = url or ENDPOINTS[environment]
        self.timeout = timeout
        self._token = token
        self._session = session or requests.Session()
        self.requests_made = 0

    # --- transport -------------------------------------------------------------------
    def execute(self, query, variables=None):
        """POST one GraphQL document; return its ``data`` or raise TrackdechetsError."""
        self.requests_made += 1
        operation = query.split("(")[0].split("{")[0].split()[-1]
        try:
            response = self._session.post(
                self.url,
                json={"query": query, "variables": variables or {}, "operationName": operation},
                headers={"Authorization": f"Bearer {self._token}"} if self._token else {},
                timeout=self.timeout,
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise self._transport_error(exc) from None
        return self._parse(operation, response)

    @staticmethod
    def _transport_error(exc):
        # A connection never made sent nothing; once sent, the server may have applied it.
        never_sent = isinstance(exc, requests.ConnectTimeout) or (
            isinstance(exc, requests.ConnectionError)
            and any(hint in str(exc) for hint in ("refused", "NewConnectionError", "NameResolutionError"))
        )
        return TrackdechetsError("unreachable" if never_sent else "timeout")

    @staticmethod
    def _parse(operation, response):
        if response.status_code == 429:
            raise TrackdechetsError("rate_limited", response.text[:200])
        if response.status_code in (408, 502, 503, 504):
            # A gateway that got no valid answer (502, 504) may have passed the request on:
            # outcome unknown. 503: the service took nothing.
            raise TrackdechetsError("unreachable" if response.status_code == 503 else "timeout")
        try:
            body = response.json()
        except ValueError:
            raise TrackdechetsError("server_error", f"HTTP {response.status_code}") from None
        errors = body.get("errors") or []
        if errors:
            first = errors[0]
            extensions = first.get("extensions") or {}
            code = GRAPHQL_CODES.get(extensions.get("code"), "server_error")
            _logger.info("Trackdéchets %s refused: %s", operation, code)
            raise TrackdechetsError(code, "\n".join(e.get("message", "") for e in errors), extensions.get("issues"))
        if response.status_code >= 400:
            raise TrackdechetsError("server_error", f"HTTP {response.status_code}")
        return body.get("data") or {}

    # --- operations --------------------------------------------------------------------
    def me(self):
        return self.execute(Q_ME)["me"]

    def my_companies(self):
        """The establishments of the token's account, with the account's role and permissions."""
        companies, after = [], None
        while True:
            page = self.execute(Q_MY_COMPANIES, {"first": 50, "after": after})["myCompanies"]
            companies += [edge["node"] for edge in page["edges"]]
            if not page["pageInfo"]["hasNextPage"]:
                return companies
            after = page["pageInfo"]["endCursor"]

    def company_infos(self, siret):
        return self.execute(Q_COMPANY, {"siret": siret})["companyInfos"]

    def create_fiche(self, values):
        return self.execute(M_CREATE_FICHE, {"input": values})["createFicheInterventionBsff"]

    def create_draft_bsff(self, values):
        return self.execute(M_CREATE_DRAFT, {"input": values})["createDraftBsff"]

    def update_bsff(self, bsff_id, values):
        return self.execute(M_UPDATE, {"id": bsff_id, "input": values})["updateBsff"]

    def publish_bsff(self, bsff_id):
        return self.execute(M_PUBLISH, {"id": bsff_id})["publishBsff"]

    def sign_bsff(self, bsff_id, signature_type, author, date=None):
        signature = {"type": signature_type, "author": author}
        if date:
            signature["date"] = date
        return self.execute(M_SIGN, {"id": bsff_id, "input": signature})["signBsff"]

    def bsff(self, bsff_id):
        return self.execute(Q_BSFF, {"id": bsff_id})["bsff"]

    def iter_bsffs(self, where, page_size=PAGE_SIZE):
        """Yield every BSFF matching ``where``, one request per page of ``page_size``."""
        after = None
        while True:
            page = self.execute(Q_BSFFS, {"where": where, "first": page_size, "after": after})["bsffs"]
            for edge in page["edges"]:
                yield edge["node"]
            if not page["pageInfo"]["hasNextPage"]:
                return
            after = page["pageInfo"]["endCursor"]

    def find_bsff_by_reference(self, emitter_siret, reference, created_since):
        """The BSFF our emitter created with ``customInfo == reference``, or None.

        The API cannot filter on customInfo: filter on emitter and creation date, then look.
        """
        where = {"emitter": {"company": {"siret": {"_eq": emitter_siret}}}, "createdAt": {"_gte": created_since}}
        for node in self.iter_bsffs(where):
            if (node.get("emitter") or {}).get("customInfo") == reference:
                return node
        return None

    def bsff_pdf(self, bsff_id):
        """The PDF's bytes. The download link lives 10 seconds and takes no token."""
        link = self.execute(Q_PDF, {"id": bsff_id})["bsffPdf"]["downloadLink"]
        try:
            response = self._session.get(link, timeout=self.timeout)
        except (requests.ConnectionError, requests.Timeout) as exc:
            raise self._transport_error(exc) from None
        if response.status_code != 200:
            raise TrackdechetsError("server_error", f"PDF download: HTTP {response.status_code}")
        return response.content
