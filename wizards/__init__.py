from . import fluids
from . import trackdechets
from . import chorus
from . import sharing
