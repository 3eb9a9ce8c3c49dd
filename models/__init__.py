from . import hvac_refrigerant
from . import hvac_site
from . import hvac_building
from . import hvac_installation
from . import hvac_intervention
from . import hvac_container
from . import hvac_container_move
from . import res_company
