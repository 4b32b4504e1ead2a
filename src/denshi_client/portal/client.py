"""The one adapter to the fund's service (direct mode): the client for docs/openapi.yaml.

Pointing the app at the real service means changing this module (and its parts below) and the
`[service]` settings block (api_base_url, ca_bundle) — nothing else speaks HTTP to the fund.

Transfers never leave a wrong file behind: downloads go to a hidden partial keyed by the document id
(portal/download_files.py), resume with Range/If-Range, are hashed incrementally (the existing prefix
included) and get their final name only after size and SHA-256 match.
Uploads are streamed from disk, staged, and committed only when the server's digest equals ours;
a retry asks first what already arrived, so one client id never becomes two uploads.

Limits: every operation (all its attempts) ends by a deadline — `deadline_s` for a JSON call, plus
`size / min_rate` for a transfer — enforced on the socket (portal/transport.py), not only per read; every
JSON answer is capped (`max_json_bytes`) and validated in portal/model.py before use.

The parts: `calls.py` (settings, retries, the JSON calls), `download.py` (the download path) and
`upload.py` (the upload path); callers import `HttpPortalClient` and `PortalSettings` from here.
"""

from __future__ import annotations

from denshi_client.portal.calls import CHUNK, DEADLINE_S, DEFAULT_BASE_URL, MIN_RATE, PortalSettings
from denshi_client.portal.download import _Downloads
from denshi_client.portal.upload import _Uploads

__all__ = ["CHUNK", "DEADLINE_S", "DEFAULT_BASE_URL", "MIN_RATE", "HttpPortalClient", "PortalSettings"]


class HttpPortalClient(_Downloads, _Uploads):
    """`PortalClient` over HTTP(S). Thread-safe for one transfer at a time per instance."""
