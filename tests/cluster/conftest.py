"""tests/cluster/ runs only under `make test-cluster` (cluster/run_cluster.sh), which starts the
PostgreSQL and Redis it needs and sets REPORTS_CLUSTER=1; plain `make test` does not collect it."""
import os

collect_ignore_glob = [] if os.environ.get("REPORTS_CLUSTER") == "1" else ["test_*.py"]
