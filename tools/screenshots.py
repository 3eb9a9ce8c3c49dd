"""Screenshots of the module in French for its Apps page (static/description/).

Rerun against a running demo server (``./dev run``, admin in French):

    pip install playwright==1.65.2    # any Python; no browser download needed
    python3 tools/screenshots.py [--url http://localhost:8069] [--db hvac_demo]

It uses the system Chromium (/usr/bin/chromium) and ``pdftoppm`` (poppler-utils) for the PDFs.

It WRITES to that database, as admin through JSON-RPC (``/web/dataset/call_kw``), what the demo
data lacks: an invitation; a draft fiche signed on a phone then validated; a fiche that cannot
be validated; three validated R-410A fiches recovering fluid into a new empty container, and the
BSFF made from them; a portal user for the holder Centre Hospitalier (login
``claire.fontaine@chv-valence.example.fr``, password ``portal-demo-2024``); an annual fluid
balance; a validated fiche that user signs on its phone. Each run adds new fiches, a new
container and a new BSFF: use a demo database. ``--only-signing`` redoes only the holder's
signing on the phone and the signed PDF.
"""

import argparse
import math
import struct
import subprocess
import tempfile
import zlib
from datetime import date, timedelta
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "static" / "description"
PORTAL_LOGIN = "claire.fontaine@chv-valence.example.fr"
PORTAL_PASSWORD = "portal-demo-2024"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


# --- JSON-RPC as the logged-in user (the page's own session cookie) --------------------------
def rpc(page, url, model, method, *args, **kwargs):
    # In French, as the web client calls it: texts computed on the server (e.g. a balance's issues) are stored.
    kwargs.setdefault("context", {"lang": "fr_FR", "tz": "Europe/Paris"})
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "params": {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
    }
    reply = page.request.post(f"{url}/web/dataset/call_kw", data=payload).json()
    if "error" in reply:
        raise RuntimeError(f"{model}.{method}: {reply['error']['data']['message']}")
    return reply["result"]


def xmlid(page, url, name):
    module, code = name.split(".")
    rows = rpc(
        page, url, "ir.model.data", "search_read", [("module", "=", module), ("name", "=", code)], fields=["res_id"]
    )
    return rows[0]["res_id"]


def signature_png():
    """A hand-drawn-looking signature as a base64 PNG (for fiches prepared through JSON-RPC)."""
    import base64

    width, height = 300, 90
    pixels = bytearray(b"\xff\xff\xff\x00" * width * height)
    for step in range(2400):
        x = 20 + step * 260 / 2400
        y = 45 + 22 * math.sin(step / 90) * math.cos(step / 370) + 8 * math.sin(step / 23)
        for dx in (0, 1):
            for dy in (0, 1):
                offset = (int(y) + dy) * width * 4 + (int(x) + dx) * 4
                pixels[offset : offset + 4] = b"\x1b\x2a\x6b\xff"
    raw = b"".join(b"\x00" + bytes(pixels[row * width * 4 : (row + 1) * width * 4]) for row in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    return base64.b64encode(png).decode()


def today(days=0):
    return (date.today() - timedelta(days=days)).isoformat()


def signed_fiche_values(page, url, installation_id, **values):
    """A draft fiche by the demo technician that passes the Cerfa checks: detector checked this year."""
    return {
        "installation_id": installation_id,
        "technician_id": xmlid(page, url, "base.user_demo"),
        "nature": "maintenance",
        "date": today(),
        "detector_reference": "Inficon D-TEK 3 n° 48213",
        "detector_check_date": today(120),
        "operator_signatory": "Julien Moreau",
        "operator_signatory_role": "Technicien frigoriste",
        "holder_signatory": "Claire Fontaine",
        "holder_signatory_role": "Responsable technique",
        **values,
    }


def pdf_page_png(page, url, report, record_id, name):
    """Page 1 of a PDF report, as printed for the logged-in user, at 80 dpi."""
    response = page.request.get(f"{url}/report/pdf/{report}/{record_id}")
    if not response.ok or response.headers.get("content-type") != "application/pdf":
        raise RuntimeError(f"{report}/{record_id}: {response.status} {response.text()[:300]}")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        pdf.write_bytes(response.body())
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(OUT / name)], check=True
        )


# --- screenshots --------------------------------------------------------------------------------
def login(page, url, db, login, password):
    page.goto(f"{url}/web/login?db={db}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector(".o_main_navbar")


def user_rights(page, url):
    """Settings › Users › the administrator: one line of HVAC Connect rights per area."""
    page.goto(f"{url}/odoo/action-base.action_res_users/2")
    page.wait_for_selector(".o_form_view .o_notebook")
    page.locator(".o_notebook .nav-link").first.click()
    group = page.locator(".o_inner_group:has(.o_horizontal_separator:text('HVAC Connect'))").first
    group.wait_for()
    group.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)  # the "loading" badge fades out
    page.screenshot(path=str(OUT / "screenshot_user_rights.png"))


