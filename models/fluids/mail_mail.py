from odoo import models


class MailMail(models.Model):
    """An e-mail that has gone: a leak-check notice marks its installation's holder as notified."""

    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        notice = self.env.ref("hvac_connect.mt_leak_check_notice", raise_if_not_found=False)
        notices = self.filtered(lambda m: notice and m.model == "hvac.installation" and m.subtype_id == notice)
        if notices and success_pids:
            partners = self.env["res.partner"].browse([getattr(pid, "id", pid) for pid in success_pids])
            self.env["hvac.installation"].browse(notices.mapped("res_id"))._hvac_mark_notified(partners)
        return super()._postprocess_sent_message(success_pids, failure_reason=failure_reason, failure_type=failure_type)
