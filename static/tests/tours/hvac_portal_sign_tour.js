/**
 * The holder, on a phone (390 px) and in French, opens the link e-mailed to it, draws its
 * signature with a finger and signs the fiche d'intervention.
 */
import { registry } from "@web/core/registry";
import { drawSignature } from "@hvac_connect/../tests/tours/hvac_draw_signature";

registry.category("web_tour.tours").add("hvac_connect_portal_sign_tour", {
    steps: () => [
        { trigger: ".o_portal_hvac_fiche h3" },
        {
            content: "The holder opens the signature dialog",
            trigger: "a.o_hvac_sign_open:contains(Signer la fiche)",
            async run(helpers) {
                // Once shown, the dialog sizes (and clears) its drawing area: draw after that.
                document.querySelector("#modal_hvac_sign").addEventListener(
                    "shown.bs.modal",
                    () => (document.body.dataset.hvacSignShown = "1"),
                    { once: true }
                );
                await helpers.click();
            },
        },
        { trigger: "body[data-hvac-sign-shown] .modal.show .modal-title:contains(Signer la fiche)" },
        {
            content: "It types its name",
            trigger: ".modal.show input.o_web_sign_name_input",
            run: "edit Claire Dubois",
        },
        {
            content: "The dialog opens on Draw, not on Auto",
            trigger: ".modal.show .o_web_sign_draw_button.active:contains(Dessiner)",
        },
        {
            content: "It draws its signature with a finger",
            trigger: ".modal.show canvas.o_web_sign_signature",
            async run(helpers) {
                await drawSignature(helpers.anchor);
            },
        },
        {
            content: "It signs",
            trigger: ".modal.show .o_portal_sign_submit:enabled:contains(Signer)",
            run: "click",
            expectUnloadPage: true,
        },
        { trigger: ".o_hvac_sign_ok:contains(Merci)" },
        { trigger: ".o_hvac_holder_signed:contains(Claire Dubois) img" },
    ],
});
