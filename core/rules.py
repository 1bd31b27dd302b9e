"""Deprecated: the old path of :mod:`hmip_inspect.core.rating.rules`, kept for one release.

Import from :mod:`hmip_inspect.core` (the public API) or the new module instead.
"""

import warnings

from .rating.rules import *  # noqa: F403

warnings.warn("hmip_inspect.core.rules is deprecated; import from hmip_inspect.core "
              "(or hmip_inspect.core.rating.rules)", DeprecationWarning, stacklevel=2)
