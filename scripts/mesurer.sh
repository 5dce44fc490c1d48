#!/bin/sh
# Paired whole-process timings of `rapport build` against the pipeline a user
# would otherwise write (scripts/pair_pandas.py: pandas + matplotlib + the
# `typst` Python package, the same figures) and against polars reading and
# typing the same files (scripts/plancher_polars.py), in one run. Prints
# Markdown tables.
#
#   scripts/mesurer.sh                       # the sample, then 10 000 to 10 000 000 rows
#   TAILLES="10000 1000000" scripts/mesurer.sh
#   N=5 N_GRAND=1 scripts/mesurer.sh         # 5 repetitions, 1 from 10 million rows up
#   INDICATEURS=200 TAILLES=1000000 scripts/mesurer.sh   # the many-indicator case
#
# For each size, N repetitions (default 3; N_GRAND, default N, from 10 million
# rows up), in alternating order: a first `rapport build` in an empty output
# folder (with `--sans-cache` when this `rapport` has it), then a second build
# of the same year into the same folder with the exports unchanged (after one
# unmeasured build that may fill the cache, when `--sans-cache` exists), the
# pandas peer (which also checks that its figures equal those of the tables
# `rapport` wrote: the run stops if one differs), and the polars floor (best of
# 3 inside one process). Each process runs under /usr/bin/time -v (peak
# memory); times are wall-clock medians of the repetitions.
#
# The peer and the floor need a Python environment with pandas, matplotlib,
# typst and polars, by default $CARGO_TARGET_DIR/venv (VENV=… to change it):
#
#   python3 -m venv "${CARGO_TARGET_DIR:-target}/venv"
#   "${CARGO_TARGET_DIR:-target}/venv/bin/pip" install pandas matplotlib typst polars
#
# Without it, their columns read "—". Projects are generated once (seeded) in
# $RAPPORT_BENCH_PROJETS (default target/bench-projets), and reused by
# `cargo bench --bench etapes`.
set -eu
cd "$(dirname "$0")/.."
TAILLES=${TAILLES:-"10000 100000 1000000 10000000"}
INDICATEURS=${INDICATEURS:-0}
N=${N:-3}
N_GRAND=${N_GRAND:-$N}
DIR=${RAPPORT_BENCH_PROJETS:-target/bench-projets}
CIBLE=${CARGO_TARGET_DIR:-target}
VENV=${VENV:-$CIBLE/venv}
ANNEE=2013

cargo build --release --locked --bin rapport --example generer >&2
RAPPORT=${RAPPORT:-"$CIBLE/release/rapport"}   # RAPPORT=… measures another binary
GENERER="$CIBLE/release/examples/generer"
PY="$VENV/bin/python"
if [ -x "$PY" ] && "$PY" -c "import pandas, matplotlib, typst, polars" 2>/dev/null; then
    PYTHON=oui
else
    PYTHON=non
    echo "Pas d'environnement Python dans $VENV : le pair pandas et le plancher polars ne sont pas mesurés." >&2
    echo "  python3 -m venv $VENV && $VENV/bin/pip install pandas matplotlib typst polars" >&2
fi
if "$RAPPORT" build --help | grep -q -- --sans-cache; then SANS_CACHE=--sans-cache; else SANS_CACHE=; fi

TRAVAIL=$(mktemp -d)
trap 'rm -rf "$TRAVAIL"' EXIT
MESURES="$TRAVAIL/mesures"
: > "$MESURES"

projet() { # $1: rows
    if [ "$INDICATEURS" -gt 0 ]; then echo "$DIR/$1-$INDICATEURS"; else echo "$DIR/$1"; fi
}
mkdir -p "$DIR"
for n in $TAILLES; do
    p=$(projet "$n")
    if [ ! -f "$p/rapport.toml" ]; then
        if [ "$INDICATEURS" -gt 0 ]; then
            "$GENERER" --lignes "$n" --annees 2004..2013 --indicateurs "$INDICATEURS" --sortie "$p" >&2
        else
            "$GENERER" --lignes "$n" --annees 2004..2013 --sortie "$p" >&2
        fi
    fi
done

