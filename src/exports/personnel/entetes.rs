//! Headers that name personal data, recognised by words: the header is cut
//! into words (accents, case, punctuation, `camelCase` and abbreviations
//! such as `N°`, `Tél.`, `D.D.N.` undone), then read by rules on those words
//! rather than matched against a flat list of spellings, so that `Nom`,
//! `Nom d'usage` or `Last name` are refused while `Nombre`, `Nom du
//! programme` or `Program name` are not.
//!
//! What is refused, and why (the README says it to coordinators):
//! - names, first names, nicknames and initials (a street name or a working
//!   name identifies a person in this milieu as well as a civil name);
//! - dates, years and places of birth; an age (a number of years) is kept,
//!   for breakdowns by age group;
//! - postal addresses, phone and fax numbers, e-mail and IP addresses, web
//!   profiles and logins; a postal code, a town, a district or a country is
//!   kept: an area of thousands of people, which funders ask figures by
//!   (priority districts), and the statistical secret hides its small cells;
//! - identification numbers: social security (NIR), AME, CAF, foreigner
//!   (AGDREF), residence permit, passport, identity card, licence plate, and
//!   bank details (IBAN, RIB); the kind of permit or of rights (`Type de
//!   titre de séjour`, `AME`) is kept: a category, not a number.
//! - `rue` alone is kept: it is this association's street outreach
//!   programme; `Nom de rue` or `N° de rue` are refused, and a cell holding
//!   an address (`12 rue des Lilas`) is found by the cell guard.

/// What a header refused names, as messages say it.
pub(super) fn donnee_nommee(entete: &str) -> Option<&'static str> {
    let mots = mots(entete);
    let premier = *mots.first()?;
    if NEUTRES_EN_TETE.contains(&premier) {
        return None;
    }
    let a = |mot: &str| mots.contains(&mot);
    let suivi_de = |mot: &str, apres: &[&str]| {
        mots.windows(2)
            .any(|p| p[0] == mot && apres.contains(&p[1]))
    };
    // A code or an identifier is a pseudonym unless it names a number below.
    let code = matches!(premier, "code" | "identifiant" | "id" | "ref" | "reference");

    if NUMEROS_FORTS.iter().any(|m| a(m))
        || (a("securite") && a("sociale"))
        || (a("social") && a("security"))
        || (a("national") && (a("id") || a("insurance")))
        || (a("carte") && (a("bancaire") || a("identite")))
        || (a("compte") && a("bancaire"))
        || (a("bank") && a("account"))
        || (a("account") && a("number"))
        || (a("credit") && a("card"))
        || (a("id") && a("card"))
        || suivi_de("numero", NUMEROS_APRES)
        || suivi_de("piece", &["identite"])
        || suivi_de("card", &["number"])
        || ((a("licence") || a("license")) && a("plate"))
    {
        return Some("des numéros d'identification ou des coordonnées bancaires");
    }
    if TELEPHONE.iter().any(|m| a(m))
        || matches!(
            premier,
            "tel" | "portable" | "mobile" | "cell" | "cellulaire"
        )
        || suivi_de("numero", &["tel", "portable", "mobile", "cell"])
    {
        return Some("des numéros de téléphone");
    }
    if COURRIEL.iter().any(|m| a(m)) {
        return Some("des adresses e-mail");
    }
    if NAISSANCE.iter().any(|m| a(m)) || matches!(premier, "ne" | "nee") {
        return Some("des dates ou des lieux de naissance");
    }
    if ADRESSE.iter().any(|m| a(m))
        || premier == "street"
        || mots
            .windows(2)
            .any(|p| matches!(p[0], "nom" | "numero" | "libelle") && matches!(p[1], "rue" | "voie"))
    {
        return Some("des adresses");
    }
    if EN_LIGNE.iter().any(|m| a(m)) || (a("user") && a("name")) || (code && a("connexion")) {
        return Some("des identifiants en ligne");
    }
    let identite = mots
        .iter()
        .position(|m| matches!(*m, "identite" | "identity"));
    if NOMS_FORTS.iter().any(|m| a(m))
        || (!code && NOMS_FAIBLES.iter().any(|m| a(m)))
        || (!code
            && mots
                .iter()
                .enumerate()
                .any(|(i, m)| nom_de_personne(&mots, i, m)))
        || identite.is_some_and(|i| {
            !matches!(mots.get(i + 1), Some(&("genre" | "sexuelle" | "sexe")))
                && !matches!(i.checked_sub(1).map(|j| mots[j]), Some("gender" | "sexual"))
        })
        || (a("personne") && (a("prevenir") || a("contacter")))
        || (a("contact") && a("urgence"))
        || (a("emergency") && a("contact"))
    {
        return Some("des noms de personnes");
    }
    None
}