def invitation(page, url):
    """Partage › Connexions › Créer une invitation: the code, our address, the warning."""
    page.goto(f"{url}/odoo/action-hvac_connect.hvac_connection_action")
    page.click(".o_list_view button[name=action_invite]")
    page.wait_for_selector(".o_form_view .o_field_widget[name=invitation_code]")
    page.wait_for_timeout(2000)  # the "loading" badge fades out
    page.screenshot(path=str(OUT / "screenshot_invitation.png"))


def fiche_phone(phone, url):
    """A draft fiche on a phone, Signatures tab: the technician signs with a finger. Returns its id."""
    installation_id = xmlid(phone, url, "hvac_connect.demo_installation_2")
    fiche_id = rpc(phone, url, "hvac.intervention", "create", signed_fiche_values(phone, url, installation_id))
    phone.goto(f"{url}/odoo/action-hvac_connect.hvac_intervention_action/{fiche_id}")
    phone.wait_for_selector(".o_form_view .o_notebook")
    phone.locator(".o_notebook .nav-link", has_text="Signatures").click()
    phone.locator("div[name=operator_signature] .o_signature").click()
    dialog = phone.locator(".modal-dialog")
    dialog.locator(".o_web_sign_draw_button").click()
    draw_signature(phone, dialog.locator("canvas.o_web_sign_signature"))
    dialog.locator(".modal-footer .btn-primary").click()
    phone.locator(".o_form_button_save").click()
    phone.wait_for_selector(".o_form_saved")
    # The drawn signature at the bottom, who signs above it.
    phone.locator("div[name=operator_signature]").evaluate("e => e.scrollIntoView({block: 'end'})")
    phone.mouse.move(PHONE["width"] / 2, PHONE["height"] / 2)
    phone.mouse.wheel(0, 20)
    phone.wait_for_timeout(1500)
    phone.screenshot(path=str(OUT / "screenshot_fiche_phone.png"))
    return fiche_id


def portal_user(page, url):
    """A contact of the holder Centre Hospitalier with portal access (created once)."""
    if rpc(page, url, "res.users", "search", [("login", "=", PORTAL_LOGIN)]):
        return
    holder_id = xmlid(page, url, "hvac_connect.demo_customer_hopital")
    contact_id = rpc(
        page,
        url,
        "res.partner",
        "create",
        {
            "name": "Claire Fontaine",
            "parent_id": holder_id,
            "email": PORTAL_LOGIN,
            "function": "Responsable technique",
        },
    )
    rpc(
        page,
        url,
        "res.users",
        "create",
        {
            "partner_id": contact_id,
            "login": PORTAL_LOGIN,
            "password": PORTAL_PASSWORD,
            "groups_id": [(6, 0, [xmlid(page, url, "base.group_portal")])],
        },
    )


def portal_installation(browser, url, db, installation_id):
    """The holder's contact, logged in on the customer portal, reads an installation and its fiches."""
    context = browser.new_context(viewport={"width": 1200, "height": 600}, locale="fr-FR")
    portal = context.new_page()
    portal.goto(f"{url}/web/login?db={db}")
    portal.fill("input[name=login]", PORTAL_LOGIN)
    portal.fill("input[name=password]", PORTAL_PASSWORD)
    portal.click("button[type=submit]")
    portal.wait_for_url("**/my**")
    portal.goto(f"{url}/my/installations/{installation_id}")
    portal.wait_for_load_state("networkidle")
    portal.screenshot(path=str(OUT / "screenshot_portal_installation.png"), full_page=True)
    context.close()


def draw_signature(page, canvas):
    """A cursive-like stroke across a signature pad: loops moving right, as a finger signs."""
    box = canvas.bounding_box()
    points = [
        (0.08 + 0.8 * t / 120 + 0.05 * math.cos(t / 3.2), 0.55 - 0.25 * math.sin(t / 3.2) * (1 - t / 240))
        for t in range(121)
    ]
    page.mouse.move(box["x"] + points[0][0] * box["width"], box["y"] + points[0][1] * box["height"])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
    page.mouse.up()