# chrono NAME KEY COMMAND…: runs COMMAND under /usr/bin/time -v, stops the run
# if it fails, and records "NAME KEY seconds" and "NAME KEY.memoire MiB";
# its standard error stays in $TRAVAIL/journal.
chrono() {
    nom=$1; cle=$2; shift 2
    debut=$(date +%s%N)
    if ! /usr/bin/time -v -o "$TRAVAIL/temps" "$@" > /dev/null 2> "$TRAVAIL/journal"; then
        echo "échec : $*" >&2
        cat "$TRAVAIL/journal" >&2
        exit 1
    fi
    fin=$(date +%s%N)
    echo "$nom $cle $(( (fin - debut) / 1000 ))e-6" >> "$MESURES"
    awk -v k="$nom $cle.memoire" '/Maximum resident set size/ { print k, $NF / 1024 }' "$TRAVAIL/temps" >> "$MESURES"
}

# etapes NAME PREFIX: records the stages `--timings` printed in $TRAVAIL/journal.
etapes() {
    awk -v k="$1 $2" '
        function nombre(v) { sub(",", ".", v); return v + 0 }
        $1 == "cache" { print k ".cache", nombre($4) }
        $1 == "lecture" { print k ".lecture", nombre($2) }
        $1 == "validation" { print k ".validation", nombre($2) }
        $1 == "agrégation" { print k ".agregation", nombre($2) }
        $1 == "mise" { m = nombre($4) }
        $1 == "export" { print k ".composition", m + nombre($3) }
        $1 == "total" { print k ".total", nombre($2) }
    ' "$TRAVAIL/journal" >> "$MESURES"
}

rapport_deux_fois() { # $1: name, $2: project, $3: output folder
    rm -rf "$3"
    chrono "$1" rapport "$RAPPORT" build "$ANNEE" --projet "$2" --sortie "$3" --quiet --timings $SANS_CACHE
    etapes "$1" rapport
    if [ -n "$SANS_CACHE" ]; then
        "$RAPPORT" build "$ANNEE" --projet "$2" --sortie "$3" --quiet > /dev/null
    fi
    chrono "$1" deuxieme "$RAPPORT" build "$ANNEE" --projet "$2" --sortie "$3" --quiet --timings
    etapes "$1" deuxieme
}

pair() { # $1: name, $2: project, $3: rapport's output folder
    rm -rf "$TRAVAIL/pair"
    chrono "$1" pair "$PY" scripts/pair_pandas.py "$2" "$ANNEE" "$TRAVAIL/pair" --comparer "$3"
    tail -n 1 "$TRAVAIL/journal" > "$TRAVAIL/comparaison-$1"
}

plancher() { # $1: name, $2: project
    "$PY" scripts/plancher_polars.py "$2" 3 |
        awk -v k="$1" '{ print k, "polars_seul", $1; print k, "plancher", $2 }' >> "$MESURES"
}

# The sample: whole builds, medians of 7 (--timings measures the stages inside the process).
for i in 1 2 3 4 5 6 7; do
    rapport_deux_fois echantillon data-samples "$TRAVAIL/echantillon"
done