/// Whether `mots[i]` is `nom` or `name` naming a person: alone, or next to
/// words that are not things (`Nom d'usage`, `First name`, but not `Nom du
/// programme` nor `Program name`).
fn nom_de_personne(mots: &[&str], i: usize, mot: &str) -> bool {
    if !matches!(mot, "nom" | "name") {
        return false;
    }
    let apres = mots.get(i + 1);
    let avant = i.checked_sub(1).map(|j| mots[j]);
    !apres.is_some_and(|m| CHOSES.contains(m)) && !avant.is_some_and(|m| CHOSES.contains(&m))
}

/// The words of a header: `camelCase` split, `°` and punctuation turned into
/// spaces, accents and case dropped, runs of single letters joined
/// (`D.D.N.` → `ddn`), glued words split (`nomprenom`, `firstname`),
/// abbreviations of « numéro » made one word, little words dropped.
pub(super) fn mots(entete: &str) -> Vec<&'static str> {
    let mut separe = String::with_capacity(entete.len() + 8);
    let mut precedent_minuscule = false;
    for c in entete.chars() {
        if c.is_uppercase() && precedent_minuscule {
            separe.push(' ');
        }
        precedent_minuscule = c.is_lowercase();
        separe.push(if matches!(c, '°' | 'º') { ' ' } else { c });
    }
    let plat = crate::fr::normalise(&separe);
    let bruts: Vec<&str> = plat
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|m| !m.is_empty())
        .collect();
    // Runs of single letters that spell a known word: `d d n` → `ddn`
    // (but `n d` of `N° d'étranger` stays two words).
    let mut joints: Vec<String> = Vec::with_capacity(bruts.len());
    let mut k = 0;
    while k < bruts.len() {
        let mut fin = k;
        while fin < bruts.len() && bruts[fin].len() == 1 {
            fin += 1;
        }
        let sigle = bruts[k..fin].concat();
        if fin - k >= 2 && (canonique(&sigle) != "_" || COLLES.iter().any(|(c, _)| *c == sigle)) {
            joints.push(sigle);
            k = fin;
        } else {
            joints.push(bruts[k].to_string());
            k += 1;
        }
    }
    let mut mots = Vec::with_capacity(joints.len());
    for m in &joints {
        if let Some((_, parties)) = COLLES.iter().find(|(colle, _)| colle == m) {
            mots.extend(parties.iter().copied());
            continue;
        }
        if PETITS_MOTS.contains(&m.as_str()) {
            continue;
        }
        mots.push(canonique(m));
    }
    mots
}

/// One word as the rules know it: a synonym or a plural brought back to one
/// spelling; a word no rule reads becomes `_`.
fn canonique(m: &str) -> &'static str {
    if matches!(m, "n" | "no" | "num" | "numero" | "nr" | "nro" | "number") {
        return "numero";
    }
    let connu = |m: &str| {
        CONNUS
            .iter()
            .flat_map(|l| l.iter())
            .find(|c| **c == m)
            .copied()
    };
    connu(m)
        .or_else(|| m.strip_suffix('s').and_then(connu))
        .unwrap_or("_")
}

/// Little words dropped between the words that count.
const PETITS_MOTS: [&str; 22] = [
    "de", "du", "des", "d", "la", "le", "les", "l", "of", "the", "et", "and", "ou", "or", "a",
    "au", "aux", "en", "in", "pour", "e", "s",
];

