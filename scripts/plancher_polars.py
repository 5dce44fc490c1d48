#!/usr/bin/env python3
"""The polars floor: Python polars (the Rust engine `rapport` uses) reading the
exports of a project, `scan_csv().collect()` with every column left as polars
infers it, then reading them again and typing every column as `rapport` types
it: dates parsed (JJ/MM/AAAA), numbers (decimal comma), category columns as
`Categorical`, the `themes` list split. It checks nothing.

    python plancher_polars.py PROJET [REPETITIONS]

Prints two times in seconds, each the best of REPETITIONS (default 3) inside
this one process (the interpreter's start and polars' import not counted):
reading alone, then reading and typing.
"""

import sys
import time
from pathlib import Path

import polars as pl

CATEGORIES = ["action", "programme", "public", "categorie", "type", "indicateur"]
DATES = ["date", "ouverture", "cloture"]
ENTIERS = ["quantite", "annee", "valeur"]


def lire_seul(chemin):
    return pl.scan_csv(chemin, separator=";").collect()


def lire_et_typer(chemin):
    entetes = pl.read_csv(chemin, separator=";", n_rows=0).columns
    types = {c: pl.String for c in entetes}
    types.update({c: pl.Categorical for c in entetes if c in CATEGORIES})
    types.update({c: pl.Int64 for c in entetes if c in ENTIERS})
    if "montant" in entetes:
        types["montant"] = pl.Float64
    t = pl.read_csv(chemin, separator=";", schema_overrides=types, decimal_comma=True)
    return t.with_columns(
        [pl.col(c).str.to_date("%d/%m/%Y") for c in entetes if c in DATES]
        + [pl.col("themes").str.split("|") for c in entetes if c == "themes"]
    )


def meilleur(f, fichiers, n):
    temps = []
    for _ in range(n):
        debut = time.perf_counter()
        for chemin in fichiers:
            f(chemin)
        temps.append(time.perf_counter() - debut)
    return min(temps)


def main():
    projet = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    fichiers = sorted((projet / "donnees").glob("*.csv"))
    print(f"{meilleur(lire_seul, fichiers, n):.4f} {meilleur(lire_et_typer, fichiers, n):.4f}")


if __name__ == "__main__":
    main()
