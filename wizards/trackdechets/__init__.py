from . import hvac_intervention_bsff_create
