#!/usr/bin/env python3
"""The pandas peer: the pipeline a user would write instead of `rapport`.

pandas reads the same exports (`;`, UTF-8 or Windows-1252, dates JJ/MM/AAAA,
decimal comma), computes the figures of the model's indicators (row counts,
sums, distinct people, new people (first met that year), shares; per year and
per breakdown group), matplotlib
draws the model's charts, and the `typst` Python package (PyPI) typesets a PDF
with the sections, tables and charts. It checks nothing (no vocabulary, no
personal-data guard, no statistical secret, no line and column in errors) and
prints no texts, cover or glossary: it is the floor a naive script sets, for
`scripts/mesurer.sh` to compare `rapport build` with.

    python pair_pandas.py PROJET ANNEE SORTIE            # writes SORTIE/rapport-ANNEE.pdf
    python pair_pandas.py PROJET ANNEE SORTIE --comparer SORTIE_RAPPORT

With `--comparer`, every figure `rapport build` wrote in SORTIE_RAPPORT/tableaux/*.csv
(the cells it did not hide) is compared with the peer's; any difference is
printed and the exit code is 1. The figures are read from the model
(`rapport.toml`, with `tomllib`) so that the peer computes what `rapport` does
on any project generated from the sample's model; a user would write the same
filters by hand.

Needs: pandas, matplotlib, typst (pip install pandas matplotlib typst).
"""

import argparse
import csv
import re
import sys
import tomllib
from pathlib import Path

import matplotlib

