"""movierec: the domain behind the movie bot (ETL, catalog, matching, queries, recommender)."""
