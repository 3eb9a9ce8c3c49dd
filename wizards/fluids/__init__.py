from . import hvac_label_print
