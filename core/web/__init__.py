"""The fieldwork web application (``inspect serve``): Starlette, Jinja2 templates, htmx.

Only :mod:`..cli.serve` imports this package (the ``web`` extra): no other command loads the
web stack. Handlers call the core's services (:mod:`..store`); rating, validation and audit
live there, authorisation in one place (:mod:`.policy`).
"""
