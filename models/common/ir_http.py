import json

import werkzeug.exceptions

from odoo import models
from odoo.http import Response, request

MODULE = __name__.rsplit(".models.", 1)[0]


class IrHttp(models.AbstractModel):
    _inherit = "ir.http"

    @classmethod
    def _pre_dispatch(cls, rule, args):
        """A JSON body nested deeper than Python's recursion limit makes Odoo's JSON-RPC dispatcher
        fail with a RecursionError (a 500 and a traceback) before any route of ours runs: on our
        JSON routes, it is refused here as the dispatcher refuses JSON it cannot read."""
        super()._pre_dispatch(rule, args)
        endpoint = rule.endpoint
        if endpoint.routing.get("type") != "json" or not endpoint.func.__module__.startswith(MODULE):
            return
        try:
            json.loads(request.httprequest.get_data(as_text=True) or "null")
        except RecursionError:
            werkzeug.exceptions.abort(Response("Invalid JSON data", status=400))
        except ValueError:
            return  # the dispatcher's own refusal follows