/// Glued words, and what they are.
const COLLES: [(&str, &[&str]); 27] = [
    ("nomprenom", &["nom", "prenom"]),
    ("prenomnom", &["prenom", "nom"]),
    ("firstname", &["first", "name"]),
    ("lastname", &["last", "name"]),
    ("fullname", &["full", "name"]),
    ("givenname", &["given", "name"]),
    ("familyname", &["family", "name"]),
    ("middlename", &["middle", "name"]),
    ("maidenname", &["maiden", "name"]),
    ("nickname", &["nickname"]),
    ("username", &["user", "name"]),
    ("birthdate", &["birth"]),
    ("birthday", &["birth"]),
    ("dateofbirth", &["birth"]),
    ("datenaissance", &["naissance"]),
    ("phonenumber", &["phone"]),
    ("cellphone", &["phone"]),
    ("mobilephone", &["phone"]),
    ("homephone", &["phone"]),
    ("emailaddress", &["email"]),
    ("ipaddress", &["ip"]),
    ("streetaddress", &["address"]),
    ("zipcode", &["zip"]),
    ("postcode", &["zip"]),
    ("nss", &["numero", "ss"]),
    ("numsecu", &["numero", "secu"]),
    ("adressemail", &["email"]),
];

/// First words that make the header a count, a kind or a yes/no about the
/// data, not the data: `Nombre de noms`, `Type de pièce d'identité`,
/// `Droits sécurité sociale`, `Sans adresse`.
const NEUTRES_EN_TETE: [&str; 20] = [
    "type",
    "nature",
    "categorie",
    "nombre",
    "nb",
    "nbre",
    "total",
    "tranche",
    "classe",
    "statut",
    "presence",
    "sans",
    "avec",
    "droit",
    "couverture",
    "ouverture",
    "regime",
    "demande",
    "count",
    "motif",
];

/// Words that name an identification number or bank details wherever they
/// are, even after `code` (`Code IBAN`).
const NUMEROS_FORTS: [&str; 12] = [
    "nir",
    "ssn",
    "nino",
    "secu",
    "iban",
    "rib",
    "passeport",
    "passport",
    "cni",
    "agdref",
    "immatriculation",
    "plaque",
];

/// Words that, after « numéro », name an identification number.
const NUMEROS_APRES: &[&str] = &[
    "ss",
    "securite",
    "social",
    "insee",
    "ame",
    "cmu",
    "css",
    "caf",
    "allocataire",
    "etranger",
    "titre",
    "sejour",
    "recepisse",
    "permis",
    "compte",
    "carte",
    "vitale",
    "ofii",
    "ofpra",
    "fiscal",
    "identite",
    "identity",
    "plaque",
    "plate",
    "licence",
    "license",
    "nhs",
];

const TELEPHONE: [&str; 5] = ["telephone", "phone", "gsm", "fax", "whatsapp"];

const COURRIEL: [&str; 4] = ["email", "mail", "courriel", "mel"];

const NAISSANCE: [&str; 4] = ["naissance", "birth", "ddn", "dob"];

const ADRESSE: [&str; 4] = ["adresse", "address", "addr", "domicile"];

const EN_LIGNE: [&str; 4] = ["ip", "url", "login", "photo"];

/// Words that name a person wherever they are.
const NOMS_FORTS: [&str; 7] = [
    "prenom",
    "patronyme",
    "patronymique",
    "surname",
    "forename",
    "nickname",
    "initiales",
];

/// Words that name a person, unless the header is a code (`Code pseudonyme`).
const NOMS_FAIBLES: [&str; 4] = ["pseudo", "pseudonyme", "surnom", "alias"];

