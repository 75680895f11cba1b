from tests.catalog.conftest import delivery, media_root  # noqa: F401 - shared fixtures
