from . import test_fgas
from . import test_installation
from . import test_intervention
from . import test_intervention_report
from . import test_security
from . import test_tour_installation
from . import test_client_share_protocol