def portal_signing_phone(browser, page, url, db):
    """The holder's contact signs a validated fiche on its phone, on the customer portal: Odoo's
    signature dialog opens on Dessiner; then the fiche shows the signature."""
    installation_id = xmlid(page, url, "hvac_connect.demo_installation_2")
    values = signed_fiche_values(page, url, installation_id, operator_signature=signature_png())
    values.pop("holder_signatory")
    values.pop("holder_signatory_role")
    fiche_id = rpc(page, url, "hvac.intervention", "create", values)
    rpc(page, url, "hvac.intervention", "action_done", [fiche_id])
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(f"{url}/web/login?db={db}")
    phone.fill("input[name=login]", PORTAL_LOGIN)
    phone.fill("input[name=password]", PORTAL_PASSWORD)
    phone.click("button[type=submit]")
    phone.wait_for_url("**/my**")
    phone.goto(f"{url}/my/fiches/{fiche_id}")
    phone.click("a.o_hvac_sign_open")
    dialog = phone.locator(".modal.show")
    canvas = dialog.locator("canvas.o_web_sign_signature")
    canvas.wait_for()
    phone.wait_for_timeout(800)  # the dialog's fade-in
    draw_signature(phone, canvas)
    phone.wait_for_timeout(500)
    phone.screenshot(path=str(OUT / "screenshot_portal_sign_phone.png"))
    dialog.locator(".o_portal_sign_submit").click()
    phone.wait_for_selector(".o_hvac_sign_ok")
    phone.wait_for_timeout(1000)
    phone.screenshot(path=str(OUT / "screenshot_portal_signed_phone.png"), full_page=True)
    context.close()


def signed_pdf(page, url, fiche_id):
    """The fiche signed on the phone, validated, printed (Cerfa 15497*04), page 1."""
    rpc(page, url, "hvac.intervention", "write", [fiche_id], {"holder_signature": signature_png()})
    rpc(page, url, "hvac.intervention", "action_done", [fiche_id])
    pdf_page_png(page, url, "hvac_connect.report_hvac_intervention", fiche_id, "screenshot_signed_pdf")


def refused_validation(page, url):
    """Valider on a fiche missing what the Cerfa requires: one French message lists every problem."""
    installation_id = xmlid(page, url, "hvac_connect.demo_installation_3")
    fiche_id = rpc(
        page,
        url,
        "hvac.intervention",
        "create",
        {
            "installation_id": installation_id,
            "nature": "periodic_check",
            "date": today(),
            "leaks_found": True,
            "recovered_treatment_kg": 2.5,
            "operator_signatory": "Julien Moreau",
            "operator_signature": signature_png(),
        },
    )
    page.goto(f"{url}/odoo/action-hvac_connect.hvac_intervention_action/{fiche_id}")
    page.wait_for_selector(".o_form_view .o_notebook")
    page.click(".o_form_statusbar button[name=action_done]")
    page.wait_for_selector(".modal .modal-body")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(OUT / "screenshot_refused_validation.png"))
    page.keyboard.press("Escape")


def bsff_three_fiches(page, url):
    """Three validated R-410A fiches recovering fluid into one empty cylinder, then their BSFF."""
    run = rpc(page, url, "hvac.container", "search_count", [("name", "=like", "BT-RECUP-%")]) + 1
    r410a = rpc(
        page,
        url,
        "hvac.installation",
        "read",
        [xmlid(page, url, "hvac_connect.demo_installation_1")],
        ["refrigerant_id"],
    )
    container_id = rpc(
        page,
        url,
        "hvac.container",
        "create",
        {
            "name": f"BT-RECUP-{run:03d}",
            "refrigerant_id": r410a[0]["refrigerant_id"][0],
            "volume_l": 13.6,
            "capacity_kg": 11.0,
            "tare_kg": 7.9,
            "initial_weight_kg": 0.0,
            "state": "empty",
        },
    )
    destination_id = xmlid(page, url, "hvac_connect.demo_td_destination")
    fiche_ids = []
    for days, installation, kg in (
        (12, "demo_installation_1", 0.8),
        (8, "demo_installation_2", 1.2),
        (3, "demo_installation_11", 1.5),
    ):
        values = signed_fiche_values(
            page,
            url,
            xmlid(page, url, f"hvac_connect.{installation}"),
            nature="dismantling" if kg > 1.4 else "maintenance",
            date=today(days),
            recovered_treatment_kg=kg,
            destination_partner_id=destination_id,
            operator_signature=signature_png(),
            container_move_ids=[(0, 0, {"container_id": container_id, "direction": "fill", "quantity_kg": kg})],
        )
        fiche_ids.append(rpc(page, url, "hvac.intervention", "create", values))
    rpc(page, url, "hvac.intervention", "action_done", fiche_ids)
    wizard_id = rpc(
        page,
        url,
        "hvac.intervention.bsff.create",
        "create",
        {
            "intervention_ids": [(6, 0, fiche_ids)],
            "destination_partner_id": destination_id,
            "transporter_is_self": True,
        },
    )
    bsff_id = rpc(page, url, "hvac.intervention.bsff.create", "action_create", [wizard_id])["res_id"]
    page.set_viewport_size({"width": DESKTOP["width"], "height": 1150})  # the fiches tab below the form
    page.goto(f"{url}/odoo/action-hvac_connect.hvac_bsff_action/{bsff_id}")
    page.wait_for_selector(".o_form_view .o_form_sheet")
    page.locator(".o_notebook .nav-link", has_text="Fiches d'intervention").click()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(OUT / "screenshot_bsff_three_fiches.png"))
    page.set_viewport_size(DESKTOP)


