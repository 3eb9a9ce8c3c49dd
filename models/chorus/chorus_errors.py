"""Chorus Pro failures in French for users: one place, used by every Chorus feature."""


def chorus_error_message(env, error):
    _ = env._
    messages = {
        "oauth_rejected": _(
            "PISTE refused the OAuth client: check the PISTE client id and secret of the application (%s)."
        ),
        "account_rejected": _(
            "Chorus Pro refused the technical account: check its login and password exactly as Chorus Pro gave them (no spaces, mind upper and lower case), and that it is attached to your structure."
        ),
        "api_not_subscribed": _(
            "The PISTE application is not subscribed to the %s API. Subscribe it, in the right environment, to the five APIs: Transverses, Structures, Utilisateurs, Engagements, Factures."
        ),
        "rate_limited": _("Chorus Pro receives too many requests. Try again in a minute."),
        "unreachable": _("Chorus Pro could not be reached. Nothing was sent; try again later."),
        "timeout": _(
            "Chorus Pro did not answer in time. Try again: Odoo will first look for what was already received."
        ),
        "server_error": _("Chorus Pro answered with an error (%s). Try again later."),
        "business": _("Chorus Pro refused: %s"),
    }
    message = messages.get(error.code, messages["server_error"])
    detail = {
        "oauth_rejected": error.message,
        "api_not_subscribed": error.api,
        "server_error": error.message or error.code,
    }.get(error.code)
    if error.code == "business":
        detail = f"{error.message} ({error.return_code})" if error.return_code else error.message
    return message % detail if "%s" in message else message
