import logging
import re
import uuid
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError

from ...clients.trackdechets import TrackdechetsError
from ..common.batch import again_soon, in_batches
from ..common.commit import commit
from ..common.send_lock import exclusive_send, local_time, retry_after
from ..common.siret import siret_digits
from .hvac_bsff import ROAD_WEIGHT_LIMIT_KG

_logger = logging.getLogger(__name__)
EXPORT_GROUP = "hvac_connect.group_trackdechets_export"
# A create whose answer was lost may still be running on Trackdéchets until its own cut-off:
# the hosting proxy cuts at 60 s, the server gives up at 65 s (research/trackdechets.md §3).
# A lookup made before then can miss the slip, and a second one would be created.
TD_CUTOFF = timedelta(seconds=65)


def _issue_path(issue):
    """An issue's path as parts; a flattened one (``emitterCompanySiret``) is split on its capitals."""
    path = [str(part) for part in issue.get("path") or []]
    if len(path) == 1 and path[0] != path[0].lower():
        path = [part.lower() for part in re.findall(r"[a-z0-9]+|[A-Z][a-z0-9]*", path[0])]
        # Keep the multi-word names the table uses (ficheInterventions, plannedOperationCode).
        joined = {
            ("fiche", "interventions"): "ficheInterventions",
            ("planned", "operation", "code"): "plannedOperationCode",
        }
        for words, name in joined.items():
            for start in range(len(path) - len(words) + 1):
                if tuple(path[start : start + len(words)]) == words:
                    path[start : start + len(words)] = [name]
                    break
    return path


# Where a Trackdéchets issue path points to in Odoo: the most precise prefix first.
ISSUE_FIELDS = [
    (("destination", "plannedOperationCode"), "destination_operation_code"),
    (("destination", "cap"), "destination_cap"),
    (("destination",), "destination_partner_id"),
    (("transporter", "transport", "mode"), "transport_mode"),
    (("transporter", "transport", "plates"), "transporter_plates"),
    (("transporter",), "transporter_partner_id"),
    (("transporters",), "transporter_partner_id"),
    (("emitter",), "emitter_contact_id"),
    (("waste", "code"), "waste_code"),
    (("waste", "adr"), "waste_adr"),
    (("waste",), "waste_description"),
    (("weight",), "weight_kg"),
    (("packagings",), "packaging_ids"),
    (("ficheInterventions",), "fiche_ids"),
]


