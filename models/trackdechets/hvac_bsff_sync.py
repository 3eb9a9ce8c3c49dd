import base64
import logging
from datetime import datetime, timezone

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ...clients.trackdechets import TrackdechetsError
from ..common.batch import again_soon, take
from ..common.commit import commit
from ..common.siret import siret_digits
from .hvac_bsff import OPEN_STATES

_logger = logging.getLogger(__name__)


def _datetime(value):
    """Trackdéchets' ISO-8601 time stamp as a naive UTC datetime, as Odoo stores them."""
    if not value:
        return False
    stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return stamp.astimezone(timezone.utc).replace(tzinfo=None) if stamp.tzinfo else stamp


def _signed(section):
    return _datetime(((section or {}).get("signature") or {}).get("date"))


class HvacBsff(models.Model):
    """Following a sent BSFF: what the transporter and destination did on Trackdéchets."""

    _inherit = "hvac.bsff"

    # --- mapping a Trackdéchets BSFF onto the record -------------------------------------------
    def _remote_values(self, node):
        transporter = node.get("transporter") or {}
        destination = node.get("destination") or {}
        emission = ((node.get("emitter") or {}).get("emission") or {}).get("signature") or {}
        plates = ", ".join((transporter.get("transport") or {}).get("plates") or [])
        values = {
            "state": node["status"].lower(),
            "td_updated_at": node.get("updatedAt"),
            "emitted_by": emission.get("author") or False,
            "emitted_at": _datetime(emission.get("date")),
            "transport_taken_over_at": _signed(transporter.get("transport")),
            "received_at": _signed(destination.get("reception")),
        }
        if plates:
            values["transporter_plates"] = plates
        done = [_signed(p.get("operation")) for p in node.get("packagings") or [] if p.get("operation")]
        if node["status"] in ("PROCESSED", "INTERMEDIATELY_PROCESSED") and done:
            values["processed_at"] = max(done)
        return {key: value for key, value in values.items() if self[key] != value}

    def _packaging_values(self, packaging):
        acceptation = packaging.get("acceptation") or {}
        operation = packaging.get("operation") or {}
        return {
            "td_packaging_id": packaging["id"],
            "acceptation_status": acceptation.get("status")
            if acceptation.get("status") in ("ACCEPTED", "REFUSED")
            else False,
            "acceptation_weight_kg": acceptation.get("weight") or 0.0,
            "acceptation_date": _datetime(acceptation.get("date")),
            "refusal_reason": acceptation.get("refusalReason") or False,
            "operation_code": operation.get("code") or False,
            "operation_date": _datetime(operation.get("date")),
            "operation_description": operation.get("description") or False,
        }

    def _apply_remote(self, node):
        """Write what changed on Trackdéchets; the status change lands in the chatter (tracking)."""
        self.ensure_one()
        values = self._remote_values(node)
        if values:
            self._hvac_set_protected(values)
        by_numero = {line.numero: line for line in self.packaging_ids}
        refused = []
        for packaging in node.get("packagings") or []:
            line = by_numero.get(packaging["numero"])
            if not line:
                continue
            changes = {k: v for k, v in self._packaging_values(packaging).items() if line[k] != v}
            if changes:
                line._hvac_set_protected(changes)
                if changes.get("acceptation_status") == "REFUSED":
                    refused.append(f"{line.numero} ({line.refusal_reason or '-'})")
        if refused:
            self.message_post(body=_("Refused by the destination: %s", ", ".join(refused)))

    # --- buttons ------------------------------------------------------------------------------
    def _user_client(self):
        return self.company_id._hvac_trackdechets_client(self.env.user._hvac_trackdechets_token_or_raise())

    def action_sync(self):
        for bsff in self.filtered("td_id"):
            try:
                bsff._apply_remote(bsff._user_client().bsff(bsff.td_id))
            except TrackdechetsError as error:
                raise UserError(self._hvac_td_error_message(error)) from None
        return True

    def action_download_pdf(self):
        self.ensure_one()
        if not self.td_id:
            raise UserError(_("The PDF exists once the BSFF is on Trackdéchets."))
        try:
            content = self._user_client().bsff_pdf(self.td_id)
        except TrackdechetsError as error:
            raise UserError(self._hvac_td_error_message(error)) from None
        attachment = self.env["ir.attachment"].create(
            {
                "name": f"{self.td_id}.pdf",
                "res_model": self._name,
                "res_id": self.id,
                "datas": base64.b64encode(content),
                "mimetype": "application/pdf",
            }
        )
        return {"type": "ir.actions.act_url", "url": f"/web/content/{attachment.id}?download=true", "target": "self"}

    # --- cron -----------------------------------------------------------------------------------
    @api.model
    def _cron_sync_open(self):
        """Pull changes for the open BSFF of every company, a page (500 slips) per request.

        One ``bsffs`` query filtered on ``updatedAt`` since the last change read, with the
        company's Trackdéchets contact's token; commits per page so a failure loses no page.
        """
        groups = self._read_group([("state", "in", OPEN_STATES), ("td_id", "!=", False)], ["company_id"], ["__count"])
        for company, _count in groups:
            # A company whose contact or token needs a person stops here, and its managers are
            # told once; a passing failure (unreachable, slow) is only logged, the next hour retries.
            if self._stopped_until_someone_acts(company):
                continue
            try:
                self.with_company(company)._sync_company(company)
            except TrackdechetsError as error:
                _logger.warning("Trackdéchets sync of %s skipped: %s", company.name, error.code)
                if error.code == "unauthenticated":
                    self._contact_token_refused(company, error)
                    self._stopped_until_someone_acts(company)
            except UserError as error:
                _logger.warning("Trackdéchets sync of %s skipped: %s", company.name, error)
            else:
                company._hvac_trackdechets_sync_resumed()

    @api.model
    def _stopped_until_someone_acts(self, company):
        blocker = company._hvac_trackdechets_sync_blocker()
        if not blocker:
            return False
        key, message = blocker
        _logger.warning("Trackdéchets sync of %s stopped: %s", company.name, key.split(":")[0])
        company._hvac_trackdechets_sync_stopped(key, message)
        return True

    @api.model
    def _contact_token_refused(self, company, error):
        # The profile must stop saying the key is valid once Trackdéchets refused it.
        company.hvac_trackdechets_contact_id.sudo().write(
            {
                "hvac_trackdechets_token_state": "invalid",
                "hvac_trackdechets_token_message": self._hvac_td_error_message(error),
                "hvac_trackdechets_token_checked_at": fields.Datetime.now(),
            }
        )

    @api.model
    def _sync_company(self, company):
        contact = company.hvac_trackdechets_contact_id
        if not contact:
            raise UserError(_("%s has no Trackdéchets contact: its BSFF cannot be followed.", company.name))
        client = company._hvac_trackdechets_client(contact._hvac_trackdechets_token_or_raise())
        since = company.hvac_trackdechets_synced_at or self._oldest_send(company)
        siret = siret_digits(company.siret)
        where = {"updatedAt": {"_gte": since}, "emitter": {"company": {"siret": {"_eq": siret}}}}
        latest, page, left = since, [], []
        for node in client.iter_bsffs(where):
            page.append(node)
            latest = max(latest, node["updatedAt"], key=_datetime)
            if len(page) == 500:
                left += self._apply_page(company, page)
                page = []
        left += self._apply_page(company, page)
        if left:
            # A slip someone holds was not updated: the next run reads again from its change on
            # (what was applied since is applied again, unchanged), and comes within minutes.
            latest = min(left, key=_datetime)
            again_soon(self.env, "hvac_connect.ir_cron_trackdechets_sync", left)
        company.sudo().hvac_trackdechets_synced_at = latest
        return client.requests_made

    @api.model
    def _oldest_send(self, company):
        oldest = self.search(
            [("company_id", "=", company.id), ("state", "in", OPEN_STATES)], order="send_started_at", limit=1
        )
        stamp = oldest.send_started_at or fields.Datetime.now()
        return fields.Datetime.to_string(stamp).replace(" ", "T") + "Z"

    @api.model
    def _apply_page(self, company, nodes):
        """Apply a page of changes to the slips no one else holds, and commit; returns the
        change dates (``updatedAt``) of those left to their holder."""
        if not nodes:
            return []
        found = self.search([("company_id", "=", company.id), ("td_id", "in", [n["id"] for n in nodes])])
        records = take(found)
        records.packaging_ids.mapped("numero")  # prefetch the lines of the whole page at once
        by_id = {bsff.td_id: bsff for bsff in records}
        held = set((found - records).mapped("td_id"))
        for node in nodes:
            if node["id"] in by_id:
                by_id[node["id"]]._apply_remote(node)
        commit(self.env)
        return [node["updatedAt"] for node in nodes if node["id"] in held]
