from . import share
from . import share_more
