"""The classic implementation the original project served over HTTP, kept as a yardstick.

Faithful on purpose: one pandas DataFrame; lookups with ``str.contains(case=False)`` (a regular
expression, as pandas does by default); TF-IDF over genres + tagline + first actor + first
director fitted at start-up; per recommendation the cosine of one row against all rows and a
Python ``sorted(enumerate(...))``. Not product code: never imported by the bot.

Beside it, the best a classic implementation could do without precomputing anything
(``*_top``): the same cosine scan, then ``argpartition`` for the few best instead of sorting
all 45k. Filters and several films are the same scan, masked or with the rows summed.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity


def contains(column: pd.Series, text: str) -> pd.Series:
    """The classic lookup: ``str.contains(case=False)``, so the text is a regular expression.

    That is the behaviour being measured; pandas' reminder about match groups is noise here.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return column.str.contains(text, case=False)


MONTHS = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
DAYS = "lunes martes miercoles jueves viernes sabado domingo"


class Classic:
    def __init__(self, data: Path) -> None:
        movies = pd.read_parquet(data / "movies.parquet")
        credits = pd.read_parquet(data / "credits.parquet")
        cast = credits[credits["kind"] == "cast"].sort_values(["movie_id", "position"])
        crew = credits[credits["job"] == "Director"]
        actors = cast.groupby("movie_id")["name"].apply(", ".join).rename("actors")
        directors = crew.groupby("movie_id")["name"].apply(", ".join).rename("directors")
        df = movies.join(actors, on="id").join(directors, on="id")
        df["actors"] = df["actors"].fillna("")
        df["directors"] = df["directors"].fillna("")
        df["release_date"] = pd.to_datetime(df["release_date"])
        df["tagline"] = df["tagline"].fillna("")
        df["genres_text"] = df["genres"].apply(" ".join)
        self.df = df.reset_index(drop=True)
        soup = (
            df["genres_text"]
            + " "
            + df["tagline"]
            + " "
            + df["actors"].str.split(", ").str[0].fillna("")
            + " "
            + df["directors"].str.split(", ").str[0].fillna("")
        )
        self.vectorizer = TfidfVectorizer(ngram_range=(1, 2), stop_words="english")
        self.tfidf = self.vectorizer.fit_transform(soup)

    # the six questions, as the original endpoints answered them
    def cantidad_filmaciones_mes(self, mes: str) -> int:
        month = MONTHS.split().index(mes.lower()) + 1
        return int((self.df["release_date"].dt.month == month).sum())

    def cantidad_filmaciones_dia(self, dia: str) -> int:
        day = DAYS.split().index(dia.lower())
        return int((self.df["release_date"].dt.day_of_week == day).sum())

    def _title(self, titulo: str) -> pd.Series:
        found = self.df[contains(self.df["title"], titulo)]
        if found.empty:
            raise LookupError(titulo)
        return found.iloc[0]

    def score_titulo(self, titulo: str) -> tuple[str, int, float]:
        row = self._title(titulo)
        return row["title"], int(row["release_year"]), float(row["popularity"])

    def votos_titulo(self, titulo: str) -> tuple[str, int, float] | str:
        row = self._title(titulo)
        if row["vote_count"] < 2000:
            return "no cumple la condición"
        return row["title"], int(row["vote_count"]), float(row["vote_average"])

    def get_actor(self, nombre: str) -> tuple[str, int, float, float]:
        films = self.df[contains(self.df["actors"], nombre)]
        if films.empty:
            raise LookupError(nombre)
        total = float(films["return"].sum())
        return nombre, len(films), total, total / len(films)

    def get_director(self, nombre: str) -> tuple[str, float, list]:
        films = self.df[contains(self.df["directors"], nombre)]
        if films.empty:
            raise LookupError(nombre)
        rows = films[["title", "release_date", "return", "budget", "revenue"]].to_dict("records")
        return nombre, float(films["return"].sum()), rows

    def recomendacion(self, titulo: str) -> list[str]:
        index = self.df.index[contains(self.df["title"], titulo)][0]
        return self.recommend_row(int(index))

    def recommend_row(self, index: int) -> list[str]:
        scores = cosine_similarity(self.tfidf[index], self.tfidf).flatten()
        ranked = sorted(enumerate(scores), key=lambda pair: pair[1], reverse=True)
        return [self.df["title"].iloc[i] for i, _ in ranked[1:6]]

    # -- what the comparisons need beyond the original endpoints ---------------------------

    def title_id(self, titulo: str) -> int | None:
        """The TMDB id the classic title lookup lands on (None: it finds nothing or fails)."""
        try:
            return int(self._title(titulo)["id"])
        except (LookupError, ValueError, re.error):
            return None

    def typeahead(self, typed: str) -> list[str]:
        """Inline mode done classically: titles containing what was typed, most voted first."""
        try:
            found = self.df[contains(self.df["title"], typed)]
        except (ValueError, re.error):
            return []
        return list(found.nlargest(21, "vote_count")["title"])

    def films_of(self, column: str, nombre: str) -> int | None:
        """How many films the classic person lookup counts (None: nothing, or it fails)."""
        try:
            return int(contains(self.df[column], nombre).sum()) or None
        except (ValueError, re.error):
            return None

    def genre_mask(self, genre: str) -> np.ndarray:
        """The films of a genre, found the pandas way (per call: nothing is precomputed)."""
        return self.df["genres"].apply(lambda names: genre in names).to_numpy()

    def _scores(self, rows: list[int]) -> np.ndarray:
        query = self.tfidf[rows].sum(axis=0)
        return np.asarray(cosine_similarity(np.asarray(query), self.tfidf)).ravel()

    def recommend_rows(self, rows: list[int], allowed: np.ndarray | None = None) -> list[str]:
        """The original scan and sort for one film or several, then the filter."""
        scores = self._scores(rows)
        ranked = sorted(enumerate(scores), key=lambda pair: pair[1], reverse=True)
        picked = [i for i, _ in ranked if i not in rows and (allowed is None or allowed[i])]
        return [self.df["title"].iloc[i] for i in picked[:5]]

    def recommend_rows_top(self, rows: list[int], allowed: np.ndarray | None = None) -> list[str]:
        """The same scan, the few best by argpartition (no full sort)."""
        scores = self._scores(rows)
        scores[rows] = -np.inf
        if allowed is not None:
            scores[~allowed] = -np.inf
        k = min(5, len(scores) - 1)  # a tiny catalog has fewer films
        top = np.argpartition(-scores, k)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [self.df["title"].iloc[i] for i in top.tolist() if scores[i] > -np.inf]
