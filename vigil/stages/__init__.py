"""Pipeline stages that write to the warehouse: the sink and the run ledger.

Each stage is a plain library function over a :class:`vigil.warehouse.Warehouse`;
the bus stage classes in :mod:`vigil.stages.sink` are thin shells over them, so
embedded mode (direct calls) and distributed mode (Kafka consumers) share the code.
"""

from vigil.stages.ledger import record_counts
from vigil.stages.sink import (
    BatchSink, Located, SinkCounts, backfill_events, sink_stages, write_classifications, write_documents,
)

__all__ = [
    "BatchSink", "Located", "SinkCounts", "backfill_events", "record_counts", "sink_stages",
    "write_classifications", "write_documents",
]
