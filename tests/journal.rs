//! `rapport journal ANNEE`: the workbook to fill in, read back as a
//! coordinator's spreadsheet and as reading will see it: its sheets and
//! headers (calamine), and what calamine does not give, its dropdowns,
//! checks, formats and frozen header, from the XML inside the zip.
//! What it should hold is worked out here from `data-samples/rapport.toml`
//! and the sample's exports, not asked of the library.

mod commun;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, Xlsx, open_workbook};
use commun::*;

/// `rapport journal ANNEE` on `projet`, written into `sortie`: the workbook's path.
fn journal(projet: &Path, sortie: &Path, annee: i32) -> PathBuf {
    lancer(&[
        "journal",
        &annee.to_string(),
        "--projet",
        projet.to_str().unwrap(),
        "--sortie",
        sortie.to_str().unwrap(),
    ]);
    let chemin = sortie.join(format!("journal-{annee}.xlsx"));
    assert!(chemin.is_file(), "{} absent", chemin.display());
    chemin
}

/// The journal of the sample for 2013.
fn journal_2013() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let chemin = journal(&echantillon(), dir.path(), 2013);
    (dir, chemin)
}

/// Every cell of sheet `nom` as text, from A1 (empty cells as "").
fn cellules(chemin: &Path, nom: &str) -> Vec<Vec<String>> {
    let mut x: Xlsx<_> = open_workbook(chemin).unwrap();
    let r = x.worksheet_range(nom).unwrap();
    let Some((r0, c0)) = r.start() else {
        return Vec::new();
    };
    let (r1, c1) = r.end().unwrap();
    (0..=r1)
        .map(|i| {
            (0..=c1)
                .map(|j| {
                    if i < r0 || j < c0 {
                        return String::new();
                    }
                    match r.get_value((i, j)) {
                        Some(Data::String(s)) => s.clone(),
                        Some(Data::Empty) | None => String::new(),
                        Some(autre) => panic!("{nom} ({i}, {j}) : pas un texte : {autre:?}"),
                    }
                })
                .collect()
        })
        .collect()
}

fn noms_des_feuilles(chemin: &Path) -> Vec<String> {
    let x: Xlsx<_> = open_workbook(chemin).unwrap();
    x.sheet_names()
}

/// The member `membre` of the zip `chemin`, as text.
fn dans_le_zip(chemin: &Path, membre: &str) -> String {
    let r = Command::new("unzip")
        .arg("-p")
        .arg(chemin)
        .arg(membre)
        .output()
        .expect("unzip est installé");
    assert!(r.status.success(), "{membre} absent du classeur");
    String::from_utf8(r.stdout).unwrap()
}

/// The elements `<balise …>` of `xml`: their attributes, and their content
/// (empty for `<balise …/>`).
fn elements(xml: &str, balise: &str) -> Vec<(BTreeMap<String, String>, String)> {
    let mut v = Vec::new();
    let ouvrante = format!("<{balise}");
    let mut reste = xml;
    while let Some(i) = reste.find(&ouvrante) {
        reste = &reste[i + ouvrante.len()..];
        if !reste.starts_with([' ', '>', '/']) {
            continue;
        }
        let fin = reste.find('>').unwrap();
        let vide = reste[..fin].ends_with('/');
        let attributs = attributs(reste[..fin].trim_end_matches('/'));
        reste = &reste[fin + 1..];
        let contenu = if vide {
            String::new()
        } else {
            let fermante = format!("</{balise}>");
            let j = reste.find(&fermante).unwrap();
            let c = reste[..j].to_string();
            reste = &reste[j + fermante.len()..];
            c
        };
        v.push((attributs, contenu));
    }
    v
}

fn attributs(texte: &str) -> BTreeMap<String, String> {
    let mut a = BTreeMap::new();
    let mut reste = texte;
    while let Some(egal) = reste.find("=\"") {
        let nom = reste[..egal].trim().to_string();
        let fin = reste[egal + 2..].find('"').unwrap();
        a.insert(nom, sans_entites(&reste[egal + 2..egal + 2 + fin]));
        reste = &reste[egal + 2 + fin + 1..];
    }
    a
}

