"""The embedded stand-in for the fund's service (demo mode, tests, `denshi-client sandbox`)."""

from denshi_client.portal.standin.data import DEMO_ZIP_PASSWORDS, ESTABLISHMENTS, USERS
from denshi_client.portal.standin.faults import Fault, FaultPlan
from denshi_client.portal.standin.server import StandInService

__all__ = ["DEMO_ZIP_PASSWORDS", "ESTABLISHMENTS", "USERS", "Fault", "FaultPlan", "StandInService"]
