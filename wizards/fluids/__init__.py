from . import hvac_intervention_invoice