fn sans_entites(t: &str) -> String {
    t.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The XML of each sheet, by sheet name, found through the workbook's relations.
fn feuilles_xml(chemin: &Path) -> BTreeMap<String, String> {
    let classeur = dans_le_zip(chemin, "xl/workbook.xml");
    let relations = dans_le_zip(chemin, "xl/_rels/workbook.xml.rels");
    let cibles: BTreeMap<String, String> = elements(&relations, "Relationship")
        .into_iter()
        .map(|(a, _)| (a["Id"].clone(), a["Target"].clone()))
        .collect();
    elements(&classeur, "sheet")
        .into_iter()
        .map(|(a, _)| {
            let cible = &cibles[&a["r:id"]];
            (
                a["name"].clone(),
                dans_le_zip(chemin, &format!("xl/{cible}")),
            )
        })
        .collect()
}

/// The index (from 0) of the column of a reference such as `B2:B1048576`.
fn colonne_de(reference: &str) -> usize {
    reference
        .chars()
        .take_while(char::is_ascii_uppercase)
        .fold(0, |n, c| n * 26 + (c as usize - 'A' as usize + 1))
        - 1
}

/// The row (from 1) of a reference such as `$C$12`.
fn ligne_de(reference: &str) -> usize {
    reference
        .trim_start_matches(|c: char| c == '$' || c.is_ascii_uppercase())
        .trim_start_matches('$')
        .parse()
        .unwrap()
}

/// The header (row 1) of each CSV export of the sample: the columns its model reads.
fn entetes_de_l_echantillon() -> BTreeMap<String, Vec<String>> {
    ["activites", "suivis", "indicateurs"]
        .into_iter()
        .map(|s| {
            let texte =
                std::fs::read_to_string(echantillon().join(format!("donnees/{s}.csv"))).unwrap();
            let entete = texte.lines().next().unwrap();
            (
                s.to_string(),
                entete.split(';').map(str::to_string).collect(),
            )
        })
        .collect()
}

/// The values the sample's model tests, groups or declares, by sheet and
/// column, worked out from `rapport.toml` itself: the filters and
/// conditions of its indicators, the groups of their breakdowns and of the
/// breakdowns its funders ask for, its `[vocabulaire]`, and the contract's
/// publics.
fn vocabulaires_de(modele: &toml::Table) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut v: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let indicateurs = modele["indicateurs"].as_table().unwrap();
    let ventilations = modele["ventilations"].as_table().unwrap();
    let ventiler =
        |v: &mut BTreeMap<(String, String), BTreeSet<String>>, source: &str, nom: &str| {
            let vent = &ventilations[nom];
            let colonne = vent["colonne"].as_str().unwrap();
            for g in vent["groupes"].as_array().unwrap() {
                for valeur in g["valeurs"].as_array().unwrap() {
                    v.entry((source.into(), colonne.into()))
                        .or_default()
                        .insert(valeur.as_str().unwrap().to_lowercase());
                }
            }
        };
    for ind in indicateurs.values() {
        let source = ind["source"].as_str().unwrap();
        for cle in ["filtres", "condition"] {
            let Some(filtres) = ind.get(cle).and_then(|f| f.as_table()) else {
                continue;
            };
            for (colonne, filtre) in filtres {
                let valeurs: Vec<&str> = match filtre {
                    toml::Value::String(s) => vec![s],
                    toml::Value::Array(a) => a.iter().map(|x| x.as_str().unwrap()).collect(),
                    toml::Value::Table(t) => vec![t["contient"].as_str().unwrap()],
                    autre => panic!("filtre {autre:?}"),
                };
                v.entry((source.into(), colonne.clone()))
                    .or_default()
                    .extend(valeurs.iter().map(|s| s.to_lowercase()));
            }
        }
        if let Some(nom) = ind.get("ventilation").and_then(|n| n.as_str()) {
            ventiler(&mut v, source, nom);
        }
    }
    for f in modele["financeurs"].as_table().unwrap().values() {
        for t in f
            .get("tableaux")
            .and_then(|t| t.as_array())
            .into_iter()
            .flatten()
        {
            for l in t["lignes"].as_array().unwrap() {
                if let (Some(id), Some(nom)) = (
                    l.get("indicateur").and_then(|i| i.as_str()),
                    l.get("ventilation").and_then(|n| n.as_str()),
                ) {
                    let source = indicateurs[id]["source"].as_str().unwrap();
                    ventiler(&mut v, source, nom);
                }
            }
        }
    }
    if let Some(vocabulaire) = modele.get("vocabulaire").and_then(|t| t.as_table()) {
        for (colonne, valeurs) in vocabulaire {
            for source in ["activites", "suivis", "indicateurs"] {
                for valeur in valeurs.as_table().unwrap().keys() {
                    v.entry((source.into(), colonne.clone()))
                        .or_default()
                        .insert(valeur.to_lowercase());
                }
            }
        }
    }
    for source in ["activites", "suivis"] {
        v.entry((source.into(), "public".into()))
            .or_default()
            .extend(["femme", "trans", "homme"].map(String::from));
    }
    v
}

fn modele_de_l_echantillon() -> toml::Table {
    toml::from_str(&std::fs::read_to_string(echantillon().join("rapport.toml")).unwrap()).unwrap()
}

