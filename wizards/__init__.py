from . import hvac_intervention_bsff_create
from . import hvac_chorus_send
from . import hvac_chorus_send_attachment
from . import hvac_chorus_followup
from . import hvac_connection_accept
from . import hvac_share_evaluate
from . import hvac_share_process
from . import hvac_share_withdraw
