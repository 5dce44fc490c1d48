//! The names of the outputs, relative to the output folder: made here once,
//! for the stages that write them and those that read them back (the
//! records of earlier builds).

/// The report of `annee`, as `extension` (`pdf`, `html`).
pub fn rapport(annee: i32, extension: &str) -> String {
    format!("rapport-{annee}.{extension}")
}

/// The CSV file of table `id`.
pub fn tableau(id: &str) -> String {
    format!("tableaux/{id}.csv")
}

/// The SVG file of chart `id`; its path for the templates is `/` and this.
pub fn graphique(id: &str) -> String {
    format!("graphiques/{id}.svg")
}

/// The record of the definitions and secret pattern of the build of `annee`.
pub fn releve(annee: i32) -> String {
    format!("definitions-{annee}.json")
}

/// The year of a record's file name, if `nom` is one.
pub fn annee_du_releve(nom: &str) -> Option<i32> {
    nom.strip_prefix("definitions-")?
        .strip_suffix(".json")?
        .parse()
        .ok()
}

/// The base name of the comparison of `premiere` to `derniere` (its CSV
/// and PDF add their extension).
pub fn comparaison(premiere: i32, derniere: i32) -> String {
    format!("comparaison-{premiere}-{derniere}")
}

/// The extract of funder `id` for `annee`, as `extension` (`pdf`, `xlsx`, `csv`).
pub fn extrait(id: &str, annee: i32, extension: &str) -> String {
    format!("extraits/{id}-{annee}.{extension}")
}

/// The journal to fill in for `annee`; the name reading finds it by in `donnees/`.
pub fn journal(annee: i32) -> String {
    format!("journal-{annee}.xlsx")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_name_gives_back_its_year() {
        assert_eq!(annee_du_releve(&releve(2013)), Some(2013));
        assert_eq!(annee_du_releve("definitions-x.json"), None);
        assert_eq!(annee_du_releve(&rapport(2013, "pdf")), None);
    }
}
