#!/bin/sh
# The sample's three exports opened and saved again by LibreOffice Calc in
# French settings (Debian's libreoffice-calc-nogui, headless): « Texte CSV »,
# separator « ; », text quoted, Windows-1252, cells saved as shown, which
# in a French Calc means dates as JJ/MM/AA and decimal commas.
# tests/corpus.rs builds the report from them. Run from this folder.
set -eu
ici=$(pwd)
tmp=$(mktemp -d)
mkdir -p "$tmp/profil/user"
cat > "$tmp/profil/user/registrymodifications.xcu" <<'XCU'
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>fr-FR</value></prop></item>
</oor:items>
XCU
for f in activites suivis indicateurs; do
  cp "$ici/../../../data-samples/donnees/$f.csv" "$tmp/$f.csv"
  # Read as UTF-8 (76) with « ; » (59) and « " » (34) from line 1; written
  # in Windows-1252 (1).
  soffice -env:UserInstallation="file://$tmp/profil" --headless \
    --infilter="CSV:59,34,76,1" \
    --convert-to 'csv:Text - txt - csv (StarCalc):59,34,1,1' \
    --outdir "$tmp/sortie" "$tmp/$f.csv" >/dev/null 2>&1
  cp "$tmp/sortie/$f.csv" "$ici/$f.csv"
done
rm -rf "$tmp"
