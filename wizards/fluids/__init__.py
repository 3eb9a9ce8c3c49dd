from . import hvac_label_print
from . import hvac_intervention_clear_signatures
from . import hvac_intervention_invoice
