"""The dispatcher of the solidarity-mobility service: a pure dial-a-ride solver.

``solve(problem, time_limit=…)`` returns a ``Solution``; ``check(problem, solution)`` verifies
it independently. No Django import here (import-linter contract).
"""

from carte_blanche.mobility.dispatch.model import (
    Problem,
    Request,
    Route,
    Solution,
    Stop,
    StopKind,
    Unserved,
    Vehicle,
)

__all__ = ["Problem", "Request", "Route", "Solution", "Stop", "StopKind", "Unserved", "Vehicle"]
