#!/bin/sh
# Whole-process timings of `rapport build` on generated projects, with
# /usr/bin/time -v, and the same files scanned by polars alone (Python polars,
# if installed: pip install polars) for comparison. Prints Markdown tables.
#
#   scripts/mesurer.sh                       # 10 000 to 10 000 000 rows
#   TAILLES="10000 1000000" scripts/mesurer.sh
#   INDICATEURS=200 TAILLES=1000000 scripts/mesurer.sh   # the many-indicator case
#
# Projects are generated once (seeded) in $RAPPORT_BENCH_PROJETS
# (default target/bench-projets), and reused by `cargo bench --bench etapes`.
set -eu
cd "$(dirname "$0")/.."
TAILLES=${TAILLES:-"10000 100000 1000000 10000000"}
INDICATEURS=${INDICATEURS:-0}
DIR=${RAPPORT_BENCH_PROJETS:-target/bench-projets}
CIBLE=${CARGO_TARGET_DIR:-target}

cargo build --release --locked --bin rapport --example generer >&2
RAPPORT="$CIBLE/release/rapport"
GENERER="$CIBLE/release/examples/generer"

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

# The sample: the whole build against its own typesetting and PDF export,
# medians of 7 runs (--timings measures the stages inside the process).
echo "Échantillon (data-samples, rapport 2013), médianes de 7 constructions :"
echo
sortie_echantillon=$(mktemp -d)
for i in 1 2 3 4 5 6 7; do
    "$RAPPORT" build 2013 --projet data-samples --sortie "$sortie_echantillon" --quiet --timings 2>&1 >/dev/null
done | awk '
    function nombre(v) { sub(",", ".", v); return v + 0 }
    $1 == "mise" { m = nombre($4) }
    $1 == "export" { p = nombre($3) }
    $1 == "total" { n++; total[n] = nombre($2); composition[n] = m + p }
    function mediane(t, n,   i, j, x) {
        for (i = 2; i <= n; i++) { x = t[i]; for (j = i - 1; j >= 1 && t[j] > x; j--) t[j + 1] = t[j]; t[j + 1] = x }
        return t[int((n + 1) / 2)]
    }
    END {
        a = mediane(total, n); b = mediane(composition, n)
        printf "| construction entière | mise en page + export PDF | rapport |\n|---:|---:|---:|\n| %.3f s | %.3f s | %.2f |\n", a, b, a / b
    }'
rm -rf "$sortie_echantillon"
echo

echo "| lignes | exports | secondes | mémoire maximale | lignes/s | lecture | validation | agrégation | mise en page + PDF |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for n in $TAILLES; do
    p=$(projet "$n")
    journal=$(mktemp)
    /usr/bin/time -v "$RAPPORT" build 2013 --projet "$p" --sortie "$p-sortie" --quiet --timings 2> "$journal"
    octets=$(cat "$p"/donnees/*.csv | wc -c)
    awk -v n="$n" -v octets="$octets" '
        function nombre(v) { sub(",", ".", v); return v + 0 }
        /Elapsed \(wall clock\)/ {
            t = $NF; k = split(t, p, ":"); s = 0
            for (i = 1; i <= k; i++) s = s * 60 + p[i]
        }
        /Maximum resident set size/ { rss = $NF / 1024 }
        $1 == "lecture" { lec = nombre($2) }
        $1 == "validation" { val = nombre($2) }
        $1 == "agrégation" { agr = nombre($2) }
        $1 == "mise" { mep = nombre($4) }
        $1 == "export" { pdf = nombre($3) }
        END {
            printf "| %d | %.1f Mo | %.2f | %.0f Mio | %.0f | %.2f s | %.2f s | %.2f s | %.2f s |\n",
                n, octets / 1e6, s, rss, n / s, lec, val, agr, mep + pdf
        }' "$journal"
    rm -f "$journal"
done

if python3 -c "import polars" 2>/dev/null; then
    echo
    echo "Polars seul (Python, même moteur) : les mêmes fichiers lus par scan_csv().collect(), meilleur de 3."
    echo
    echo "| lignes | secondes | lignes/s |"
    echo "|---:|---:|---:|"
    for n in $TAILLES; do
        python3 - "$(projet "$n")" "$n" <<'PY'
import sys, time, glob
import polars as pl
projet, n = sys.argv[1], int(sys.argv[2])
meilleur = None
for _ in range(3):
    t = time.perf_counter()
    for f in sorted(glob.glob(projet + "/donnees/*.csv")):
        pl.scan_csv(f, separator=";").collect()
    d = time.perf_counter() - t
    meilleur = d if meilleur is None else min(meilleur, d)
print(f"| {n} | {meilleur:.2f} | {n / meilleur:.0f} |")
PY
    done
fi
