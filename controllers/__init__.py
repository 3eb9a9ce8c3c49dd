from . import portal
from . import share
from . import label
