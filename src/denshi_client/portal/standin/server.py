"""The stand-in fund service: a real HTTP(S) server on 127.0.0.1 speaking docs/openapi.yaml.

Used in-process by demo mode and the tests (`with StandInService(dir, clock) as svc: svc.base_url`)
and standalone by `denshi-client sandbox`. Bodies stream in both directions (sendfile for downloads,
fixed-size reads for uploads), so a 1 GiB transfer costs the server a few MiB of memory.

The parts: `service.py` (the state and lifecycle), `records.py` (OTP, session and upload records),
`api.py` (paths, patterns, the error answer), `http.py` (server, answers, bodies, faults on a body),
`routes.py` (the request handler: routes, downloads, control) and `uploads.py` (upload and commit).
Callers import the names from here.
"""

from __future__ import annotations

from denshi_client.portal.standin.api import (
    _BAD_NAME,
    _OTP,
    _USER_ID,
    API_PREFIX,
    CONTROL_PREFIX,
    ApiError,
    bad_request,
)
from denshi_client.portal.standin.records import UploadRecord, _Session
from denshi_client.portal.standin.routes import _Handler
from denshi_client.portal.standin.service import StandInService, default_service_hours

__all__ = [
    "API_PREFIX", "CONTROL_PREFIX", "_BAD_NAME", "_OTP", "_USER_ID", "ApiError", "StandInService", "UploadRecord",
    "_Handler", "_Session", "bad_request", "default_service_hours",
]
