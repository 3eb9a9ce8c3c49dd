"""Screenshots of the module in French for its Apps page (static/description/).

Rerun against a running demo server (``./dev run``, admin in French):

    pip install playwright==1.65.2    # any Python; no browser download needed
    python3 tools/screenshots.py [--url http://localhost:8069] [--db hvac_demo]

It uses the system Chromium (/usr/bin/chromium). It creates an invitation on that database.
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

OUT = Path(__file__).resolve().parent.parent / "static" / "description"


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:8069")
    parser.add_argument("--db", default="hvac_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1366, "height": 900}, locale="fr-FR")
        login(page, args.url, args.db, args.login, args.password)
        user_rights(page, args.url)
        invitation(page, args.url)
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