/// Things that have a name which is not a person's: `Nom du programme`.
const CHOSES: &[&str] = &[
    "programme",
    "program",
    "action",
    "activite",
    "activity",
    "lieu",
    "place",
    "location",
    "site",
    "structure",
    "association",
    "partenaire",
    "partner",
    "organisme",
    "organisation",
    "organization",
    "etablissement",
    "service",
    "dispositif",
    "projet",
    "project",
    "fichier",
    "file",
    "indicateur",
    "indicator",
    "financeur",
    "funder",
    "ville",
    "city",
    "commune",
    "quartier",
    "pays",
    "country",
    "region",
    "departement",
    "theme",
    "categorie",
    "category",
    "equipe",
    "team",
    "evenement",
    "event",
    "atelier",
    "groupe",
    "group",
    "poste",
    "produit",
    "product",
    "materiel",
    "colonne",
    "column",
    "champ",
    "field",
    "variable",
    "document",
    "feuille",
    "sheet",
    "table",
    "rubrique",
    "operation",
    "campagne",
    "formation",
    "module",
    "langue",
    "language",
    "nationalite",
    "hopital",
    "hospital",
    "centre",
    "center",
    "ecole",
    "school",
    "entreprise",
    "company",
    "societe",
    "employeur",
    "employer",
    "banque",
    "bank",
    "kit",
    "article",
    "item",
    "outil",
    "tool",
    "logiciel",
    "source",
    "export",
    "rapport",
    "report",
    "mesure",
    "unite",
    "public",
    "type",
    "code",
    "titre",
    "title",
    "festival",
    "rue",
    "voie",
    "street",
    "partenariat",
    "financement",
    "subvention",
    "appel",
];

/// The other words the rules read.
const AUTRES: &[&str] = &[
    "nom",
    "name",
    "identite",
    "identity",
    "first",
    "last",
    "full",
    "given",
    "family",
    "middle",
    "maiden",
    "user",
    "personne",
    "prevenir",
    "contacter",
    "contact",
    "urgence",
    "emergency",
    "genre",
    "sexuelle",
    "sexe",
    "gender",
    "sexual",
    "securite",
    "sociale",
    "social",
    "security",
    "national",
    "insurance",
    "carte",
    "bancaire",
    "compte",
    "bank",
    "account",
    "credit",
    "card",
    "piece",
    "id",
    "licence",
    "license",
    "plate",
    "tel",
    "portable",
    "mobile",
    "cell",
    "cellulaire",
    "ne",
    "nee",
    "street",
    "rue",
    "voie",
    "libelle",
    "zip",
    "code",
    "reference",
    "ref",
    "identifiant",
    "connexion",
];