#[test]
fn le_journal_de_l_exemple_a_le_mode_d_emploi_puis_une_feuille_par_source_nommee_comme_elle() {
    let (_dir, chemin) = journal_2013();
    assert_eq!(
        noms_des_feuilles(&chemin),
        ["Mode d'emploi", "activites", "suivis", "indicateurs"]
    );
}

#[test]
fn les_en_tetes_en_ligne_1_sont_les_colonnes_que_lit_le_modele_de_l_exemple_et_rien_d_autre() {
    let (_dir, chemin) = journal_2013();
    let attendus = entetes_de_l_echantillon();
    for (feuille, entete) in &attendus {
        let c = cellules(&chemin, feuille);
        assert_eq!(&c[0], entete, "feuille {feuille}");
        assert_eq!(c.len(), 1, "feuille {feuille} : rien sous l'en-tête");
    }
    // The library gives the same headers, for the test that fills the journal.
    let modele =
        rapport::model::Modele::lire(&echantillon(), &rapport::suivi::Suivi::default()).unwrap();
    let j = rapport::journal::Journal::du_modele(&modele, 2013);
    let donnes: BTreeMap<String, Vec<String>> = j
        .entetes()
        .into_iter()
        .map(|(f, e)| (f.to_string(), e.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(donnes, attendus);
}

#[test]
fn les_listes_deroulantes_donnent_les_valeurs_que_le_modele_teste_groupe_ou_declare() {
    let (_dir, chemin) = journal_2013();
    let attendus = vocabulaires_de(&modele_de_l_echantillon());
    let mode = cellules(&chemin, "Mode d'emploi");
    let mut trouvees: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    let mut styles: BTreeMap<(String, String), String> = BTreeMap::new();
    for (feuille, xml) in feuilles_xml(&chemin) {
        if feuille == "Mode d'emploi" {
            continue;
        }
        let entete = &cellules(&chemin, &feuille)[0];
        for (a, contenu) in elements(&xml, "dataValidation") {
            if a.get("type").map(String::as_str) != Some("list") {
                continue;
            }
            let colonne = entete[colonne_de(&a["sqref"])].clone();
            // Every row under the header.
            let lettre: String = a["sqref"]
                .chars()
                .take_while(char::is_ascii_uppercase)
                .collect();
            assert_eq!(
                a["sqref"],
                format!("{lettre}2:{lettre}1048576"),
                "{feuille}.{colonne}"
            );
            let (_, formule) = &elements(&contenu, "formula1")[0];
            let formule = sans_entites(formule);
            let plage = formule
                .strip_prefix("'Mode d''emploi'!")
                .unwrap_or_else(|| panic!("{feuille}.{colonne} : {formule}"));
            let (haut, bas) = plage.split_once(':').unwrap();
            assert!(haut.starts_with("$C$") && bas.starts_with("$C$"), "{plage}");
            let valeurs: BTreeSet<String> = (ligne_de(haut)..=ligne_de(bas))
                .map(|r| {
                    // The table of allowed values names its sheet and column beside each value.
                    assert_eq!(mode[r - 1][0], feuille);
                    assert_eq!(mode[r - 1][1], colonne);
                    mode[r - 1][2].clone()
                })
                .collect();
            trouvees.insert((feuille.clone(), colonne.clone()), valeurs);
            styles.insert(
                (feuille.clone(), colonne),
                a.get("errorStyle").cloned().unwrap_or("stop".into()),
            );
        }
    }
    // A list column `themes` (`a|b`) cannot be a dropdown: its values are in
    // the table of allowed values and in the column's message.
    let mut attendus_en_liste = attendus.clone();
    let themes = attendus_en_liste
        .remove(&("activites".into(), "themes".into()))
        .unwrap();
    assert_eq!(trouvees, attendus_en_liste);
    let valeurs_permises = mode.iter().position(|r| r[2] == "Valeur").unwrap();
    let ecrits: BTreeSet<String> = mode[valeurs_permises..]
        .iter()
        .filter(|r| r[0] == "activites" && r[1] == "themes")
        .map(|r| r[2].clone())
        .collect();
    assert_eq!(ecrits, themes);
    // Reading refuses any other public; another action is only counted by nothing.
    assert_eq!(styles[&("activites".into(), "public".into())], "stop");
    assert_eq!(styles[&("activites".into(), "action".into())], "warning");
}

#[test]
fn une_colonne_de_themes_dit_dans_son_message_comment_ecrire_plusieurs_valeurs() {
    let (_dir, chemin) = journal_2013();
    let xml = &feuilles_xml(&chemin)["activites"];
    let entete = &cellules(&chemin, "activites")[0];
    let themes = entete.iter().position(|c| c == "themes").unwrap();
    let (a, _) = elements(xml, "dataValidation")
        .into_iter()
        .find(|(a, _)| colonne_de(&a["sqref"]) == themes)
        .expect("un message sur la colonne themes");
    let message = &a["prompt"];
    assert!(message.contains("barre verticale |"), "{message}");
    assert!(message.contains("droits_sociaux|sante"), "{message}");
    for t in ["vih_ist_drogues", "sante", "violence", "droits_sociaux"] {
        assert!(message.contains(t), "{t} : {message}");
    }
    // And its header carries a note saying the same.
    let notes: String = (1..=4)
        .filter_map(|i| {
            Command::new("unzip")
                .arg("-p")
                .arg(&chemin)
                .arg(format!("xl/comments{i}.xml"))
                .output()
                .ok()
                .filter(|r| r.status.success())
                .map(|r| String::from_utf8(r.stdout).unwrap())
        })
        .collect();
    assert!(notes.contains("themes : les thèmes abordés"), "{notes}");
}

/// The day `d` as a spreadsheet counts it (days since 30/12/1899).
fn jour_excel(annee: i32, mois: time::Month, jour: u8) -> i64 {
    let d = time::Date::from_calendar_date(annee, mois, jour).unwrap();
    let origine = time::Date::from_calendar_date(1899, time::Month::December, 30).unwrap();
    (d - origine).whole_days()
}

#[test]
fn les_dates_sont_en_jj_mm_aaaa_et_de_l_annee_du_journal_les_quantites_des_entiers_a_partir_de_1() {
    let (_dir, chemin) = journal_2013();
    let xml = feuilles_xml(&chemin);
    let styles = dans_le_zip(&chemin, "xl/styles.xml");
    let formats: BTreeMap<String, String> = elements(&styles, "numFmt")
        .into_iter()
        .map(|(a, _)| (a["numFmtId"].clone(), a["formatCode"].clone()))
        .collect();
    let (_, xfs) = &elements(&styles, "cellXfs")[0];
    let xfs: Vec<String> = elements(xfs, "xf")
        .into_iter()
        .map(|(a, _)| a["numFmtId"].clone())
        .collect();
    // The format of the cells of each column, by sheet and header.
    let format_de = |feuille: &str, colonne: &str| -> String {
        let entete = &cellules(&chemin, feuille)[0];
        let n = entete.iter().position(|c| c == colonne).unwrap() + 1;
        let (a, _) = elements(&xml[feuille], "col")
            .into_iter()
            .find(|(a, _)| {
                a["min"].parse::<usize>().unwrap() <= n && n <= a["max"].parse().unwrap()
            })
            .unwrap_or_else(|| panic!("{feuille}.{colonne} : aucun format"));
        let id = &xfs[a["style"].parse::<usize>().unwrap()];
        // The spreadsheet's built-in formats have no code in the file.
        let integre = match id.as_str() {
            "0" => "General",
            "1" => "0",
            "14" => "dd/mm/yyyy",
            "49" => "@",
            _ => "?",
        };
        formats.get(id).cloned().unwrap_or(integre.into())
    };
    for (feuille, colonne) in [
        ("activites", "date"),
        ("suivis", "ouverture"),
        ("suivis", "cloture"),
    ] {
        assert_eq!(
            format_de(feuille, colonne),
            "dd/mm/yyyy",
            "{feuille}.{colonne}"
        );
    }
    // Codes and categories are text: 0042 keeps its zeros, nothing becomes a date.
    assert_eq!(format_de("activites", "personne"), "@");
    assert_eq!(format_de("activites", "action"), "@");
    assert_eq!(format_de("activites", "quantite"), "0");
    assert_eq!(format_de("indicateurs", "annee"), "0");
    assert!(format_de("activites", "montant").contains("€"));

    let verification = |feuille: &str, colonne: &str| {
        let entete = &cellules(&chemin, feuille)[0];
        let n = entete.iter().position(|c| c == colonne).unwrap();
        let (a, contenu) = elements(&xml[feuille], "dataValidation")
            .into_iter()
            .find(|(a, _)| colonne_de(&a["sqref"]) == n)
            .unwrap_or_else(|| panic!("{feuille}.{colonne} : aucune vérification"));
        let formules: Vec<String> = ["formula1", "formula2"]
            .iter()
            .filter_map(|f| elements(&contenu, f).first().map(|(_, c)| c.clone()))
            .collect();
        (a, formules)
    };
    use time::Month::{December, January};
    let (debut, fin) = (jour_excel(2013, January, 1), jour_excel(2013, December, 31));
    let (a, f) = verification("activites", "date");
    assert_eq!(a["type"], "date");
    assert_eq!(a.get("operator"), None, "between, l'opérateur par défaut");
    assert_eq!(f, [debut.to_string(), fin.to_string()]);
    assert!(a["error"].contains("date de 2013"), "{}", a["error"]);
    assert_eq!(a["sqref"], "A2:A1048576");
    let (a, f) = verification("suivis", "ouverture");
    assert_eq!(
        (a["type"].as_str(), a["operator"].as_str()),
        ("date", "lessThanOrEqual")
    );
    assert_eq!(f, [fin.to_string()]);
    let (a, f) = verification("suivis", "cloture");
    assert_eq!(a["operator"], "greaterThanOrEqual");
    assert_eq!(f, [debut.to_string()]);
    let (a, f) = verification("activites", "quantite");
    assert_eq!(
        (a["type"].as_str(), a["operator"].as_str()),
        ("whole", "greaterThanOrEqual")
    );
    assert_eq!(f, ["1"]);
    let (a, f) = verification("indicateurs", "annee");
    assert_eq!(
        (a["type"].as_str(), a["operator"].as_str()),
        ("whole", "equal")
    );
    assert_eq!(f, ["2013"]);
    let (a, _) = verification("activites", "montant");
    assert_eq!(a["type"], "decimal");
}

#[test]
fn l_en_tete_de_chaque_feuille_de_donnees_est_fige_et_en_gras() {
    let (_dir, chemin) = journal_2013();
    let styles = dans_le_zip(&chemin, "xl/styles.xml");
    let (_, polices) = &elements(&styles, "fonts")[0];
    let grasses: Vec<bool> = elements(polices, "font")
        .iter()
        .map(|(_, c)| c.contains("<b/>"))
        .collect();
    let (_, xfs) = &elements(&styles, "cellXfs")[0];
    let police_de: Vec<usize> = elements(xfs, "xf")
        .iter()
        .map(|(a, _)| a["fontId"].parse().unwrap())
        .collect();
    for (feuille, xml) in feuilles_xml(&chemin) {
        let entete: Vec<_> = elements(&xml, "c")
            .into_iter()
            .filter(|(a, _)| a["r"].trim_start_matches(|c: char| c.is_ascii_uppercase()) == "1")
            .collect();
        assert!(!entete.is_empty(), "{feuille}");
        if feuille != "Mode d'emploi" {
            for (a, _) in &entete {
                let xf: usize = a["s"].parse().unwrap();
                assert!(grasses[police_de[xf]], "{feuille} {} : pas en gras", a["r"]);
            }
        }
        let panneaux = elements(&xml, "pane");
        if feuille == "Mode d'emploi" {
            assert!(panneaux.is_empty());
            continue;
        }
        let (a, _) = &panneaux[0];
        assert_eq!(a["ySplit"], "1", "{feuille}");
        assert_eq!(a["state"], "frozen", "{feuille}");
        assert_eq!(a["topLeftCell"], "A2", "{feuille}");
        assert!(a.get("xSplit").is_none(), "{feuille}");
    }
}

#[test]
fn le_mode_d_emploi_dit_en_francais_a_quoi_sert_le_journal_chaque_colonne_et_ou_le_poser() {
    let (_dir, chemin) = journal_2013();
    let mode = cellules(&chemin, "Mode d'emploi");
    // Its paragraphs run over several rows: read as one text.
    let texte: String = mode
        .iter()
        .flatten()
        .flat_map(|c| c.split([' ', '\u{a0}']))
        .filter(|m| !m.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(mode[0][0].starts_with("Journal d'activité 2013 — Les Amarres"));
    for attendu in [
        "Comment le remplir",
        "Aucune donnée personnelle",
        "Quand il est rempli",
        "Les feuilles",
        "Les colonnes",
        "Les valeurs permises",
        "journal-2013.xlsx, dans le dossier donnees/",
        "rapport build 2013",
        "JJ/MM/AAAA",
        "c'est un code, jamais un nom",
        "le téléphone, l'adresse",
        "activites : une ligne par action",
        "suivis : une ligne par suivi",
        "indicateurs : une ligne par chiffre",
    ] {
        assert!(texte.contains(attendu), "« {attendu} » absent :\n{texte}");
    }
    // The table of columns names every column of every sheet, in order, once.
    let mut decrites: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let debut = mode.iter().position(|r| r[0] == "Feuille").unwrap();
    for r in &mode[debut + 1..] {
        if r[0].is_empty() {
            break;
        }
        assert!(!r[3].is_empty(), "{r:?} : sans description");
        assert!(r[2] == "obligatoire" || r[2] == "facultative", "{r:?}");
        decrites.entry(r[0].clone()).or_default().push(r[1].clone());
    }
    assert_eq!(decrites, entetes_de_l_echantillon());
    let personne = mode
        .iter()
        .find(|r| r[0] == "activites" && r[1] == "personne")
        .unwrap();
    assert!(personne[3].contains("code pseudonyme"), "{personne:?}");
    assert!(personne[3].contains("jamais un nom"), "{personne:?}");
}

#[test]
fn aucune_cellule_du_journal_n_est_une_formule_meme_une_valeur_qui_commence_par_egal() {
    let dir = copie_echantillon();
    remplacer(
        dir.path(),
        "rapport.toml",
        "filtres = { programme = \"local\", action = \"repas\" }\nmesure = \"lignes\"",
        "filtres = { programme = \"local\", action = \"=1+1\" }\nmesure = \"lignes\"",
    );
    remplacer(
        dir.path(),
        "rapport.toml",
        "nom = \"Les Amarres\"",
        "nom = \"=SOMME(A1)\"",
    );
    let sortie = dir.path().join("sortie");
    let chemin = journal(dir.path(), &sortie, 2013);
    let mode = cellules(&chemin, "Mode d'emploi");
    assert!(
        mode.iter().any(|r| r[1] == "action" && r[2] == "=1+1"),
        "la valeur est écrite telle quelle, en texte"
    );
    for (feuille, xml) in feuilles_xml(&chemin) {
        assert!(!xml.contains("<f>"), "{feuille} : une formule");
    }
}

#[test]
fn un_journal_qui_existe_deja_n_est_jamais_remplace_et_la_commande_le_nomme() {
    let dir = tempfile::tempdir().unwrap();
    let chemin = journal(&echantillon(), dir.path(), 2013);
    std::fs::write(&chemin, b"un journal rempli").unwrap();
    let r = rapport(&[
        "journal",
        "2013",
        "--projet",
        echantillon().to_str().unwrap(),
        "--sortie",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(64));
    let erreur = String::from_utf8(r.stderr).unwrap();
    assert!(erreur.contains("journal-2013.xlsx"), "{erreur}");
    assert!(erreur.contains("existe déjà"), "{erreur}");
    assert!(erreur.contains("correction : "), "{erreur}");
    assert_eq!(std::fs::read(&chemin).unwrap(), b"un journal rempli");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn sans_modele_lisible_le_journal_n_est_pas_ecrit() {
    let dir = copie_echantillon();
    remplacer(
        dir.path(),
        "rapport.toml",
        "source = \"suivis\"",
        "source = \"dossiers\"",
    );
    let sortie = dir.path().join("sortie");
    let r = rapport(&[
        "journal",
        "2013",
        "--projet",
        dir.path().to_str().unwrap(),
        "--sortie",
        sortie.to_str().unwrap(),
    ]);
    assert_eq!(r.status.code(), Some(65));
    let erreur = String::from_utf8(r.stderr).unwrap();
    assert!(erreur.contains("rapport.toml"), "{erreur}");
    assert!(!sortie.join("journal-2013.xlsx").exists());
}

/// `rapport ARGS… --projet projet`: its exit code and standard output.
fn sur(projet: &Path, args: &[&str]) -> (Option<i32>, String) {
    let mut tout = args.to_vec();
    tout.extend(["--projet", projet.to_str().unwrap()]);
    let r = rapport(&tout);
    (r.status.code(), String::from_utf8(r.stdout).unwrap())
}

#[test]
fn rapport_init_pose_un_journal_vide_dans_donnees_et_check_et_build_disent_la_meme_chose_qu_sans() {
    let dir = tempfile::tempdir().unwrap();
    let projet = dir.path().join("mouettes");
    let dit = lancer(&[
        "init",
        projet.to_str().unwrap(),
        "--association",
        "Les Mouettes",
    ]);
    // The year of the report init says to build first.
    let annee = time::OffsetDateTime::now_utc().year() - 1;
    assert!(dit.contains(&format!("rapport build {annee}")), "{dit}");
    let nom = format!("journal-{annee}.xlsx");
    assert!(dit.contains(&nom), "{dit}");
    let chemin = projet.join("donnees").join(&nom);
    assert_eq!(
        noms_des_feuilles(&chemin),
        ["Mode d'emploi", "activites", "suivis", "indicateurs"]
    );
    // Its headers are those of the new project's empty exports.
    for feuille in ["activites", "suivis", "indicateurs"] {
        let csv = std::fs::read_to_string(projet.join(format!("donnees/{feuille}.csv"))).unwrap();
        let entete: Vec<&str> = csv.trim_end().split(';').collect();
        assert_eq!(cellules(&chemin, feuille), [entete], "{feuille}");
    }
    let mode = cellules(&chemin, "Mode d'emploi");
    assert!(
        mode[0][0].contains(&format!("{annee} — Les Mouettes")),
        "{:?}",
        mode[0]
    );

    // The same project without its journal: check and build find the same.
    let sans = dir.path().join("sans");
    copier(&projet, &sans);
    std::fs::remove_file(sans.join("donnees").join(&nom)).unwrap();
    let an = annee.to_string();
    for args in [vec!["check"], vec!["check", an.as_str()]] {
        let (code, dit) = sur(&projet, &args);
        let (code_sans, dit_sans) = sur(&sans, &args);
        assert_eq!(code, Some(1), "{args:?} : {dit}");
        assert_eq!(code, code_sans, "{args:?}");
        assert_eq!(
            dit.replace(projet.to_str().unwrap(), "P"),
            dit_sans.replace(sans.to_str().unwrap(), "P"),
            "{args:?}"
        );
    }
    let (s1, s2) = (dir.path().join("s1"), dir.path().join("s2"));
    construire(&projet, &s1, annee);
    construire(&sans, &s2, annee);
    let tableaux = |s: &Path| -> BTreeMap<PathBuf, Vec<u8>> { fichiers_sous(&s.join("tableaux")) };
    assert!(!tableaux(&s1).is_empty());
    assert_eq!(tableaux(&s1), tableaux(&s2));
}

/// The sample's rows of 2013 (cases: those open at some time in 2013), by
/// export: its header and rows, cells as written in the CSV.
fn lignes_de_2013() -> BTreeMap<&'static str, (Vec<String>, Vec<Vec<String>>)> {
    let annee = |d: &str| d.get(6..10).map(str::to_string).unwrap_or_default();
    let mut par_source = BTreeMap::new();
    for source in ["activites", "suivis", "indicateurs"] {
        let texte =
            std::fs::read_to_string(echantillon().join(format!("donnees/{source}.csv"))).unwrap();
        let mut lignes = texte.lines();
        let entete: Vec<String> = lignes
            .next()
            .unwrap()
            .split(';')
            .map(String::from)
            .collect();
        let i = |nom: &str| entete.iter().position(|e| e == nom).unwrap();
        let gardees: Vec<Vec<String>> = lignes
            .map(|l| l.split(';').map(String::from).collect::<Vec<_>>())
            .filter(|c| match source {
                "activites" => annee(&c[i("date")]) == "2013",
                "suivis" => {
                    annee(&c[i("ouverture")]).as_str() <= "2013"
                        && (c[i("cloture")].is_empty()
                            || annee(&c[i("cloture")]).as_str() >= "2013")
                }
                _ => c[i("annee")] == "2013",
            })
            .collect();
        par_source.insert(source, (entete, gardees));
    }
    par_source
}

/// `xml` (a sheet of the journal) with `lignes` below its header, each
/// cell as a spreadsheet holds what is typed into a formatted column:
/// dates as day numbers and numbers as numbers, in the column's style.
fn remplir_feuille(
    xml: &str,
    entete: &[String],
    lignes: &[Vec<String>],
    dans_le_journal: &[String],
) -> String {
    // The style of each column, from <cols>.
    let mut styles = BTreeMap::new();
    for (a, _) in elements(xml, "col") {
        let (min, max): (usize, usize) = (a["min"].parse().unwrap(), a["max"].parse().unwrap());
        for c in min..=max {
            if let Some(s) = a.get("style") {
                styles.insert(c - 1, s.clone());
            }
        }
    }
    let lettre = |c: usize| ((b'A' + c as u8) as char).to_string();
    let mut rangs = String::new();
    for (n, ligne) in lignes.iter().enumerate() {
        let r = n + 2;
        rangs.push_str(&format!("<row r=\"{r}\">"));
        for (c, nom) in dans_le_journal.iter().enumerate() {
            let Some(i) = entete.iter().position(|e| e == nom) else {
                continue;
            };
            let v = &ligne[i];
            if v.is_empty() {
                continue;
            }
            let s = styles
                .get(&c)
                .map(|s| format!(" s=\"{s}\""))
                .unwrap_or_default();
            let reference = format!("{}{r}", lettre(c));
            match nom.as_str() {
                "date" | "ouverture" | "cloture" => {
                    let (j, m, a) = (&v[0..2], &v[3..5], &v[6..10]);
                    let mois = time::Month::try_from(m.parse::<u8>().unwrap()).unwrap();
                    let jour = jour_excel(a.parse().unwrap(), mois, j.parse().unwrap());
                    rangs.push_str(&format!("<c r=\"{reference}\"{s}><v>{jour}</v></c>"));
                }
                "quantite" | "montant" | "valeur" | "annee" => {
                    let nombre = v.replace(',', ".");
                    rangs.push_str(&format!("<c r=\"{reference}\"{s}><v>{nombre}</v></c>"));
                }
                _ => {
                    let texte = v.replace('&', "&amp;").replace('<', "&lt;");
                    rangs.push_str(&format!(
                        "<c r=\"{reference}\"{s} t=\"inlineStr\"><is><t>{texte}</t></is></c>"
                    ));
                }
            }
        }
        rangs.push_str("</row>");
    }
    let fin_entete = xml.find("</row>").unwrap() + "</row>".len();
    let derniere = format!("{}{}", lettre(dans_le_journal.len() - 1), lignes.len() + 1);
    let xml = format!("{}{rangs}{}", &xml[..fin_entete], &xml[fin_entete..]);
    let debut = xml.find("<dimension ref=\"").unwrap() + "<dimension ref=\"".len();
    let fin = debut + xml[debut..].find('"').unwrap();
    format!("{}A1:{derniere}{}", &xml[..debut], &xml[fin..])
}

#[test]
fn le_journal_rempli_et_pose_dans_donnees_donne_les_memes_chiffres_que_les_csv_des_memes_lignes() {
    let dir = tempfile::tempdir().unwrap();
    let (par_csv, par_journal) = (dir.path().join("csv"), dir.path().join("journal"));
    copier(&echantillon(), &par_csv);
    copier(&echantillon(), &par_journal);
    let lignes = lignes_de_2013();
    // The same rows as CSV exports…
    for (source, (entete, rangs)) in &lignes {
        let mut texte = entete.join(";") + "\n";
        for r in rangs {
            texte.push_str(&r.join(";"));
            texte.push('\n');
        }
        std::fs::write(par_csv.join(format!("donnees/{source}.csv")), texte).unwrap();
        std::fs::remove_file(par_journal.join(format!("donnees/{source}.csv"))).unwrap();
    }
    // … and typed into the journal the model gives, as a spreadsheet saves it.
    let vierge = journal(&par_journal, &dir.path().join("vierge"), 2013);
    let xml = feuilles_xml(&vierge);
    let relations = dans_le_zip(&vierge, "xl/_rels/workbook.xml.rels");
    let cibles: BTreeMap<String, String> = elements(&relations, "Relationship")
        .into_iter()
        .map(|(a, _)| (a["Id"].clone(), format!("xl/{}", a["Target"])))
        .collect();
    let membres: BTreeMap<String, String> =
        elements(&dans_le_zip(&vierge, "xl/workbook.xml"), "sheet")
            .into_iter()
            .map(|(a, _)| (cibles[&a["r:id"]].clone(), a["name"].clone()))
            .collect();
    let mut lecteur = zip::ZipArchive::new(std::fs::File::open(&vierge).unwrap()).unwrap();
    let mut ecrit = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..lecteur.len() {
        let membre = lecteur.by_index(i).unwrap();
        let nom = membre.name().unwrap().to_string();
        match membres
            .get(&nom)
            .and_then(|feuille| lignes.get(feuille.as_str()).map(|l| (feuille, l)))
        {
            Some((feuille, (entete, rangs))) => {
                drop(membre);
                let dans_le_journal = cellules(&vierge, feuille).remove(0);
                let rempli = remplir_feuille(&xml[feuille], entete, rangs, &dans_le_journal);
                ecrit
                    .start_file(nom, zip::write::SimpleFileOptions::default())
                    .unwrap();
                std::io::Write::write_all(&mut ecrit, rempli.as_bytes()).unwrap();
            }
            None => ecrit.raw_copy_file(membre).unwrap(),
        }
    }
    let rempli = ecrit.finish().unwrap().into_inner();
    std::fs::write(par_journal.join("donnees/journal-2013.xlsx"), rempli).unwrap();

    let check = rapport(&["check", "2013", "--projet", par_journal.to_str().unwrap()]);
    let dit = String::from_utf8_lossy(&check.stdout);
    assert!(!dit.contains("erreur :"), "{dit}");
    let (a, b) = (
        dir.path().join("sortie-csv"),
        dir.path().join("sortie-journal"),
    );
    construire(&par_csv, &a, 2013);
    construire(&par_journal, &b, 2013);
    memes_tableaux(&a, &b, 8);
    assert_eq!(
        fichiers_sous(&a.join("graphiques")),
        fichiers_sous(&b.join("graphiques"))
    );
    // The figures are there, not n.d.: the journal's rows were read.
    let rue = lire_csv(&b.join("tableaux/rue.csv"));
    assert!(
        rue.iter()
            .any(|l| l["annee"] == "2013" && l["valeur"] != "n.d." && !l["valeur"].is_empty())
    );
}
