"""The ETL: Kaggle's files to the catalog in ``data/`` (``python -m movierec.etl``)."""

__all__ = ["datacard", "derived", "literals", "pipeline", "sources", "transform"]
