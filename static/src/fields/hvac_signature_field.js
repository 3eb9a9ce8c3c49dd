/**
 * The signature field of the fiche d'intervention: its dialog opens on "Draw". Odoo's opens on
 * "Auto" when a name is known, and one click then turns a typed name into a "signature".
 */
import { registry } from "@web/core/registry";
import { SignatureField, signatureField } from "@web/views/fields/signature/signature_field";

export class HvacSignatureField extends SignatureField {
    setup() {
        super.setup();
        const dialogService = this.dialogService;
        this.dialogService = {
            ...dialogService,
            add: (Dialog, props, options) =>
                dialogService.add(
                    Dialog,
                    { ...props, nameAndSignatureProps: { ...props.nameAndSignatureProps, mode: "draw" } },
                    options
                ),
        };
    }
}

registry.category("fields").add("hvac_signature", { ...signatureField, component: HvacSignatureField });
