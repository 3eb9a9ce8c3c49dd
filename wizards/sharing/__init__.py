from . import hvac_connection_accept
from . import hvac_share_evaluate
from . import hvac_share_process
from . import hvac_share_process_line
from . import hvac_share_withdraw
