"""The DAG folder parses cleanly, as the scheduler will parse it."""
from __future__ import annotations

from tests.conftest import PROJECT_ROOT


def test_dag_folder_imports_without_errors() -> None:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(PROJECT_ROOT / "dags"))
    assert bag.import_errors == {}
    assert "report_warehouse" in bag.dag_ids
    for dag_id in bag.dag_ids:
        dag = bag.dags[dag_id]
        assert dag.tags, f"{dag_id} has no tags"
        for t in dag.tasks:
            assert t.retries >= 1, f"{dag_id}.{t.task_id} has no retries"
    main = bag.dags["report_warehouse"]
    assert main.max_active_runs == 1
    assert {t.task_id for t in main.tasks} == {"discover", "extract", "load", "dbt_build", "validate", "publish"}
