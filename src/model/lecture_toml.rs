//! The TOML reader's messages about a model, told in French.

/// The TOML reader's usual messages, in French.
pub(super) fn traduire_toml(message: &str) -> String {
    let apres = |prefixe: &str| message.strip_prefix(prefixe).map(str::to_string);
    let valeurs = |t: &str| {
        t.split(", ")
            .map(|v| {
                v.trim_matches('`')
                    .trim_start_matches("or ")
                    .trim_matches('`')
                    .to_string()
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    if let Some((v, attendus)) = apres("unknown variant `").and_then(|r| {
        r.split_once("`, expected one of ")
            .map(|(a, b)| (a.to_string(), b.to_string()))
    }) {
        return format!(
            "valeur « {v} » inconnue ; valeurs possibles : {}",
            valeurs(&attendus)
        );
    }
    if let Some(reste) = apres("unknown field `") {
        if let Some((v, attendus)) = reste.split_once("`, expected one of ") {
            return format!(
                "clé « {v} » inconnue ; clés possibles : {}",
                valeurs(attendus)
            );
        }
        if let Some((v, attendu)) = reste.split_once("`, expected ") {
            return format!("clé « {v} » inconnue ; clé possible : {}", valeurs(attendu));
        }
    }
    if let Some(reste) = apres("missing field `") {
        return format!(
            "la clé « {} » est obligatoire ici",
            reste.trim_end_matches('`')
        );
    }
    if message.contains("expected a TOML datetime") {
        return "une date s'écrit sans guillemets, par exemple date = 2014-04-15".into();
    }
    if message.starts_with("data did not match any variant of untagged enum Filtre") {
        return "filtre incorrect : attendu \"valeur\", [\"valeur\", \"autre\"] ou { contient = \"valeur\" }".into();
    }
    if let Some(reste) = apres("invalid type: ")
        && let Some((trouve, attendu)) = reste.rsplit_once(", expected ")
    {
        return format!(
            "{} écrit ici, alors que la clé attend {}",
            type_trouve(trouve),
            type_attendu(attendu)
        );
    }
    // The parser's own messages: what is wrong, then what it expected.
    let erreur = message.split(", expected").next().unwrap_or(message).trim();
    let francais = match erreur {
        "string values must be quoted" | "unquoted string" => {
            "valeur sans guillemets : un texte s'écrit entre guillemets droits, par exemple titre = \"Rapport d'activité\" (un nombre, une date, true ou false s'écrivent sans guillemets)"
        }
        "invalid basic string" | "invalid literal string" | "invalid string" => {
            "texte mal fermé : il manque le guillemet de fin, sur la même ligne"
        }
        "missing value for key" | "key with no value" | "missing value" => {
            "clé sans valeur : écrivez sa valeur après le signe ="
        }
        "duplicate key" => "clé écrite deux fois dans la même section : gardez-en une seule",
        "unclosed table" | "invalid table" | "unclosed array table" | "missing table open" => {
            "en-tête de section mal écrit : il s'écrit seul sur sa ligne, entre crochets, par exemple [rapport] ou [indicateurs.contacts_rue]"
        }
        "unclosed array"
        | "missing comma between array elements"
        | "extra comma in array"
        | "missing array opening" => {
            "liste mal écrite : entre crochets, valeurs séparées par des virgules, par exemple [\"rue\", \"net\"]"
        }
        "unclosed inline table"
        | "invalid inline table element"
        | "extra comma in inline table"
        | "missing comma between key-value pairs"
        | "missing inline table opening" => {
            "table en ligne mal écrite : entre accolades, par exemple filtres = { programme = \"rue\", action = \"contact\" }"
        }
        "invalid key" | "invalid unquoted key" | "unquoted keys cannot be empty" => {
            "nom de clé incorrect : des lettres sans accents, des chiffres, - et _, par exemple mots_cles"
        }
        _ => return format!("modèle illisible ({})", message.trim()),
    };
    francais.to_string()
}

/// A TOML value as serde names it (`string "2000"`, `integer `5``), in French.
fn type_trouve(t: &str) -> String {
    if let Some(v) = t.strip_prefix("string ") {
        return format!("le texte « {} »", v.trim_matches('"'));
    }
    match t.split_whitespace().next().unwrap_or(t) {
        "integer" => format!(
            "le nombre entier {}",
            t.trim_start_matches("integer ").trim_matches('`')
        ),
        "floating" => format!(
            "le nombre {}",
            t.trim_start_matches("floating point ").trim_matches('`')
        ),
        "boolean" => format!(
            "la valeur {}",
            t.trim_start_matches("boolean ").trim_matches('`')
        ),
        "sequence" => "une liste".into(),
        "map" => "une table".into(),
        _ => format!("une valeur ({t})"),
    }
}

/// What a key of the model expects, as serde names it, in French.
fn type_attendu(t: &str) -> &'static str {
    match t.trim() {
        "i32" | "i64" | "u32" | "u64" | "usize" | "u8" | "u16" | "an integer" => {
            "un nombre entier, sans guillemets"
        }
        "f64" | "f32" | "a float" => {
            "un nombre, sans guillemets (virgule décimale : un point, 2.5)"
        }
        "a boolean" | "bool" => "true ou false, sans guillemets",
        "a string" | "a borrowed string" | "string" => "un texte entre guillemets",
        "a sequence" => "une liste entre crochets, [\"a\", \"b\"]",
        "a TOML datetime" => "une date sans guillemets, par exemple 2014-04-15",
        _ => "une autre sorte de valeur (voir le format dans le README)",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// The French message for the TOML reader's error on `texte`, read as `T`.
    fn message<T: serde::de::DeserializeOwned + std::fmt::Debug>(texte: &str) -> String {
        traduire_toml(toml::from_str::<T>(texte).unwrap_err().message())
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Association {
        creation: i32,
    }

    #[test]
    fn the_usual_mistakes_in_a_model_are_told_in_french() {
        let table = message::<toml::Table>;
        assert!(table("titre = Rapport").starts_with("valeur sans guillemets"));
        assert!(table("titre = \"Rapport").starts_with("texte mal fermé"));
        assert!(
            table("titre =").starts_with("valeur sans guillemets")
                || table("titre =").starts_with("clé sans valeur")
        );
        assert!(table("a = 1\na = 2").starts_with("clé écrite deux fois"));
        assert!(table("[rapport\ntitre = \"x\"").starts_with("en-tête de section mal écrit"));
        assert!(table("m = [\"a\" \"b\"]").starts_with("liste mal écrite"));
        let f = table("f = { a = \"b\" c = \"d\" }");
        assert!(f.starts_with("table en ligne mal écrite"), "{f}");
        assert_eq!(
            message::<Association>("creation = \"2000\""),
            "le texte « 2000 » écrit ici, alors que la clé attend un nombre entier, sans guillemets"
        );
    }

    #[test]
    fn an_unforeseen_message_is_kept_as_the_reader_wrote_it() {
        assert_eq!(
            traduire_toml("quelque chose d'autre"),
            "modèle illisible (quelque chose d'autre)"
        );
    }
}
