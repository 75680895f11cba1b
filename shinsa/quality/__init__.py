"""Quality: agreement between reviewers (``shinsa.quality.metrics``, the ``shinsa agreement`` command)."""
