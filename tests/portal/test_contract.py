"""Contract: schemathesis generates requests from docs/openapi.yaml and sends them to the real stand-in.

Valid requests must be answered as documented (status codes, content types, response schemas);
malformed ones (negative mode) must get a 4xx — and nothing may ever produce a 5xx.
Bounded: a fixed number of examples per operation, so the run stays well under a minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from denshi_client.clock import SystemClock
from denshi_client.portal.client import HttpPortalClient
from denshi_client.portal.standin import StandInService
from tests.conftest import REPO

SPEC = REPO / "docs" / "openapi.yaml"
SCHEMA = schemathesis.openapi.from_path(str(SPEC))
LABELS = [op.ok().label for op in SCHEMA.get_all_operations()]
EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 20}


class Live:
    def __init__(self, svc: StandInService):
        self.svc = svc
        self.base_url = svc.base_url
        self.client = HttpPortalClient(svc.base_url)
        self.token = self.fresh_token()
        self.doc_id = self.client.inbox()[0].id
        # Something staged, so commit/status examples can reach more than 404.
        self.staged_id = "contract-staged-0001"
        httpx.put(f"{self.base_url}/uploads/{self.staged_id}", content=b"PK\x03\x04 staged", trust_env=False,
                              params={"form_name": "資格取得届", "establishment": "0123", "file_name": "a.zip"},
                              headers={"Authorization": f"Bearer {self.token}"})

    def overrides(self, label: str) -> dict[str, Any]:
        """Real values for ids the generator cannot guess, so examples get past 404/403."""
        if "/documents/{id}" in label:
            return {"path_parameters": {"id": self.doc_id}}
        if label == "PUT /uploads/{client_id}" or label == "GET /documents":
            return {"query": {"establishment": "0123"}}
        if "/uploads/{client_id}" in label:
            return {"path_parameters": {"client_id": self.staged_id}}
        return {}

    def fresh_token(self) -> str:
        self.client.request_otp("demo")
        otp = self.svc.latest_otp("demo")
        assert otp
        self.client.login("demo", otp)
        assert self.client.token
        return self.client.token


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    d: Path = tmp_path_factory.mktemp("contract")
    with StandInService(d, SystemClock(), enforce_hours=False, otp_requests_per_10min=10_000) as svc:
        live = Live(svc)
        yield live
        live.client.close()


def _headers(live: Live, label: str) -> dict[str, Any]:
    token = live.fresh_token() if label == "DELETE /sessions/current" else live.token
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"])
@pytest.mark.parametrize("label", LABELS)
def test_operation_honours_the_contract(live: Live, label: str, mode: GenerationMode) -> None:
    op = SCHEMA.find_operation_by_label(label)
    assert op is not None
    checks = [not_a_server_error]
    if mode is GenerationMode.POSITIVE:
        checks += [status_code_conformance, content_type_conformance, response_schema_conformance]
    seen: list[int] = []

    strategy = op.as_strategy(generation_mode=mode)
    extra = live.overrides(label)
    if extra:
        strategy = st.one_of(strategy, op.as_strategy(generation_mode=mode, **extra))

    @given(case=strategy)
    @settings(max_examples=EXAMPLES[mode], deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    def run(case: schemathesis.Case) -> None:
        headers = dict(case.headers or {})
        # Positive cases use a valid session; negative ones keep whatever (possibly broken) auth was generated.
        if mode is GenerationMode.POSITIVE or "Authorization" not in headers:
            headers.update(_headers(live, label))
        case.headers = headers
        response = case.call(base_url=live.base_url, timeout=10)
        seen.append(response.status_code)
        case.validate_response(response, checks=checks)

    try:
        run()
    except Unsatisfiable:
        if mode is GenerationMode.NEGATIVE and not seen:
            return  # nothing in this operation can be made invalid (e.g. GET /health has no inputs)
        raise
    assert seen and max(seen) < 500, seen
    if mode is GenerationMode.POSITIVE and label not in ("POST /sessions", "POST /uploads/{client_id}/commit"):
        assert min(seen) < 300, f"no valid example of {label} succeeded: {sorted(set(seen))}"