def planning(page, url):
    """Interventions › Contrôles d'étanchéité à planifier (the menu's own path): due within three
    months, by month."""
    page.goto(f"{url}/odoo/leak-checks")
    page.wait_for_selector(".o_list_view")
    groups = page.locator(".o_group_header")
    for index in range(min(groups.count(), 3)):  # the overdue and next months; later ones stay folded
        groups.nth(index).click()
        page.wait_for_timeout(500)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(OUT / "screenshot_planning.png"))


def planning_calendar(page, url):
    """The planning's calendar: it opens on the month of the oldest overdue check."""
    page.goto(f"{url}/odoo/leak-checks")
    page.wait_for_selector(".o_list_view")
    page.click(".o_switch_view.o_calendar")
    page.wait_for_selector(".o_calendar_renderer .fc-event")
    page.wait_for_timeout(1500)
    page.screenshot(path=str(OUT / "screenshot_planning_calendar.png"))


def installation_new(page, url):
    """Installations › Nouveau: the building is found by typing the site's name."""
    page.goto(f"{url}/odoo/action-hvac_connect.hvac_installation_action/new")
    page.wait_for_selector(".o_form_view .o_field_widget[name=building_id] input")
    page.fill(".o_field_widget[name=name] input", "Climatisation salle des mariages")
    page.fill(".o_field_widget[name=building_id] input", "Hôtel de")
    page.wait_for_selector(".o-autocomplete--dropdown-item")
    page.wait_for_timeout(1000)
    page.screenshot(path=str(OUT / "screenshot_installation_new.png"))
    page.keyboard.press("Escape")
    page.locator(".o_form_button_cancel").click()


def fluid_balance_pdf(page, url):
    """Last year's annual fluid balance (declared to the certifying body), page 1."""
    year = date.today().year - 1
    balance_ids = rpc(page, url, "hvac.fluid.balance", "search", [("year", "=", year)], limit=1)
    balance_id = balance_ids[0] if balance_ids else rpc(page, url, "hvac.fluid.balance", "create", {"year": year})
    rpc(page, url, "hvac.fluid.balance", "action_compute", [balance_id])
    pdf_page_png(page, url, "hvac_connect.report_hvac_fluid_balance", balance_id, "screenshot_fluid_balance_pdf")


def register_pdf(page, url, installation_id):
    """The register of an installation: its fluid, its checks and every fiche, page 1."""
    pdf_page_png(
        page, url, "hvac_connect.report_hvac_installation_register", installation_id, "screenshot_register_pdf"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="hvac_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument(
        "--only-signing",
        action="store_true",
        help="only the holder signing on its phone and the signed PDF (the other images stay as they are)",
    )
    args = parser.parse_args()
    url = args.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        if args.only_signing:
            page = browser.new_page(viewport=DESKTOP, locale="fr-FR")
            login(page, url, args.db, args.login, args.password)
            installation_id = xmlid(page, url, "hvac_connect.demo_installation_2")
            values = signed_fiche_values(page, url, installation_id, operator_signature=signature_png())
            signed_pdf(page, url, rpc(page, url, "hvac.intervention", "create", values))
            portal_user(page, url)
            portal_signing_phone(browser, page, url, args.db)
            browser.close()
            print(f"screenshots written to {OUT}")
            return
        phone = browser.new_page(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
        login(phone, url, args.db, args.login, args.password)
        fiche_id = fiche_phone(phone, url)
        phone.context.close()
        page = browser.new_page(viewport=DESKTOP, locale="fr-FR")
        login(page, url, args.db, args.login, args.password)
        user_rights(page, url)
        invitation(page, url)
        signed_pdf(page, url, fiche_id)
        refused_validation(page, url)
        bsff_three_fiches(page, url)
        planning(page, url)
        planning_calendar(page, url)
        installation_new(page, url)
        fluid_balance_pdf(page, url)
        # Last: the installation of the phone's fiche then shows it signed, and one on the BSFF.
        installation_id = xmlid(page, url, "hvac_connect.demo_installation_2")
        register_pdf(page, url, installation_id)
        portal_user(page, url)
        portal_installation(browser, url, args.db, installation_id)
        portal_signing_phone(browser, page, url, args.db)
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
