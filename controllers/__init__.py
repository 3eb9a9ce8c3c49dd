from . import portal
from . import share
