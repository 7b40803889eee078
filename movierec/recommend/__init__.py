"""Recommendations: features, the similarity index (built, loaded), the recommender, evaluation."""

__all__ = ["build", "evaluate", "features", "index", "recommender"]
