from . import hvac_chorus_send
from . import hvac_chorus_send_attachment
from . import hvac_chorus_followup
