"""A small process supervisor: children as argv with probes and a restart policy (``vigil up``).

The supervisor (:mod:`vigil.supervisor.supervisor`) knows nothing of Vigil's stages: it runs
:class:`ProcessSpec` s, each a name, an argv, its liveness and readiness probes (URLs) and its
restart policy. What ``vigil up`` runs is declared in :mod:`vigil.supervisor.parts`, where the
stages' commands appear only as argv (``[python, "-m", "vigil", "consume", "classify", ...]``), so
the core still imports no stage.
"""

from vigil.supervisor.spec import Probe, ProcessSpec, RestartPolicy
from vigil.supervisor.state import current_status, read_state
from vigil.supervisor.supervisor import Supervisor

__all__ = ["ProcessSpec", "Probe", "RestartPolicy", "Supervisor", "current_status", "read_state"]
