#!/bin/sh
# Two `rapport` binaries measured in alternating pairs on the same project:
# `build 2013 --quiet --timings --sans-cache` into an empty folder, N times
# each (default 3), then the median of each stage of `--timings`, of the
# whole build and of the peak memory (/usr/bin/time -v); the tables of each
# pair must be identical (`diff -r tableaux/`), or the run stops.
#
#   scripts/apparier.sh AVANT APRES PROJET            # two binaries, one project
#   N=5 scripts/apparier.sh /tmp/rapport-a98201b target/release/rapport target/bench-projets/10000000
#
# A binary of an earlier commit: `git worktree add /tmp/avant COMMIT`, then
# `cargo build --release --locked` there with the same CARGO_TARGET_DIR (only
# `rapport` is compiled again) and copy `release/rapport` aside.
set -eu
[ $# -eq 3 ] || { echo "usage : $0 AVANT APRES PROJET" >&2; exit 2; }
AVANT=$1
APRES=$2
PROJET=$3
N=${N:-3}
TRAVAIL=$(mktemp -d)
trap 'rm -rf "$TRAVAIL"' EXIT

mesurer() { # binaire nom
    rm -rf "$TRAVAIL/$2"
    /usr/bin/time -v "$1" build 2013 --projet "$PROJET" --sortie "$TRAVAIL/$2" \
        --quiet --timings --sans-cache > "$TRAVAIL/sortie" 2>&1
    # « agrégation     4,140 s » → agrégation 4.140; the peak memory in MiB.
    awk -v n="$2" '/^  .* [0-9]+,[0-9]+ s$/ {
        v = $(NF - 1); sub(",", ".", v); l = $0; sub(/ +[0-9]+,[0-9]+ s$/, "", l); sub(/^ +/, "", l)
        printf "%s\t%s\t%s\n", n, l, v
    }' "$TRAVAIL/sortie" >> "$TRAVAIL/mesures"
    awk -v n="$2" '/Maximum resident set size/ { printf "%s\tmémoire (Mio)\t%.0f\n", n, $NF / 1024 }' \
        "$TRAVAIL/sortie" >> "$TRAVAIL/mesures"
}

: > "$TRAVAIL/mesures"
i=1
while [ "$i" -le "$N" ]; do
    mesurer "$AVANT" avant
    mesurer "$APRES" apres
    if ! diff -r "$TRAVAIL/avant/tableaux" "$TRAVAIL/apres/tableaux" > /dev/null; then
        echo "paire $i : les tableaux diffèrent" >&2
        exit 1
    fi
    i=$((i + 1))
done

echo "| étape | avant | après |"
echo "|---|---:|---:|"
awk -F '\t' '
    { v[$2 "\t" $1] = v[$2 "\t" $1] " " $3; if (!($2 in vu)) { vu[$2] = 1; ordre[++k] = $2 } }
    function mediane(liste,    t, m, i, j, x) {
        m = split(liste, t, " ")
        for (i = 2; i <= m; i++) { x = t[i]; for (j = i - 1; j >= 1 && t[j] + 0 > x + 0; j--) t[j + 1] = t[j]; t[j + 1] = x }
        return (m % 2) ? t[(m + 1) / 2] : (t[m / 2] + t[m / 2 + 1]) / 2
    }
    END { for (i = 1; i <= k; i++) printf "| %s | %s | %s |\n", ordre[i], mediane(v[ordre[i] "\tavant"]), mediane(v[ordre[i] "\tapres"]) }
' "$TRAVAIL/mesures"
