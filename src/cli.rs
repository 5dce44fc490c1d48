//! The command line, in French.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Rapport d'activité annuel d'une association, à partir de ses exports CSV.
#[derive(Debug, Parser)]
#[command(
    name = "rapport",
    version,
    help_expected = true,
    disable_help_subcommand = true
)]
#[command(disable_help_flag = true, disable_version_flag = true)]
#[command(help_template = AIDE, subcommand_help_heading = "Commandes", subcommand_value_name = "COMMANDE")]
#[command(
    after_help = "Pour commencer : rapport init mon-association, puis lisez mon-association/LISEZMOI.md.\n\nExemple : rapport build 2013 --projet data-samples"
)]
pub struct Cli {
    #[command(subcommand)]
    pub commande: Commande,
    /// Affiche l'aide.
    #[arg(short = 'h', long = "help", action = clap::ArgAction::Help, global = true)]
    aide: Option<bool>,
    /// Affiche la version.
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

/// The help page's layout, with French headings.
const AIDE: &str = "{about}\n\nUtilisation : {usage}\n\n{all-args}{after-help}";

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Crée un nouveau projet : modèle, textes d'exemple, glossaire, exports vides et mode d'emploi (LISEZMOI.md).
    #[command(help_template = AIDE)]
    #[command(
        after_help = "Le dossier est créé ; s'il existe déjà, il doit être vide : rien n'est jamais remplacé.\n\nExemples : rapport init mon-association --association \"Les Amarres\"\n          rapport init --exemple exemple"
    )]
    Init(InitArgs),
    /// Produit le rapport annuel d'une année (PDF, version web, graphiques SVG, tableaux CSV).
    #[command(help_template = AIDE)]
    #[command(
        after_help = "Exemples : rapport build 2013 --projet data-samples --sortie /tmp/rapport\n          rapport build 2013 --format pdf,html\n          rapport build 2013 --watch   (reconstruit à chaque modification ; Ctrl+C pour arrêter)"
    )]
    Build(BuildArgs),
    /// Vérifie le modèle, les exports et les textes, et signale tous les problèmes d'un coup.
    #[command(help_template = AIDE)]
    #[command(
        after_help = "Code de sortie : 0 si tout est en ordre, 1 s'il n'y a que des avertissements,\n65 s'il y a des erreurs (66 si seuls des fichiers manquent).\n\nExemples : rapport check --projet data-samples\n          rapport check 2013 --projet data-samples"
    )]
    Check(CheckArgs),
    /// Compare les indicateurs de plusieurs années, calculés avec les mêmes définitions.
    #[command(help_template = AIDE)]
    #[command(
        after_help = "Exemples : rapport compare 2012 2013 --projet data-samples\n          rapport compare 2011..2013 --projet data-samples"
    )]
    Compare(CompareArgs),
    /// Produit l'extrait d'un financeur (PDF, XLSX, CSV) : ses indicateurs, ses catégories, l'année précédente.
    #[command(help_template = AIDE)]
    #[command(
        after_help = "Exemples : rapport extract --financeur ars 2013 --projet data-samples\n          rapport extract --tous 2013 --projet data-samples"
    )]
    Extract(ExtractArgs),
    /// Produit un journal d'activité à remplir (XLSX) : une feuille par export que lit le modèle, ses colonnes, ses listes de valeurs, un mode d'emploi.
    #[command(help_template = AIDE)]
    #[command(
        after_help = "Le journal rempli se pose dans donnees/ sous le nom journal-ANNEE.xlsx : rapport build ANNEE le lit comme les exports.\nUn journal qui existe déjà n'est jamais remplacé.\n\nExemples : rapport journal 2026\n          rapport journal 2026 --projet mon-association --sortie mon-association/donnees"
    )]
    Journal(JournalArgs),
    /// Affiche le script de complétion des commandes et des options pour un interpréteur (bash, zsh, fish, powershell, elvish).
    #[command(help_template = AIDE)]
    #[command(
        after_help = "Exemples : rapport completions bash > ~/.local/share/bash-completion/completions/rapport\n          rapport completions zsh > ~/.zfunc/_rapport\n          rapport completions fish > ~/.config/fish/completions/rapport.fish"
    )]
    Completions(CompletionsArgs),
    /// Affiche la page de manuel de rapport (format roff, pour man).
    #[command(help_template = AIDE)]
    #[command(
        after_help = "Exemple : rapport man > ~/.local/share/man/man1/rapport.1, puis man rapport"
    )]
    Man,
}

