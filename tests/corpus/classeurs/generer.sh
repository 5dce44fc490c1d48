#!/bin/sh
# Les classeurs du corpus, tirés des exports CSV de l'exemple par LibreOffice
# Calc sans interface, en réglages français (séparateur « ; », UTF-8, dates
# JJ/MM/AAAA et virgule décimale reconnues comme dates et nombres) : ce qu'un
# coordinateur obtient en ouvrant l'export dans Calc et en l'enregistrant en
# .xlsx ou .ods. Relancez ce script (depuis n'importe où) pour les refaire.
set -eu
ici=$(cd "$(dirname "$0")" && pwd)
donnees="$ici/../../../data-samples/donnees"
profil=$(mktemp -d)
trap 'rm -rf "$profil"' EXIT
travail=$(mktemp -d)
# Filtre CSV : séparateur 59 (;), guillemet 34 ("), UTF-8 (76), à partir de
# la ligne 1, formats de colonnes devinés, langue française (1036).
filtre='CSV:59,34,76,1,,1036'
convertir() { # source format
    cp "$donnees/$1.csv" "$travail/$1.csv"
    soffice -env:UserInstallation="file://$profil" --headless \
        --infilter="$filtre" --convert-to "$2" --outdir "$ici" "$travail/$1.csv" >/dev/null
}
convertir activites xlsx
convertir activites ods
convertir suivis ods
convertir indicateurs xlsx
ls -l "$ici"
