"""Policies as data: the pure loader for ``policies/`` (``loader``, ``schemas``) and, for Django code,
``current.current_policies()`` plus the system check in ``checks``."""
