from __future__ import annotations

import json

import pytest

from shinsa.demo.source import DemoSource, build_demo_source


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory) -> DemoSource:
    return build_demo_source(tmp_path_factory.mktemp("demo-source"))


@pytest.fixture(scope="module")
def manifest(demo_source) -> dict:
    return json.loads(demo_source.manifest_path.read_text(encoding="utf-8"))