class HvacBsff(models.Model):
    """Sending a BSFF: fiches d'intervention first, then the slip, then the emitter's signature.

    Each step is recorded before its call and skipped once done, so a retry after a lost
    answer or a second click resumes instead of creating anything twice (DESIGN.md).
    """

    _inherit = "hvac.bsff"

    # --- messages ----------------------------------------------------------------------
    @api.model
    def _hvac_td_error_message(self, error):
        rate_limited = _("Trackdéchets receives too many requests from this server. Try again in a minute.")
        messages = {
            "unauthenticated": _(
                "Trackdéchets refused your API token: it is unknown or was revoked. Paste a new token in your preferences."
            ),
            "forbidden": _("Trackdéchets refused the operation: %s"),
            "bad_user_input": _("Trackdéchets found errors on the BSFF:\n%s"),
            "rate_limited": rate_limited,  # HTTP 429
            "too_many_requests": rate_limited,  # GraphQL's own code for it
            "unreachable": _("Trackdéchets could not be reached. Nothing was sent; try again later."),
            "timeout": _(
                "Trackdéchets did not answer in time. Send again: Odoo will first look for what was already created."
            ),
        }
        message = messages.get(error.code, _("Trackdéchets answered with an error (%s). Try again later."))
        if "%s" not in message:
            return message
        if error.code == "bad_user_input" and error.issues:
            return message % "\n".join(self._hvac_td_issue_line(issue) for issue in error.issues)
        return message % (error.message if error.code in ("forbidden", "bad_user_input") else error.code)

    def _hvac_td_issue_line(self, issue):
        """One Trackdéchets issue, prefixed with the Odoo field to fix (its path says which)."""
        path = _issue_path(issue)
        field = next((name for prefix, name in ISSUE_FIELDS if path[: len(prefix)] == list(prefix)), None)
        if not field:
            return issue.get("message", "")
        return f"{self._fields[field].get_description(self.env)['string']} : {issue.get('message', '')}"

    # --- checks --------------------------------------------------------------------------
    def _missing_fields(self):
        """Every missing or wrong field before sending, in French (research §7.2)."""
        self.ensure_one()
        problems = self._emitter_problems() + self._destination_problems() + self._transporter_problems()
        problems += self._waste_problems() + self._packaging_problems() + self._fiche_problems()
        return problems + self._partner_problems()

    def _company_problems(self, partner, label, contact=True):
        problems = []
        if len(siret_digits(partner.siret)) != 14:
            problems.append(_("%s: SIRET (14 digits) is missing.", label))
        elif partner._hvac_siret_error():
            # Trackdéchets checks the Luhn key: name the partner to correct before sending.
            problems.append(f"{label}: {partner._hvac_siret_error()}")
        if not (partner.street and partner.zip and partner.city):
            problems.append(_("%s: address (street, postal code, city) is incomplete.", label))
        if contact and not (partner.phone or partner.mobile):
            problems.append(_("%s: phone is missing.", label))
        if contact and not partner.email:
            problems.append(_("%s: e-mail is missing.", label))
        return problems

    def _emitter_problems(self):
        problems = self._company_problems(self.company_id.partner_id, _("Emitter (our company)"), contact=False)
        contact = self.emitter_contact_id
        if not contact:
            problems.append(_("Emitter: no Trackdéchets contact; designate one in Settings › Users."))
        elif contact != self.company_id.hvac_trackdechets_contact_id:
            problems.append(
                _("Emitter: %s is not the company's Trackdéchets contact; choose the designated contact.", contact.name)
            )
        elif not contact.email or not (contact.phone or contact.mobile or self.company_id.phone):
            problems.append(_("Emitter: the Trackdéchets contact %s needs an e-mail and a phone.", contact.name))
        return problems

    def _destination_problems(self):
        if not self.destination_partner_id:
            return [_("Destination: choose the company receiving the fluid.")]
        problems = self._company_problems(self.destination_partner_id, _("Destination"))
        if not self.destination_operation_code:
            problems.append(_("Destination: the planned operation code is missing."))
        return problems

    def _transporter_problems(self):
        if self.transporter_is_self:
            return self._self_transporter_contact_problems() + self._plates_problems()
        if not self.transporter_partner_id:
            return [_("Transporter: choose a transporter, or tick “We carry it ourselves”.")]
        return self._company_problems(self.transporter_partner_id, _("Transporter")) + self._plates_problems()

    def _plates_problems(self):
        plates = self._plates()
        if self.transporter_is_self and self.transport_mode == "ROAD" and not plates:
            # We sign the transport ourselves: Trackdéchets wants the plates of a road transport.
            return [_("We carry it ourselves: give the number plate of the vehicle (at most two).")]
        if len(plates) > 2 or any(not 4 <= len(plate) <= 12 for plate in plates):
            return [_("Transporter: give at most two number plates of 4 to 12 characters.")]
        return []

    def _plates(self):
        """The number plates typed, comma-separated, as a list."""
        return [plate.strip() for plate in (self.transporter_plates or "").split(",") if plate.strip()]

    def _self_transporter_contact_problems(self):
        """We carry it ourselves: Trackdéchets refuses our transport signature without the
        transporter's phone and e-mail, and the slip, signed by the emitter, would wait."""
        company = self._company_input(self.company_id.partner_id)
        problems = []
        if not company["phone"]:
            problems.append(_("Transporter (our company): phone is missing; set it on the company."))
        if not company["mail"]:
            problems.append(_("Transporter (our company): e-mail is missing; set it on the company."))
        return problems

    def _waste_problems(self):
        problems = []
        if not self.waste_code:
            problems.append(_("Waste: the waste code is missing."))
        if not self.waste_description:
            problems.append(_("Waste: the description (fluid name) is missing."))
        if self.weight_kg <= 0:
            problems.append(_("Total weight must be more than 0 kg."))
        elif self.transport_mode == "ROAD" and self.weight_kg > ROAD_WEIGHT_LIMIT_KG:
            problems.append(_("Total weight cannot exceed 40,000 kg by road."))
        return problems

    def _packaging_problems(self):
        if not self.packaging_ids:
            return [_("Packagings: add at least one container.")]
        problems = []
        for line in self.packaging_ids:
            label = _("Packaging %s", line.numero or "?")
            if line.volume_l <= 0:
                problems.append(_("%s: volume (L) is missing.", label))
            if line.weight_kg <= 0:
                problems.append(_("%s: weight must be more than 0 kg.", label))
            if line.packaging_type == "AUTRE" and not line.other:
                problems.append(_("%s: say what kind of packaging “Other” is.", label))
        return problems

    def _fiche_problems(self):
        if not self.fiche_ids:
            return [_("Fiches d'intervention: a collection of small quantities needs at least one fiche.")]
        problems = []
        for line in self.fiche_ids:
            label = _("Fiche %s", line.numero or "?")
            if line.weight_kg <= 0:
                problems.append(_("%s: weight must be more than 0 kg.", label))
            if not line.postal_code:
                problems.append(_("%s: postal code of the intervention is missing.", label))
            holder = line.detenteur_partner_id
            if not holder:
                problems.append(_("%s: the holder (détenteur) is missing.", label))
            elif line.detenteur_is_private:
                if not (holder.street and holder.city):
                    problems.append(_("%s: the private holder's address is incomplete.", label))
            else:
                problems += self._company_problems(
                    holder, _("%(fiche)s, holder %(holder)s", fiche=label, holder=holder.name)
                )
        return problems

    def action_check(self):
        self.ensure_one()
        problems = self._missing_fields()
        if problems:
            raise UserError(_("This BSFF cannot be sent yet:\n• %s", "\n• ".join(problems)))
        return self._notify("success", _("The BSFF is complete: it can be sent to Trackdéchets."))

    # --- values sent -------------------------------------------------------------------------
    @api.model
    def _company_input(self, partner, contact=None, phone=None, mail=None):
        person = contact or partner.child_ids.filtered(lambda c: c.type == "contact")[:1] or partner
        return {
            "siret": siret_digits(partner.siret),
            "name": partner.commercial_company_name or partner.name,
            "address": " ".join(filter(None, [partner.street, partner.street2, partner.zip, partner.city])),
            "contact": person.name,
            "phone": phone or person.phone or person.mobile or partner.phone or partner.mobile,
            "mail": mail or person.email or partner.email,
        }

    def _emitter_input(self):
        contact = self.emitter_contact_id
        company = self._company_input(
            self.company_id.partner_id,
            contact.partner_id,
            contact.phone or contact.mobile or self.company_id.phone,
            contact.email,
        )
        return {"company": company, "customInfo": self.send_reference}

    def _transporter_input(self):
        partner = self.company_id.partner_id if self.transporter_is_self else self.transporter_partner_id
        return {
            "company": self._company_input(partner),
            "recepisse": {"isExempted": bool(self.transporter_is_self)},
            "transport": {"mode": self.transport_mode or "ROAD", "plates": self._plates()},
        }

    def _fiche_input(self, line):
        holder = line.detenteur_partner_id
        if line.detenteur_is_private:
            detenteur = {
                "isPrivateIndividual": True,
                "company": {"name": holder.name, "address": self._company_input(holder)["address"]},
            }
        else:
            detenteur = {"isPrivateIndividual": False, "company": self._company_input(holder)}
        return {
            "numero": line.numero,
            "weight": line.weight_kg,
            "postalCode": line.postal_code,
            "detenteur": detenteur,
            "operateur": {"company": self._emitter_input()["company"]},
        }

    @api.model
    def _packaging_input(self, line):
        values = {"type": line.packaging_type, "numero": line.numero, "volume": line.volume_l, "weight": line.weight_kg}
        if line.packaging_type == "AUTRE":
            values["other"] = line.other  # Trackdéchets refuses `other` with any other type
        return values

    def _bsff_input(self):
        return {
            "type": self.bsff_type,
            "emitter": self._emitter_input(),
            "waste": {"code": self.waste_code, "description": self.waste_description, "adr": self.waste_adr or None},
            "weight": {"value": self.weight_kg, "isEstimate": self.weight_is_estimate},
            "transporter": self._transporter_input(),
            "destination": {
                "company": self._company_input(self.destination_partner_id),
                "cap": self.destination_cap or None,
                "plannedOperationCode": self.destination_operation_code,
            },
            "packagings": [self._packaging_input(p) for p in self.packaging_ids],
            "ficheInterventions": self.fiche_ids.mapped("td_fiche_id"),
        }

    # --- sending ------------------------------------------------------------------------------
    @api.model
    def _hvac_sender_token(self, user):
        """The Trackdéchets key ``user`` sends with: refused without the export right or a key."""
        if not user.has_group(EXPORT_GROUP):
            raise AccessError(_("Only users with the right “Can export BSFF to Trackdéchets” can send a BSFF."))
        return user._hvac_trackdechets_token_or_raise()

    def action_send(self):
        token = self._hvac_sender_token(self.env.user)
        # A slip still inside its wait after a lost answer is skipped, not failed: the others go.
        waiting = self.filtered(lambda bsff: bsff._retry_after())
        if waiting and waiting == self:
            raise UserError("\n".join(bsff._retry_message() for bsff in waiting))
        errors = [error for error in (bsff._send(token) for bsff in self - waiting) if error]
        skipped = [bsff._retry_message() for bsff in waiting]
        # A failed call is kept on the BSFF (send_error), not rolled back: the next send
        # resumes from the last step that Trackdéchets confirmed.
        if errors:
            return self._notify("danger", "\n".join(errors + skipped))
        if skipped:
            return self._notify("warning", "\n".join([_("Sent to Trackdéchets, except:"), *skipped]))
        return self._notify("success", _("Sent to Trackdéchets."))

    def action_send_in_background(self):
        """The list's *Send to Trackdéchets*: the selected slips are queued and a job sends them
        one at a time, with the key and name of who queued them; the request returns at once. A
        worker stopped in the middle leaves the slip under way queued, and the next run resumes
        it from its last recorded step."""
        self._hvac_sender_token(self.env.user)
        self.check_access("write")
        todo = self.filtered(lambda bsff: bsff.state in ("draft", "sending"))
        if not todo:
            raise UserError(_("These BSFF are already on Trackdéchets."))
        todo._hvac_set_protected({"send_queued_by": self.env.user.id, "send_error": False})
        self.env.ref("hvac_connect.ir_cron_trackdechets_send")._trigger()
        return self._notify(
            "info",
            _(
                "%(count)s BSFF queued: they are sent to Trackdéchets in the background; each one's"
                " chatter or error says how it went.",
                count=len(todo),
            ),
        )

    @api.model
    def _cron_send_queued(self):
        """Send the queued slips, one per transaction. A slip someone holds, or still inside its
        wait after a lost answer, stays queued for a later run."""
        queued = self.sudo().search([("send_queued_by", "!=", False)], order="id")
        retry_after = {bsff: bsff._retry_after() for bsff in queued}
        waiting = queued.filtered(lambda bsff: retry_after[bsff])
        held = in_batches(queued - waiting, lambda batch: batch._send_queued(), size=1)
        if waiting:
            when = min(retry_after[bsff] for bsff in waiting)
            self.env.ref("hvac_connect.ir_cron_trackdechets_send").sudo()._trigger(when)
        again_soon(self.env, "hvac_connect.ir_cron_trackdechets_send", held)

    def _send_queued(self):
        for bsff in self:
            user = bsff.send_queued_by
            mine = bsff.with_user(user).with_context(lang=user.lang).with_company(bsff.company_id)
            try:
                error = mine._send(self._hvac_sender_token(user))
            except (AccessError, UserError) as refusal:
                error = str(refusal)
                bsff._hvac_set_protected({"send_error": error})
            bsff._hvac_set_protected({"send_queued_by": False})
            if error:
                _logger.info("Queued send of %s stopped: %s", bsff.name, error)

    def _retry_after(self):
        """When a slip whose create answer was lost may be looked for; False if it may now."""
        self.ensure_one()
        return not self.td_id and self.send_create_attempted and retry_after(self.send_create_attempted_at, TD_CUTOFF)

    def _retry_message(self):
        return _(
            "Trackdéchets may still be creating %(name)s: try again after %(time)s; Odoo will first look for it.",
            name=self.name,
            time=local_time(self, self._retry_after()),
        )

    @api.model
    def _notify(self, kind, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": kind,
                "message": message,
                "sticky": kind == "danger",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _send(self, token):
        """Send one BSFF; return None, or the French message of the Trackdéchets error."""
        self.ensure_one()
        # The send writes the state, Trackdéchets ids and send markers: the protected path.
        with exclusive_send(self, _("%s is being sent by someone else right now.", self.name)), self._hvac_protected():
            return self._send_exclusive(token)

    def _send_exclusive(self, token):
        if self.state not in ("draft", "sending"):
            raise UserError(_("%(name)s is already on Trackdéchets (%(id)s).", name=self.name, id=self.td_id))
        if self._retry_after():
            raise UserError(self._retry_message())
        problems = self._missing_fields()
        if problems:
            raise UserError(_("This BSFF cannot be sent yet:\n• %s", "\n• ".join(problems)))
        self.write(
            {
                "state": "sending",
                "send_reference": self.send_reference or f"odoo:{self.name}:{uuid.uuid4().hex[:12]}",
                "send_started_at": self.send_started_at or fields.Datetime.now(),
                "send_error": False,
            }
        )
        commit(self.env)
        client = self.company_id._hvac_trackdechets_client(token)
        try:
            self._send_fiches(client)
            node = self._send_slip(client)
            node = self._sign_emission(client, node)
        except TrackdechetsError as error:
            if error.code == "unauthenticated":
                # The profile must stop saying the key is valid once Trackdéchets refused it.
                self.env.user.sudo().write(
                    {
                        "hvac_trackdechets_token_state": "invalid",
                        "hvac_trackdechets_token_message": self._hvac_td_error_message(error),
                        "hvac_trackdechets_token_checked_at": fields.Datetime.now(),
                    }
                )
            self.send_error = self._hvac_td_error_message(error)
            commit(self.env)
            return f"{self.name}: {self.send_error}"
        self._apply_remote(node)
        self.intervention_ids._hvac_set_protected({"bsff_number": self.td_id})
        self.message_post(
            body=_(
                "BSFF sent to Trackdéchets as %(id)s and signed by %(author)s.",
                id=self.td_id,
                author=self.env.user.name,
            )
        )
        return None

    def _send_fiches(self, client):
        for line in self.fiche_ids.filtered(lambda f: not f.td_fiche_id):
            fiche = client.create_fiche(self._fiche_input(line))
            line.td_fiche_id = fiche["id"]
            commit(self.env)

    def _send_slip(self, client):
        if self.td_id:
            node = client.bsff(self.td_id)
            if node["status"] == "INITIAL":
                # Not signed yet: what was corrected in Odoo since the last attempt goes too.
                node = client.update_bsff(self.td_id, self._bsff_input())
            return node
        if self.send_create_attempted:
            # The previous create's answer was lost: the slip may exist; find it by reference.
            since = fields.Datetime.to_string(self.send_started_at - timedelta(hours=1)).replace(" ", "T") + "Z"
            node = client.find_bsff_by_reference(siret_digits(self.company_id.siret), self.send_reference, since)
            if node:
                _logger.info("BSFF %s found on Trackdéchets after a lost answer: %s", self.name, node["id"])
                self.td_id = node["id"]
                commit(self.env)
                return node
        self.write({"send_create_attempted": True, "send_create_attempted_at": fields.Datetime.now()})
        commit(self.env)
        try:
            node = client.create_draft_bsff(self._bsff_input())
        except TrackdechetsError as error:
            if error.nothing_applied:
                # Refused or never sent: nothing was created, the next send needs no wait nor lookup.
                self.write({"send_create_attempted": False, "send_create_attempted_at": False})
            raise
        self.td_id = node["id"]
        commit(self.env)
        return node

    def _sign_emission(self, client, node):
        if node.get("isDraft"):
            node = client.publish_bsff(self.td_id)
        if node["status"] == "INITIAL":
            node = client.sign_bsff(self.td_id, "EMISSION", self.env.user.name)
        if self.transporter_is_self and node["status"] == "SIGNED_BY_EMITTER":
            # We carry it ourselves: we also sign the taking over, or the slip waits for a
            # transporter who will never come.
            taken_over = fields.Datetime.now().isoformat() + "Z"
            node = client.sign_bsff(self.td_id, "TRANSPORT", self.env.user.name, taken_over)
        return node
