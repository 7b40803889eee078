"""Recommendations: features, the similarity index (built, loaded), the recommender, evaluation."""