matplotlib.use("svg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import typst  # noqa: E402

CATEGORIES = ["action", "programme", "public", "categorie", "type", "indicateur"]
DATES = {"activites": ["date"], "suivis": ["ouverture", "cloture"], "indicateurs": []}


def lire_csv(chemin, source):
    """One export, typed by pandas as it reads it: dates, numbers with a decimal
    comma, categories; UTF-8 (with or without its mark), else Windows-1252."""
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            entetes = pd.read_csv(chemin, sep=";", encoding=encodage, nrows=0).columns
            return pd.read_csv(
                chemin,
                sep=";",
                encoding=encodage,
                decimal=",",
                dtype={c: ("category" if c in CATEGORIES else str) for c in entetes
                       if c in CATEGORIES or c in ("personne", "themes")},
                parse_dates=DATES[source],
                date_format="%d/%m/%Y",
            )
        except UnicodeDecodeError:
            if encodage == "cp1252":
                raise


def lire(donnees, source):
    """Every `SOURCE*.csv` of the project's `donnees/`, stacked."""
    return pd.concat([lire_csv(c, source) for c in sorted(donnees.glob(f"{source}*.csv"))],
                     ignore_index=True)


def masque_filtre(t, colonne, f):
    if isinstance(f, dict):  # { contient = "x" }: a list column `a|b|c`
        return ("|" + t[colonne].fillna("") + "|").str.contains(f"|{f['contient']}|", regex=False)
    valeurs = f if isinstance(f, list) else [f]
    return t[colonne].isin(valeurs)


def masque_periode(t, periode, annee):
    debut, fin = pd.Timestamp(annee, 1, 1), pd.Timestamp(annee, 12, 31)
    if periode == "evenement":
        return (t["date"] >= debut) & (t["date"] <= fin)
    if periode == "ouverture":
        return (t["ouverture"] >= debut) & (t["ouverture"] <= fin)
    if periode == "actif":
        return (t["ouverture"] <= fin) & (t["cloture"].isna() | (t["cloture"] >= debut))
    return t["annee"] == annee


PERIODE = {"activites": "evenement", "suivis": "actif", "indicateurs": "annee"}


def mesurer(ind, t, m, condition):
    """(value, numerator, denominator) of indicator `ind` over rows `m` of `t`;
    `condition`, the rows a share counts."""
    mesure = ind["mesure"]
    if mesure == "lignes":
        return float(m.sum()), None, None
    if mesure == "somme":
        colonne = ind.get("colonne", "valeur" if ind["source"] == "indicateurs" else "quantite")
        return float(t.loc[m, colonne].sum()), None, None
    if mesure in ("personnes", "nouvelles_personnes"):
        return float(t.loc[m, "personne"].dropna().nunique()), None, None
    # part: the share of the rows that meet the condition, in percent
    num, den = int((m & condition).sum()), int(m.sum())
    return (100 * num / den if den else None), num, den


def calculer(modele, tables, annee):
    """figures[(indicator, column, year)] = (value, num, den); column is a group
    label, "Total", or the year itself (the "annees" tables)."""
    figures = {}
    for nom, ind in modele["indicateurs"].items():
        t = tables[ind["source"]]
        base = pd.Series(True, index=t.index)
        for c, f in ind.get("filtres", {}).items():
            base &= masque_filtre(t, c, f)
        condition = pd.Series(True, index=t.index)
        for c, f in ind.get("condition", {}).items():
            condition &= masque_filtre(t, c, f)
        periode = ind.get("periode", PERIODE[ind["source"]])
        ventilation = modele.get("ventilations", {}).get(ind.get("ventilation"))
        premiere = None
        if ind["mesure"] == "nouvelles_personnes":
            # The date of each row's person's first row that the filters keep.
            date = "date" if periode == "evenement" else "ouverture"
            avec = base & t["personne"].notna()
            premiere = t["personne"].map(t.loc[avec].groupby("personne", observed=True)[date].min())
        for an in range(annee - 2, annee + 1):
            m = base & masque_periode(t, periode, an)
            if premiere is not None:  # new people: first met this year
                m &= premiere >= pd.Timestamp(an, 1, 1)
            total = mesurer(ind, t, m, condition)
            figures[(nom, "Total", an)] = total
            figures[(nom, str(an), an)] = total
            if ventilation:
                for g in ventilation["groupes"]:
                    groupe = m & t[ventilation["colonne"]].isin(g["valeurs"])
                    figures[(nom, g["libelle"], an)] = mesurer(ind, t, groupe, condition)
    return figures


def titre(gabarit, annee):
    """`{{ annee }}`, `{{ annee_precedente }}`, `{{ annee - 2 }}`, `{{ annee + 1 }}`."""

    def valeur(m):
        e = m.group(1).strip().replace("annee_precedente", str(annee - 1))
        e = e.replace("annee", str(annee))
        return str(eval(e, {}))  # only the model's own arithmetic on the year

    return re.sub(r"\{\{(.*?)\}\}", valeur, gabarit)


def nombre(v, part=False):
    if v is None:
        return "n.c."
    if part:
        return f"{v:.1f}".replace(".", ",") + " %"
    if v == int(v):
        return f"{int(v):,}".replace(",", "\u202f")
    return f"{v:,.2f}".replace(",", "\u202f").replace(".", ",")


def dessiner(modele, figures, annee, sortie):
    """One SVG per chart of the model; returns {chart id: file name}."""
    fichiers = {}
    for nom, g in modele.get("graphiques", {}).items():
        fig, ax = plt.subplots(figsize=(6, 3))
        if g["type"] == "annees":
            annees = list(range(annee - g.get("annees", 3) + 1, annee + 1))
            for i in g["indicateurs"]:
                ax.plot(annees, [figures[(i, "Total", a)][0] for a in annees], marker="o",
                        label=modele["indicateurs"][i]["libelle"])
            ax.set_xticks(annees)
        else:  # barres_groupees: each indicator's groups, this year
            indicateurs = g["indicateurs"]
            ventilation = modele["ventilations"][modele["indicateurs"][indicateurs[0]]["ventilation"]]
            groupes = [gr["libelle"] for gr in ventilation["groupes"]]
            largeur = 0.8 / len(groupes)
            for k, gr in enumerate(groupes):
                ax.bar([x + k * largeur for x in range(len(indicateurs))],
                       [figures[(i, gr, annee)][0] or 0 for i in indicateurs], largeur, label=gr)
            ax.set_xticks([x + 0.4 - largeur / 2 for x in range(len(indicateurs))],
                          [modele["indicateurs"][i]["libelle"] for i in indicateurs], fontsize=7)
        ax.set_title(titre(g["titre"], annee), fontsize=9)
        ax.legend(fontsize=7)
        fig.tight_layout()
        fichiers[nom] = f"{nom}.svg"
        fig.savefig(sortie / fichiers[nom])
        plt.close(fig)
    return fichiers


def echapper(texte):
    return re.sub(r"([\\#*_`$@<>\[\]])", r"\\\1", texte)


def colonnes_du_tableau(modele, tab, annee):
    if tab.get("colonnes", "annees") == "annees":
        return [str(a) for a in range(annee - tab.get("annees", 2) + 1, annee + 1)]
    groupes = [g["libelle"] for g in modele["ventilations"][tab["colonnes"]]["groupes"]]
    return groupes + (["Total"] if tab.get("total") else [])


def tableau(modele, figures, tab, annee):
    colonnes = colonnes_du_tableau(modele, tab, annee)
    cellules = ["[]"] + [f"[*{echapper(c)}*]" for c in colonnes]
    for ligne in tab["lignes"]:
        if isinstance(ligne, dict) and "intertitre" in ligne:
            cellules += [f"table.cell(colspan: {len(colonnes) + 1})[_{echapper(ligne['intertitre'])}_]"]
            continue
        nom = ligne if isinstance(ligne, str) else ligne["indicateur"]
        ind = modele["indicateurs"][nom]
        libelle = ligne.get("libelle", ind["libelle"]) if isinstance(ligne, dict) else ind["libelle"]
        cellules.append(f"[{echapper(libelle)}]")
        for c in colonnes:
            cle = (nom, c, annee) if not c.isdigit() else (nom, c, int(c))
            v = figures.get(cle, figures.get((nom, "Total", annee)))
            cellules.append(f"[{echapper(nombre(v[0], ind['mesure'] == 'part'))}]")
    return (f"#table(columns: {len(colonnes) + 1}, align: (left,) + (right,) * {len(colonnes)},\n  "
            + ", ".join(cellules) + ")\n")


def composer(modele, figures, graphiques, annee, sortie):
    asso = modele.get("association", {})
    titre_rapport = modele.get("rapport", {}).get("titre", "Rapport d'activité")
    src = ['#set text(lang: "fr", size: 10pt)', "#set page(paper: \"a4\", numbering: \"1\")",
           f"#align(center)[#text(size: 22pt)[*{echapper(titre_rapport)} {annee}*] \\ "
           f"{echapper(asso.get('nom', ''))}]", "#pagebreak()"]
    for section in modele.get("sections", []):
        src.append(f"= {echapper(titre(section['titre'], annee))}")
        for el in section["elements"]:
            if "tableau" in el:
                tab = modele["tableaux"][el["tableau"]]
                src.append(f"*{echapper(titre(tab['titre'], annee))}*\n")
                src.append(tableau(modele, figures, tab, annee))
            elif "graphique" in el:
                src.append(f'#image("{graphiques[el["graphique"]]}", width: 100%)')
    chemin = sortie / f"rapport-{annee}.typ"
    chemin.write_text("\n\n".join(src), encoding="utf-8")
    typst.compile(str(chemin), output=str(sortie / f"rapport-{annee}.pdf"), root=str(sortie))


def comparer(figures, dossier):
    """Every unhidden cell of rapport's tables/*.csv against the peer's figure."""
    ecarts, vues = [], 0
    for chemin in sorted((Path(dossier) / "tableaux").glob("*.csv")):
        with open(chemin, encoding="utf-8-sig", newline="") as f:
            for r in csv.DictReader(f, delimiter=";"):
                if not r["valeur"]:
                    continue  # hidden by the statistical secret, which the peer does not apply
                vues += 1
                v, num, den = figures[(r["indicateur"], r["colonne"], int(r["annee"]))]
                attendu = float(r["valeur"].replace("\u202f", "").replace(",", "."))
                if r["numerateur"]:
                    juste = (num, den) == (int(r["numerateur"]), int(r["denominateur"]))
                    juste = juste and abs(v - attendu) <= 0.05 + 1e-9
                else:
                    juste = abs(v - attendu) < 1e-6
                if not juste:
                    ecarts.append(f"{chemin.name} {r['indicateur']} {r['colonne']} {r['annee']} : "
                                  f"rapport {r['valeur']}, pandas {v} ({num}/{den})")
    for e in ecarts:
        print(e, file=sys.stderr)
    print(f"{vues} chiffres comparés, {len(ecarts)} différents", file=sys.stderr)
    return not ecarts and vues > 0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("projet", type=Path)
    p.add_argument("annee", type=int)
    p.add_argument("sortie", type=Path)
    p.add_argument("--comparer", metavar="SORTIE_RAPPORT")
    a = p.parse_args()
    with open(a.projet / "rapport.toml", "rb") as f:
        modele = tomllib.load(f)
    sources = {ind["source"] for ind in modele["indicateurs"].values()}
    tables = {s: lire(a.projet / "donnees", s) for s in sorted(sources)}
    figures = calculer(modele, tables, a.annee)
    a.sortie.mkdir(parents=True, exist_ok=True)
    graphiques = dessiner(modele, figures, a.annee, a.sortie)
    composer(modele, figures, graphiques, a.annee, a.sortie)
    if a.comparer and not comparer(figures, a.comparer):
        sys.exit(1)


if __name__ == "__main__":
    main()
