from . import hvac_lifecycle_mixin
from . import res_partner
from . import res_company
from . import ir_http
