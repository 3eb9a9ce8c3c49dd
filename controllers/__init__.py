from . import share
from . import portal
from . import share_more