impl Commande {
    /// The options of the commands that write documents.
    pub fn document(&self) -> Option<&DocumentArgs> {
        match self {
            Commande::Build(a) => Some(&a.document),
            Commande::Compare(a) => Some(&a.document),
            Commande::Extract(a) => Some(&a.document),
            Commande::Init(_)
            | Commande::Check(_)
            | Commande::Journal(_)
            | Commande::Completions(_)
            | Commande::Man => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Dossier du nouveau projet, créé s'il n'existe pas ; s'il existe, il doit être vide.
    #[arg(value_name = "DOSSIER")]
    pub dossier: PathBuf,
    /// Nom de l'association, imprimé sur le rapport ; sans cette option, il est demandé (hors d'un terminal, il reste à compléter dans rapport.toml).
    #[arg(long, value_name = "NOM", conflicts_with = "exemple")]
    pub association: Option<String>,
    /// Copie le projet d'exemple complet (modèle, textes, glossaire, exports fictifs de 2011 à 2013) au lieu d'un projet à remplir.
    #[arg(long)]
    pub exemple: bool,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Interpréteur de commandes : bash, zsh, fish, powershell ou elvish.
    #[arg(value_name = "INTERPRETEUR", value_enum, hide_possible_values = true)]
    pub interpreteur: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[group(id = "qui", required = true, args = ["financeur", "tous"])]
pub struct ExtractArgs {
    /// Année de l'extrait, par exemple 2013.
    #[arg(value_name = "ANNEE", value_parser = annee)]
    pub annee: i32,
    /// Identifiant du financeur dans rapport.toml, par exemple ars.
    #[arg(long, value_name = "ID")]
    pub financeur: Option<String>,
    /// Tous les financeurs du modèle qui déclarent des tableaux.
    #[arg(long)]
    pub tous: bool,
    #[command(flatten)]
    pub projet: ProjetArgs,
    #[command(flatten)]
    pub document: DocumentArgs,
}

#[derive(Debug, Args)]
pub struct JournalArgs {
    /// Année du journal, par exemple 2026 : ses dates doivent être de cette année.
    #[arg(value_name = "ANNEE", value_parser = annee)]
    pub annee: i32,
    #[command(flatten)]
    pub projet: ProjetArgs,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Année du rapport dont vérifier aussi les textes, par exemple 2013 (facultatif).
    #[arg(value_name = "ANNEE", value_parser = annee)]
    pub annee: Option<i32>,
    /// Dossier du projet (celui qui contient rapport.toml) ; par défaut le dossier courant.
    #[arg(
        long,
        value_name = "DOSSIER",
        default_value = ".",
        hide_default_value = true
    )]
    pub projet: PathBuf,
    /// Relit et revérifie chaque export sans le cache des exports vérifiés (sortie/.cache), qui n'est alors ni lu ni écrit.
    #[arg(long)]
    pub sans_cache: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Deux années (2012 2013) ou une plage d'années (2011..2013).
    #[arg(value_name = "ANNEES", num_args = 1..=2, required = true)]
    pub annees: Vec<String>,
    #[command(flatten)]
    pub projet: ProjetArgs,
    #[command(flatten)]
    pub document: DocumentArgs,
}

/// Options shared by the commands that read a project.
#[derive(Debug, Args)]
pub struct ProjetArgs {
    /// Dossier du projet (celui qui contient rapport.toml) ; par défaut le dossier courant.
    #[arg(
        long,
        value_name = "DOSSIER",
        default_value = ".",
        hide_default_value = true
    )]
    pub projet: PathBuf,
    /// Dossier où écrire les résultats ; par défaut « sortie » dans le projet.
    #[arg(long, value_name = "DOSSIER")]
    pub sortie: Option<PathBuf>,
}