/// Every word a rule reads (the others become `_`).
const CONNUS: [&[&str]; 12] = [
    &NEUTRES_EN_TETE,
    &NUMEROS_FORTS,
    NUMEROS_APRES,
    &TELEPHONE,
    &COURRIEL,
    &NAISSANCE,
    &ADRESSE,
    &EN_LIGNE,
    &NOMS_FORTS,
    &NOMS_FAIBLES,
    CHOSES,
    AUTRES,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::Source;

    /// Headers as exports write them, and whether they name personal data.
    const TABLE: &[(&str, bool)] = &[
        // Names, French.
        ("Nom", true),
        ("NOM", true),
        ("nom", true),
        ("Noms", true),
        ("Prénom", true),
        ("prenom", true),
        ("Prénom(s)", true),
        ("nom_prenom", true),
        ("NOM PRENOM", true),
        ("Nom/Prénom", true),
        ("Nom et prénom", true),
        ("NomPrenom", true),
        ("nomprenom", true),
        ("Nom complet", true),
        ("Nom usuel", true),
        ("Nom d'usage", true),
        ("Nom de famille", true),
        ("Nom de naissance", true),
        ("Nom marital", true),
        ("Nom de jeune fille", true),
        ("Nom du bénéficiaire", true),
        ("Nom de l'usager", true),
        ("Patronyme", true),
        ("Pseudo", true),
        ("Pseudonyme", true),
        ("Surnom", true),
        ("Initiales", true),
        ("Identité", true),
        ("Personne à prévenir", true),
        ("Contact d'urgence", true),
        // Names, English.
        ("Name", true),
        ("Full name", true),
        ("First name", true),
        ("first_name", true),
        ("Last name", true),
        ("lastName", true),
        ("FirstName", true),
        ("Surname", true),
        ("Given name", true),
        ("Nickname", true),
        // Births.
        ("Date de naissance", true),
        ("Date naissance", true),
        ("date_naissance", true),
        ("DDN", true),
        ("D.D.N.", true),
        ("Né(e) le", true),
        ("Né le", true),
        ("Née le", true),
        ("Lieu de naissance", true),
        ("Année de naissance", true),
        ("Date of birth", true),
        ("DOB", true),
        ("Birth date", true),
        ("birthDate", true),
        // Addresses.
        ("Adresse", true),
        ("Adresse postale", true),
        ("Domicile", true),
        ("N° de rue", true),
        ("Nom de rue", true),
        ("Address", true),
        ("Street", true),
        ("Street address", true),
        // Phones.
        ("Téléphone", true),
        ("Tél.", true),
        ("tel", true),
        ("N° tél", true),
        ("Numéro de téléphone", true),
        ("Téléphone fixe", true),
        ("Portable", true),
        ("Mobile", true),
        ("GSM", true),
        ("Fax", true),
        ("Phone", true),
        ("Phone number", true),
        ("Cell", true),
        // E-mails and online.
        ("E-mail", true),
        ("Email", true),
        ("e_mail", true),
        ("Mail", true),
        ("Courriel", true),
        ("Mél", true),
        ("Adresse mail", true),
        ("Adresse IP", true),
        ("IP", true),
        ("Login", true),
        ("Username", true),
        // Identification numbers and bank details.
        ("NIR", true),
        ("N° SS", true),
        ("N°SS", true),
        ("Numéro de sécurité sociale", true),
        ("N° de sécurité sociale", true),
        ("Numéro de sécu", true),
        ("Sécu", true),
        ("Sécurité sociale", true),
        ("N° AME", true),
        ("Numéro CAF", true),
        ("N° allocataire", true),
        ("N° étranger", true),
        ("N° d'étranger", true),
        ("AGDREF", true),
        ("N° de titre de séjour", true),
        ("Numéro du récépissé", true),
        ("Passeport", true),
        ("N° passeport", true),
        ("Carte d'identité", true),
        ("Pièce d'identité", true),
        ("CNI", true),
        ("IBAN", true),
        ("Code IBAN", true),
        ("RIB", true),
        ("Numéro de compte", true),
        ("Plaque", true),
        ("Plaque d'immatriculation", true),
        ("SSN", true),
        ("Social security number", true),
        ("Passport", true),
        ("ID card", true),
        ("Bank account", true),
        ("License plate", true),
        // The contract, as the sample writes it.
        ("date", false),
        ("action", false),
        ("programme", false),
        ("public", false),
        ("personne", false),
        ("themes", false),
        ("quantite", false),
        ("categorie", false),
        ("montant", false),
        ("type", false),
        ("ouverture", false),
        ("cloture", false),
        ("annee", false),
        ("indicateur", false),
        ("valeur", false),
        // Other headers that are no personal data.
        ("Nombre", false),
        ("Nombre de personnes", false),
        ("Nom du programme", false),
        ("Nom de l'action", false),
        ("Nom du lieu", false),
        ("Nom de la structure", false),
        ("Nom du partenaire", false),
        ("Nom de l'association", false),
        ("Program name", false),
        ("File name", false),
        ("Code personne", false),
        ("Code anonyme", false),
        ("Code pseudonyme", false),
        ("Identifiant", false),
        ("ID", false),
        ("N°", false),
        ("Numéro", false),
        ("Numéro de dossier", false),
        ("Date de l'action", false),
        ("Date de saisie", false),
        ("Âge", false),
        ("Âge exact", false),
        ("Tranche d'âge", false),
        ("Nationalité", false),
        ("Pays", false),
        ("Ville", false),
        ("Ville de résidence", false),
        ("Code postal", false),
        ("CP", false),
        ("Zip", false),
        ("Quartier", false),
        ("Rue", false),
        ("Identité de genre", false),
        ("Gender identity", false),
        ("Genre", false),
        ("Sexe", false),
        ("Titre de séjour", false),
        ("Type de titre de séjour", false),
        ("Type de pièce d'identité", false),
        ("Statut administratif", false),
        ("AME", false),
        ("Droits sécurité sociale", false),
        ("Sans adresse", false),
        ("Équipe mobile", false),
        ("Unité mobile", false),
        ("Contact", false),
        ("Commentaire", false),
        ("Observations", false),
        ("Intervenant", false),
        ("Lieu de vie", false),
        ("Hébergement", false),
        ("Orientation", false),
        ("Montant (€)", false),
        ("Thèmes abordés", false),
        ("Langue", false),
    ];

    #[test]
    fn a_table_of_headers_gets_its_verdict() {
        assert!(TABLE.len() >= 60);
        let faux: Vec<String> = TABLE
            .iter()
            .filter(|(e, attendu)| donnee_nommee(e).is_some() != *attendu)
            .map(|(e, attendu)| format!("« {e} » : attendu {attendu}, mots {:?}", mots(e)))
            .collect();
        assert!(faux.is_empty(), "{}", faux.join("\n"));
    }

    #[test]
    fn every_column_and_header_name_of_the_contract_is_accepted() {
        for source in Source::TOUTES {
            for c in source.colonnes() {
                assert!(donnee_nommee(c.nom).is_none(), "{}", c.nom);
                for alias in c.alias {
                    assert!(donnee_nommee(alias).is_none(), "{alias}");
                }
            }
        }
    }

    #[test]
    fn every_column_the_sample_and_the_new_project_models_read_is_accepted() {
        let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut vues = 0;
        for modele in ["data-samples/rapport.toml", "modeles/nouveau/rapport.toml"] {
            let texte = std::fs::read_to_string(racine.join(modele)).unwrap();
            let toml: toml::Table = texte.parse().unwrap();
            // The columns a model reads: its filters', conditions' and
            // breakdowns' keys, and the columns it sums.
            let mut colonnes = Vec::new();
            let mut a_voir: Vec<&toml::Value> = toml.values().collect();
            while let Some(v) = a_voir.pop() {
                match v {
                    toml::Value::Table(t) => {
                        for (cle, v) in t {
                            if matches!(cle.as_str(), "filtres" | "condition")
                                && let Some(f) = v.as_table()
                            {
                                colonnes.extend(f.keys().cloned());
                            }
                            if cle == "colonne"
                                && let Some(c) = v.as_str()
                            {
                                colonnes.push(c.to_string());
                            }
                            a_voir.push(v);
                        }
                    }
                    toml::Value::Array(a) => a_voir.extend(a),
                    _ => {}
                }
            }
            for c in &colonnes {
                assert!(donnee_nommee(c).is_none(), "{modele} : {c}");
            }
            vues += colonnes.len();
        }
        assert!(vues > 50, "{vues} colonnes lues");
    }

    #[test]
    fn the_sample_exports_headers_are_accepted() {
        let racine = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data-samples/donnees");
        for source in Source::TOUTES {
            let texte = std::fs::read_to_string(racine.join(source.fichier())).unwrap();
            let entete = texte.lines().next().unwrap();
            for e in entete.split(';') {
                assert!(donnee_nommee(e).is_none(), "{e}");
            }
        }
    }

    #[test]
    fn a_refused_header_says_what_it_names() {
        assert_eq!(donnee_nommee("Nom d'usage"), Some("des noms de personnes"));
        assert_eq!(
            donnee_nommee("N° de sécurité sociale"),
            Some("des numéros d'identification ou des coordonnées bancaires")
        );
        assert_eq!(donnee_nommee("Tél."), Some("des numéros de téléphone"));
        assert_eq!(donnee_nommee("Courriel"), Some("des adresses e-mail"));
        assert_eq!(
            donnee_nommee("Date of birth"),
            Some("des dates ou des lieux de naissance")
        );
        assert_eq!(donnee_nommee("Adresse postale"), Some("des adresses"));
    }
}
