#!/usr/bin/env python3
"""Writes the corpus of malformed and awkward exports used by tests/corpus.rs.

Each file stands for one export as coordinators send them: French Excel
(cp1252, `;`), LibreOffice (UTF-8, `,`), tools that write UTF-16, and the
mistakes of tired people. The expectations live in tests/corpus.rs.
Run from the repository: python3 tests/corpus/generer.py
"""
from pathlib import Path

ICI = Path(__file__).parent
A = "date;action;programme;public;personne;themes;quantite;categorie;montant"
S = "personne;public;programme;type;ouverture;cloture"
I = "annee;indicateur;valeur"

def lignes(*l, fin="\n"):
    return fin.join(l) + fin

BONNES = [
    "07/03/2013;contact;rue;femme;;;3;;",
    "08/03/2013;depistage;sante;trans;TLS-0001;vih;;;",
    "09/03/2013;entretien;droits;homme;TLS-0002;logement|droits_sociaux;;;",
]

CORPUS = {
    # --- Refused: encodings and structure --------------------------------
    "vide.csv": b"",
    "binaire.csv": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10",
    "utf16-sans-bom.csv": lignes(A, *BONNES).encode("utf-16-le"),
    "octet-indefini.csv": lignes(A, "07/03/2013;contact;rue;femme;;;;;", "08/03/2013;entretien;droits;femme;TLS-0001;d\x81marches;;;").encode("latin-1"),
    "melange-encodages.csv": lignes(A, "07/03/2013;entretien;droits;femme;TLS-0001;démarches;;;").encode("utf-8") + "08/03/2013;entretien;droits;femme;TLS-0002;démarches;;;\n".encode("cp1252"),
    "en-tete-seul-vide.csv": b";;;\n;;;\n",
    "colonne-date-manquante.csv": lignes("action;programme;public;personne", "contact;rue;femme;"),
    "en-tete-double.csv": lignes("date;action;programme;public;Date de l'action", "07/03/2013;contact;rue;femme;07/03/2013"),
    "champs-en-trop.csv": lignes(A, BONNES[0], "08/03/2013;contact;rue;femme;;;1;;;en trop"),
    "guillemet-non-ferme.csv": lignes(A, BONNES[0], '08/03/2013;contact;"rue;femme;;;1;;', BONNES[1], BONNES[2]),
    # --- Refused: values --------------------------------------------------
    "date-impossible.csv": lignes(A, BONNES[0], "31/02/2013;contact;rue;femme;;;1;;"),
    "date-en-lettres.csv": lignes(A, BONNES[0], BONNES[1], "hier;contact;rue;femme;;;1;;"),
    "date-annee-courte.csv": lignes(A, "07/03/13;contact;rue;femme;;;1;;"),
    "date-vide.csv": lignes(A, BONNES[0], ";contact;rue;femme;;;1;;"),
    "date-americaine.csv": lignes(A, "2013/03/07;contact;rue;femme;;;1;;"),
    "quantite-en-lettres.csv": lignes(A, "07/03/2013;contact;rue;femme;;;deux;;"),
    "quantite-nulle.csv": lignes(A, "07/03/2013;contact;rue;femme;;;0;;"),
    "quantite-decimale.csv": lignes(A, "07/03/2013;contact;rue;femme;;;1,5;;"),
    "montant-invalide.csv": lignes(A, "07/03/2013;aide;avq;femme;TLS-0001;;;alimentaire;45 euros"),
    "public-inconnu.csv": lignes(A, BONNES[0], "08/03/2013;contact;rue;Femmme;;;1;;"),
    "action-vide.csv": lignes(A, "07/03/2013;;rue;femme;;;1;;"),
    "plusieurs-erreurs.csv": lignes(A, "31/02/2013;contact;rue;femme;;;1;;", "08/03/2013;contact;rue;dame;;;1;;", "09/03/2013;contact;rue;femme;;;zéro;;"),
    "cellule-trop-longue.csv": lignes(A, "07/03/2013;contact;rue;femme;;" + "x" * 12000 + ";1;;"),
    # --- Refused: personal data -------------------------------------------
    "colonne-nom.csv": lignes("date;action;programme;public;Nom;Prénom", "07/03/2013;contact;rue;femme;Duval;Marie"),
    "colonne-telephone.csv": lignes(A + ";Téléphone", "07/03/2013;contact;rue;femme;;;1;;;06 11 22 33 44"),
    "telephone-dans-commentaire.csv": lignes(A + ";commentaire", "07/03/2013;contact;rue;femme;;;1;;;RAS", "08/03/2013;contact;rue;femme;;;1;;;rappeler au 06.11.22.33.44"),
    "email-dans-code.csv": lignes(A, "07/03/2013;entretien;droits;femme;marie.duval@example.org;;;;"),
    # --- Refused: other exports -------------------------------------------
    "suivis-ouverture-manquante.csv": lignes("personne;public;programme;type;cloture", "TLS-0001;femme;droits;asile;"),
    "suivis-cloture-invalide.csv": lignes(S, "TLS-0001;femme;droits;asile;01/02/2013;bientôt"),
    "suivis-date-de-naissance.csv": lignes(S + ";Date de naissance", "TLS-0001;femme;droits;asile;01/02/2013;;12/05/1980"),
    "indicateurs-annee-invalide.csv": lignes(I, "2O13;visites_site;16119"),
    "indicateurs-valeur-texte.csv": lignes(I, "2013;visites_site;16 119 visites"),
    "indicateurs-valeur-vide.csv": lignes(I, "2013;visites_site;"),
    "indicateurs-sans-valeur.csv": lignes("annee;indicateur", "2013;visites_site"),
    # --- Accepted: awkward but valid --------------------------------------
    "excel-cp1252.csv": lignes("Date de l'action;Type d'action;Programme;Sexe;Code personne;Thèmes;Quantité;Catégorie;Montant", "07/03/2013;Contact;Rue;F;;;3;;", "08/03/2013;Entretien;Droits;Femme trans;TLS-0001;Logement|Démarches;;;", "09/03/2013;Aide;AVQ;H;TLS-0002;;;Alimentaire;1 234,50", fin="\r\n").encode("cp1252"),
    "utf8-bom-virgules.csv": "\ufeff".encode() + lignes(A.replace(";", ","), *[b.replace(";", ",") for b in BONNES]).encode(),
    "utf16-bom.csv": lignes(A, *BONNES, fin="\r\n").encode("utf-16"),
    "tabulations.csv": lignes(A.replace(";", "\t"), *[b.replace(";", "\t") for b in BONNES]),
    "guillemets-et-retour-a-la-ligne.csv": lignes(A, BONNES[0], '08/03/2013;entretien;droits;femme;TLS-0001;"logement|\ndroits_sociaux";;;', '"09/03/2013";"contact";"rue";"femme";"";"";"2";"";""'),
    "lignes-vides-et-separateurs-en-fin.csv": lignes(A + ";", BONNES[0] + ";", "", ";;;;;;;;", BONNES[1] + ";;", "", BONNES[2]),
    "dates-courtes-permises.csv": lignes(A, "7/3/13;contact;rue;femme;;;1;;", "08/03/2013;contact;rue;femme;;;1;;"),
    "colonne-ignoree.csv": lignes(A + ";Nom;Téléphone", "07/03/2013;contact;rue;femme;;;1;;;Duval;06 11 22 33 44"),
    "colonnes-renommees.csv": lignes("Jour;Action;Lieu d'intervention;Public;personne;themes;quantite;categorie;montant", "07/03/2013;contact;rue;Fille;;;1;;"),
    "en-tete-seul.csv": lignes(A),
    "mac-roman.csv": lignes("Date de l'action;Type d'action;Programme;Sexe;Code personne;Thématiques;Quantité;Catégorie;Montant", "07/03/2013;Contact;Rue;F;;;3;;", "08/03/2013;Entretien;Droits;Femme trans;TLS-0001;Logement|Démarches;;;", "09/03/2013;Aide;AVQ;H;TLS-0002;;;Alimentaire;1 234,50", fin="\r").encode("mac-roman"),
    "dates-avec-heure.csv": lignes(A, "07/03/2013 14:30;contact;rue;femme;;;3;;", "2013-03-08 00:00:00;depistage;sante;trans;TLS-0001;vih;;;", "2013-03-09T10:15:00Z;entretien;droits;homme;TLS-0002;;;;"),
    "montant-monetaire.csv": lignes(A, "07/03/2013;aide;avq;femme;TLS-0001;;;alimentaire;63,00 €", "08/03/2013;aide;avq;trans;TLS-0002;;;alimentaire;1 234,50 €"),
    # --- Refused: encodings and dates that can only be guessed -------------
    "encodage-incertain.csv": lignes(A + ";lieu", "07/03/2013;contact;rue;femme;;;3;;;Local n° 2").encode("cp1252"),
    "date-numero-de-serie.csv": lignes(A, BONNES[0], "41340;contact;rue;femme;;;1;;"),
    # --- Accepted with warnings (rapport check) ---------------------------
    "doublons.csv": lignes(A, "08/03/2013;entretien;droits;femme;TLS-0001;;;;", BONNES[0], "08/03/2013;entretien;droits;femme;TLS-0001;;;;"),
    "date-hors-periode.csv": lignes(A, BONNES[0], "07/03/2031;contact;rue;femme;;;1;;"),
    "personne-deux-publics.csv": lignes(A, "07/03/2013;entretien;droits;femme;TLS-0001;;;;", "08/03/2013;entretien;droits;trans;TLS-0001;;;;"),
    "suivis-clos-avant-ouverture.csv": lignes(S, "TLS-0001;femme;droits;asile;01/06/2013;01/02/2013"),
    # --- The header: a title line above it, its limits --------------------
    "titre-au-dessus-de-l-en-tete.csv": lignes("Export du 12/01/2014", A, *BONNES, fin="\r\n").encode("cp1252"),
    "titre-et-virgules.csv": lignes("Activités 2013 - export LibreOffice", A.replace(";", ","), *[b.replace(";", ",") for b in BONNES]),
    "en-tete-trop-de-colonnes.csv": lignes(A + "".join(f";c{i}" for i in range(1, 601)), BONNES[0] + ";" * 600),
    "en-tete-nom-trop-long.csv": lignes(A + ";" + "n" * 300, BONNES[0] + ";"),
    "anonymes-colles-deux-fois.csv": lignes(A, *[f"{j:02d}/03/2013;contact;rue;femme;;;{q};;" for j in range(1, 13) for q in (1, 2)] * 2),
}

for nom, contenu in CORPUS.items():
    if isinstance(contenu, str):
        contenu = contenu.encode()
    (ICI / nom).write_bytes(contenu)
print(f"{len(CORPUS)} fichiers écrits dans {ICI}")