/// Options shared by the commands that write documents.
#[derive(Debug, Args)]
pub struct DocumentArgs {
    /// Date imprimée sur le document (AAAA-MM-JJ) ; par défaut la date du modèle ([rapport] date), sinon SOURCE_DATE_EPOCH, sinon la date du jour.
    #[arg(long, value_name = "AAAA-MM-JJ", value_parser = date_iso)]
    pub date: Option<time::Date>,
    /// N'affiche ni le résumé ni les barres de progression.
    #[arg(long, short)]
    pub quiet: bool,
    /// Affiche sur la sortie d'erreur la durée de chaque étape et la mémoire maximale.
    #[arg(long)]
    pub timings: bool,
    /// Relit et revérifie chaque export sans le cache des exports vérifiés (SORTIE/.cache), qui n'est alors ni lu ni écrit.
    #[arg(long)]
    pub sans_cache: bool,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Année du rapport, par exemple 2013.
    #[arg(value_name = "ANNEE", value_parser = annee)]
    pub annee: i32,
    /// Formats à produire : pdf (par défaut), html (une page web autonome, lisible sur téléphone), ou les deux : pdf,html.
    #[arg(
        long,
        value_name = "FORMAT",
        value_enum,
        value_delimiter = ',',
        default_value = "pdf",
        hide_default_value = true,
        hide_possible_values = true
    )]
    pub format: Vec<FormatRapport>,
    /// Reste ouvert et reconstruit le rapport à chaque modification d'un export, d'un texte, du modèle ou d'un gabarit (Ctrl+C pour arrêter).
    #[arg(long)]
    pub watch: bool,
    #[command(flatten)]
    pub projet: ProjetArgs,
    #[command(flatten)]
    pub document: DocumentArgs,
}

/// An output format of `rapport build`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatRapport {
    /// Le rapport en PDF (PDF/UA-1 et PDF/A-2a : accessible et archivable).
    Pdf,
    /// Le rapport en une page HTML autonome (tableaux, graphiques SVG, textes, glossaire).
    Html,
}

/// A clap error told in French, with the argument and value at fault.
pub fn message_francais(e: &clap::Error) -> String {
    use clap::error::{ContextKind, ContextValue, ErrorKind};
    let contexte = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        _ => String::new(),
    };
    let argument = contexte(ContextKind::InvalidArg);
    let valeur = contexte(ContextKind::InvalidValue);
    match e.kind() {
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let possibles = contexte(ContextKind::ValidValue);
            let cause = std::error::Error::source(e)
                .map(|c| format!(" ({c})"))
                .or_else(|| {
                    (!possibles.is_empty()).then(|| format!(" (valeurs possibles : {possibles})"))
                })
                .unwrap_or_default();
            format!("valeur « {valeur} » incorrecte pour {argument}{cause}")
        }
        ErrorKind::UnknownArgument => format!("option inconnue : {argument}"),
        ErrorKind::InvalidSubcommand => {
            let commande = contexte(ContextKind::InvalidSubcommand);
            let commandes: Vec<String> = <Cli as clap::CommandFactory>::command()
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            format!(
                "commande inconnue : {commande} (commandes disponibles : {})",
                commandes.join(", ")
            )
        }
        ErrorKind::MissingRequiredArgument => format!("argument obligatoire manquant : {argument}"),
        ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            "indiquez une commande, par exemple : rapport build 2013".into()
        }
        ErrorKind::TooManyValues | ErrorKind::ArgumentConflict => {
            format!("argument en trop ou incompatible : {argument}{valeur}")
        }
        _ => e
            .to_string()
            .trim_start_matches("error: ")
            .trim()
            .to_string(),
    }
}

fn annee(texte: &str) -> Result<i32, String> {
    match texte.parse::<i32>() {
        Ok(a) if crate::model::ANNEES_POSSIBLES.contains(&a) => Ok(a),
        _ => Err("une année sur quatre chiffres est attendue, par exemple 2013".into()),
    }
}

fn date_iso(texte: &str) -> Result<time::Date, String> {
    if texte.len() == 10
        && texte.as_bytes()[4] == b'-'
        && let Ok(d) = crate::exports::valeurs::date(texte, false)
    {
        return Ok(d);
    }
    Err(format!(
        "« {texte} » n'est pas une date AAAA-MM-JJ valide, par exemple 2014-04-15"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
