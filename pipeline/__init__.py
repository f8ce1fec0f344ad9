"""The pipeline steps, each one function used by both the Airflow DAG and the CLI."""
