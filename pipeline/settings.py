"""Every setting the pipeline reads, in one place, from the environment with working defaults.

dbt reads its own (REPORTS_BUILD_DB, set per run by pipeline.transform, REPORTS_DBT_THREADS,
REPORTS_DUCKDB_MEMORY_LIMIT, REPORTS_DUCKDB_THREADS) in dbt_project/profiles.yml, and validation
reads REPORTS_VALIDATE_ALL (pipeline.validate.VALIDATE_ALL_ENV). docs/contract.md lists them all. The defaults point at the bundled sample inbox and a `var/` folder in the project, so a
fresh checkout runs with no configuration at all.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


@dataclass(frozen=True)
class Settings:
    inbox: Path
    warehouse: Path  # the published file BI tools open read-only
    reports_dir: Path
    state_dir: Path  # staging Parquet, build files, quarantine: never read by BI tools
    batch_size: int

    @property
    def build_dir(self) -> Path:
        # Beside the published file so the final rename stays on one filesystem (atomic).
        return self.warehouse.parent / ".build"

    @property
    def quarantine_dir(self) -> Path:
        return self.state_dir / "quarantine"

    def run_dir(self, run_id: str) -> Path:
        return self.state_dir / "runs" / safe_run_id(run_id)

    def build_path(self, run_id: str) -> Path:
        return self.build_dir / f"{safe_run_id(run_id)}.duckdb"


def safe_run_id(run_id: str) -> str:
    """Airflow run ids hold ':' and '+'; keep file names portable."""
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in run_id)


def load_settings(
    inbox: str | Path | None = None,
    warehouse: str | Path | None = None,
    reports_dir: str | Path | None = None,
) -> Settings:
    env = os.environ
    var = PROJECT_ROOT / "var"
    warehouse_path = Path(warehouse or env.get("REPORTS_WAREHOUSE") or var / "warehouse.duckdb").resolve()
    return Settings(
        inbox=Path(inbox or env.get("REPORTS_INBOX") or PROJECT_ROOT / "examples" / "inbox").resolve(),
        warehouse=warehouse_path,
        reports_dir=Path(reports_dir or env.get("REPORTS_DIR") or var / "reports").resolve(),
        # Working files live beside the warehouse they build, so two warehouses never share them.
        state_dir=Path(env.get("REPORTS_STATE_DIR") or warehouse_path.parent / ".state").resolve(),
        batch_size=int(env.get("REPORTS_BATCH_SIZE", "200")),
    )

# The published marts, as an Airflow Asset name; downstream DAGs schedule on it.
MARTS_ASSET_NAME = "report_warehouse_marts"