for n in $TAILLES; do
    p=$(projet "$n")
    s="$TRAVAIL/sortie-$n"
    r=$N
    if [ "$n" -ge 10000000 ]; then r=$N_GRAND; fi
    i=1
    while [ "$i" -le "$r" ]; do
        if [ $((i % 2)) -eq 1 ]; then
            rapport_deux_fois "$n" "$p" "$s"
            if [ "$PYTHON" = oui ]; then pair "$n" "$p" "$s"; plancher "$n" "$p"; fi
        else
            if [ "$PYTHON" = oui ]; then plancher "$n" "$p"; pair "$n" "$p" "$s"; fi
            rapport_deux_fois "$n" "$p" "$s"
        fi
        i=$((i + 1))
    done
    octets=$(cat "$p"/donnees/*.csv | wc -c)
    echo "$n octets $octets" >> "$MESURES"
done

# Medians of each (name, key), then the tables.
awk '
    { v[$1 " " $2, ++k[$1 " " $2]] = $3 + 0; if (!($1 in vu)) { vu[$1]; noms[++nn] = $1 } }
    function med(cle,   n, i, j, x, t) {
        n = k[cle]; if (n == 0) return -1
        for (i = 1; i <= n; i++) t[i] = v[cle, i]
        for (i = 2; i <= n; i++) { x = t[i]; for (j = i - 1; j >= 1 && t[j] > x; j--) t[j + 1] = t[j]; t[j + 1] = x }
        return n % 2 ? t[(n + 1) / 2] : (t[n / 2] + t[n / 2 + 1]) / 2
    }
    function z(x) { return x < 0 ? 0 : x }  # a stage the build did not print
    function fr(x, d,   s) { s = sprintf("%." d "f", x); sub("\\.", ",", s); return s }
    function s(x) { return x < 0 ? "—" : (x < 1 ? fr(x, 3) : fr(x, 2)) " s" }
    function fois(a, b) { return (a < 0 || b <= 0) ? "—" : fr(a / b, 1) " ×" }
    function lignes(n,   t, i) {
        t = sprintf("%d", n); for (i = length(t) - 3; i > 0; i -= 3) t = substr(t, 1, i) " " substr(t, i + 1); return t
    }
    END {
        e = "echantillon"
        print "Échantillon (data-samples, rapport " '"$ANNEE"'"), médianes de " k[e " rapport"] " constructions entières :"
        print ""
        print "| processus entier | total (--timings) | mise en page + export PDF | deuxième construction | mémoire maximale |"
        print "|---:|---:|---:|---:|---:|"
        printf "| %s | %s | %s | %s | %.0f Mio |\n", s(med(e " rapport")), s(med(e " rapport.total")),
            s(med(e " rapport.composition")), s(med(e " deuxieme")), med(e " rapport.memoire")
        print ""
        print "Mesures appariées (médianes de " '"$N"'" répétitions, " '"$N_GRAND"'" à partir de 10 millions de lignes) :"
        print ""
        print "| lignes | rapport | pair pandas | pair ÷ rapport | plancher polars | rapport ÷ plancher | mémoire de rapport | taille des exports |"
        print "|---:|---:|---:|---:|---:|---:|---:|---:|"
        for (i = 1; i <= nn; i++) {
            n = noms[i]; if (n == e) continue
            r = med(n " rapport"); p = med(n " pair"); f = med(n " plancher")
            printf "| %s | %s | %s | %s | %s | %s | %.0f Mio | %s Mo |\n", lignes(n), s(r), s(p), fois(p, r),
                s(f), fois(r, f), med(n " rapport.memoire"), fr(med(n " octets") / 1e6, 1)
        }
        print ""
        print "Étapes de la première construction (--timings, médianes) ; la lecture et la validation se recouvrent :"
        print ""
        print "| lignes | lecture | validation | agrégation | mise en page + PDF | total | lignes/s | pair : mémoire | polars sans typage |"
        print "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for (i = 1; i <= nn; i++) {
            n = noms[i]; if (n == e) continue
            m = med(n " pair.memoire")
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", lignes(n), s(med(n " rapport.lecture")),
                s(med(n " rapport.validation")), s(med(n " rapport.agregation")), s(med(n " rapport.composition")),
                s(med(n " rapport.total")), lignes(int(n / med(n " rapport"))), (m < 0 ? "—" : sprintf("%.0f Mio", m)), s(med(n " polars_seul"))
        }
        print ""
        print "Deuxième construction, exports inchangés, même dossier de sortie (médianes) :"
        print ""
        print "| lignes | première | deuxième | lecture + validation, première | cache + lecture + validation, deuxième | part |"
        print "|---:|---:|---:|---:|---:|---:|"
        for (i = 1; i <= nn; i++) {
            n = noms[i]
            a = z(med(n " rapport.lecture")) + z(med(n " rapport.validation"))
            b = z(med(n " deuxieme.cache")) + z(med(n " deuxieme.lecture")) + z(med(n " deuxieme.validation"))
            printf "| %s | %s | %s | %s | %s | %s %% |\n", (n == e ? "échantillon" : lignes(n)), s(med(n " rapport")),
                s(med(n " deuxieme")), s(a), s(b), (a > 0 ? fr(100 * b / a, 0) : "—")
        }
        if (k["1000000 rapport"] && k["10000000 rapport"]) {
            print ""
            printf "Croissance de 1 000 000 à 10 000 000 lignes : rapport %s, pair pandas %s, plancher polars %s ; mémoire de rapport %s.\n",
                fois(med("10000000 rapport"), med("1000000 rapport")), fois(med("10000000 pair"), med("1000000 pair")),
                fois(med("10000000 plancher"), med("1000000 plancher")),
                fois(med("10000000 rapport.memoire"), med("1000000 rapport.memoire"))
        }
    }' "$MESURES"
echo
if [ -n "$SANS_CACHE" ]; then
    echo "Première construction mesurée avec --sans-cache ; la deuxième, sans, après une construction qui remplit le cache."
fi
if [ "$PYTHON" = oui ]; then
    for f in "$TRAVAIL"/comparaison-*; do
        printf '%s : %s\n' "$(basename "$f" | sed 's/comparaison-//')" "$(cat "$f")"
    done | sort -n | sed 's/^/Pair pandas, /'
fi
