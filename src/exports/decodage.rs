//! The text of an export decoded on the fly to UTF-8, whatever the
//! spreadsheet wrote: UTF-8, UTF-16 with BOM, Windows-1252 (French Excel),
//! Mac Roman (Excel for Mac's « CSV (Macintosh) »). Between the two 8-bit
//! ones, the French letters the bytes give decide; when they do not, the
//! file is refused rather than guessed. What none of them reads is an
//! error, never replaced.

use std::io::Read;
use std::path::Path;

use encoding_rs::Encoding;

use crate::error::Probleme;

/// Why the bytes of an export cannot be read as text, and where.
#[derive(Debug, Clone)]
pub struct ErreurDecodage {
    message: String,
    ligne: usize,
    attendu: &'static str,
    /// How to fix it, when not by saving the file again in UTF-8.
    correction: Option<&'static str>,
}

impl std::fmt::Display for ErreurDecodage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (ligne {})", self.message, self.ligne)
    }
}

impl std::error::Error for ErreurDecodage {}

impl ErreurDecodage {
    /// The problem shown for the file `affiche`.
    pub(super) fn probleme(&self, affiche: &Path) -> Probleme {
        Probleme::new(affiche, self.message.clone())
            .ligne(self.ligne)
            .attendu(self.attendu)
            .correction(
                self.correction.unwrap_or(
                    "ouvrez l'export dans le tableur et enregistrez-le en « CSV UTF-8 »",
                ),
            )
    }
}

/// Bytes read per chunk, and looked at to tell the encoding.
const MORCEAU: usize = 1 << 16;

/// The longest line given out, in bytes of UTF-8 (1 Mio): a longer one is
/// an error before it is held in memory, whatever the CSV reader would do.
pub const LIGNE_MAX: usize = 1024 * 1024;

/// The text of an export, decoded on the fly to UTF-8: UTF-8 (with or
/// without BOM), UTF-16 with BOM, or else Windows-1252, what French Excel
/// writes. The encoding is told from the BOM or the first 64 Kio. Bytes that
/// none of them can read, and control characters, are an error, never replaced.
pub struct Decodeur {
    source: Box<dyn Read + Send>,
    decodeur: encoding_rs::Decoder,
    pub encodage: &'static Encoding,
    entree: Vec<u8>,
    debut_entree: usize,
    sortie: Vec<u8>,
    debut_sortie: usize,
    fin: bool,
    /// The decoder was told the input ended: nothing more to decode.
    termine: bool,
    /// Line breaks given out so far: the line of an error.
    lignes: usize,
    /// Bytes given out since the last line break.
    depuis_saut: usize,
    /// The chunk given out last ended with `\r`: a `\n` starting the next
    /// one ends the same line.
    cr_en_suspens: bool,
    /// The last byte given out, if any.
    dernier: Option<u8>,
    /// Bytes read from the source so far.
    pub octets_lus: u64,
}

impl Decodeur {
    /// Reads the first chunk of `source` and settles the encoding: its BOM,
    /// else `impose` (the model's `encodage`), else what its bytes show.
    pub fn new(
        mut source: Box<dyn Read + Send>,
        impose: Option<&'static Encoding>,
    ) -> Result<Decodeur, ErreurDecodage> {
        let mut entree = vec![0; MORCEAU];
        let mut lus = 0;
        while lus < MORCEAU {
            match source.read(&mut entree[lus..]) {
                Ok(0) => break,
                Ok(n) => lus += n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    return Err(ErreurDecodage {
                        message: format!("lecture impossible ({e})"),
                        ligne: 1,
                        attendu: "un fichier lisible",
                        correction: None,
                    });
                }
            }
        }
        entree.truncate(lus);
        let ligne_de = |octets: &[u8], i: usize| sauts(&octets[..i]) + 1;
        let (encodage, debut) = match (encoding_rs::Encoding::for_bom(&entree), impose) {
            (Some((e, n)), _) => (e, n),
            (None, Some(e)) => (e, 0),
            (None, None) => match std::str::from_utf8(&entree) {
                // Valid, or cut in the middle of a character at the end of the chunk.
                Ok(_) => (encoding_rs::UTF_8, 0),
                Err(e) if e.error_len().is_none() => (encoding_rs::UTF_8, 0),
                Err(e) => {
                    let position = e.valid_up_to();
                    // Valid UTF-8 before the first bad byte means two encodings were mixed.
                    if entree[..position].iter().any(|b| *b >= 0x80) {
                        return Err(ErreurDecodage {
                            message: "le fichier mélange deux encodages : UTF-8 au début, autre chose ensuite".into(),
                            ligne: ligne_de(&entree, position),
                            attendu: "un seul encodage pour tout le fichier",
                            correction: None,
                        });
                    }
                    (huit_bits(&entree)?, 0)
                }
            },
        };
        let mut decodeur = Decodeur::a_partir(source, encodage, 0);
        // The first chunk, already read, is decoded first (after its BOM).
        decodeur.entree = entree;
        decodeur.debut_entree = debut;
        decodeur.octets_lus = lus as u64;
        Ok(decodeur)
    }

    /// The text of `source`, the rest of an export from one of its line
    /// starts on, in the export's encoding `encodage` (no BOM looked for);
    /// `lignes` line ends come before it, for the lines errors name.
    pub fn a_partir(
        source: Box<dyn Read + Send>,
        encodage: &'static Encoding,
        lignes: usize,
    ) -> Decodeur {
        Decodeur {
            source,
            decodeur: encodage.new_decoder_without_bom_handling(),
            encodage,
            entree: Vec::new(),
            debut_entree: 0,
            sortie: Vec::with_capacity(MORCEAU * 3 + 16),
            debut_sortie: 0,
            fin: false,
            termine: false,
            lignes,
            depuis_saut: 0,
            cr_en_suspens: false,
            dernier: None,
            octets_lus: 0,
        }
    }

    /// The line ends given out so far (those before the text included).
    pub fn lignes(&self) -> usize {
        self.lignes
    }

    /// The beginning of the decoded text (at least the first line, when it fits in a chunk).
    pub fn debut(&mut self) -> Result<&str, ErreurDecodage> {
        if self.debut_sortie == self.sortie.len() {
            self.remplir()?;
        }
        let texte = &self.sortie[self.debut_sortie..];
        Ok(match std::str::from_utf8(texte) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&texte[..e.valid_up_to()]).unwrap_or(""),
        })
    }

    /// Decodes the next chunk into `sortie`.
    fn remplir(&mut self) -> Result<(), ErreurDecodage> {
        self.sortie.clear();
        self.debut_sortie = 0;
        let resultat = self.decoder_morceau();
        if resultat.is_err() {
            // Nothing of a chunk that holds an error is given out.
            self.sortie.clear();
            self.termine = true;
        }
        resultat
    }

    fn decoder_morceau(&mut self) -> Result<(), ErreurDecodage> {
        while self.sortie.is_empty() && !self.termine {
            if self.debut_entree == self.entree.len() && !self.fin {
                self.entree.resize(MORCEAU, 0);
                let n = loop {
                    match self.source.read(&mut self.entree) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            return Err(ErreurDecodage {
                                message: format!("lecture impossible ({e})"),
                                ligne: self.lignes + 1,
                                attendu: "un fichier lisible",
                                correction: None,
                            });
                        }
                    }
                };
                self.entree.truncate(n);
                self.octets_lus += n as u64;
                self.debut_entree = 0;
                self.fin = n == 0;
            }
            let dernier = self.fin;
            let place = self
                .decodeur
                .max_utf8_buffer_length_without_replacement(self.entree.len() - self.debut_entree)
                .unwrap_or(MORCEAU * 3)
                .max(16);
            self.sortie.resize(place, 0);
            let (resultat, lus, ecrits) = self.decodeur.decode_to_utf8_without_replacement(
                &self.entree[self.debut_entree..],
                &mut self.sortie,
                dernier,
            );
            self.debut_entree += lus;
            self.sortie.truncate(ecrits);
            self.fins_de_ligne();
            if dernier && self.debut_entree == self.entree.len() {
                self.termine = true;
            }
            if let encoding_rs::DecoderResult::Malformed(_, _) = resultat {
                let ligne = self.lignes + sauts(&self.sortie) + 1;
                return Err(if self.encodage == encoding_rs::UTF_8 {
                    ErreurDecodage {
                        message: "le fichier mélange deux encodages : UTF-8 au début, autre chose ensuite".into(),
                        ligne,
                        attendu: "un seul encodage pour tout le fichier",
                        correction: None,
                    }
                } else {
                    ErreurDecodage {
                        message: format!(
                            "le fichier contient des octets invalides en {}",
                            nom_clair(self.encodage)
                        ),
                        ligne,
                        attendu: "un fichier texte en UTF-8, UTF-16 (avec BOM), Windows-1252 ou Mac Roman",
                        correction: None,
                    }
                });
            }
            // Control characters (NUL, C1…) mean a binary file, or UTF-16 without BOM.
            let s = &self.sortie;
            if let Some(i) = premier_controle(s) {
                return Err(ErreurDecodage {
                    message: "le fichier contient des caractères de contrôle : ce n'est pas un export texte (fichier binaire, ou UTF-16 sans BOM)".into(),
                    ligne: self.lignes + sauts(&s[..i]) + 1,
                    attendu: "un fichier CSV (texte) en UTF-8, UTF-16 avec BOM ou Windows-1252",
                    correction: None,
                });
            }
            self.ligne_bornee()?;
            self.lignes += sauts(&self.sortie);
        }
        Ok(())
    }
}

/// The 8-bit encoding of `octets` (not UTF-8): Windows-1252 or Mac Roman,
/// whichever reads more of its bytes as the French letters around them;
/// refused when neither does, or both as well.
fn huit_bits(octets: &[u8]) -> Result<&'static Encoding, ErreurDecodage> {
    let windows = lettres_francaises(octets, encoding_rs::WINDOWS_1252);
    let mac = lettres_francaises(octets, encoding_rs::MACINTOSH);
    // Windows-1252 leaves five bytes undefined.
    let indefini = octets
        .iter()
        .position(|b| matches!(b, 0x81 | 0x8D | 0x8F | 0x90 | 0x9D));
    let ligne = |i: usize| octets[..i].iter().filter(|b| **b == b'\n').count() + 1;
    match (windows, mac, indefini) {
        (_, m, Some(_)) if m > 0 => Ok(encoding_rs::MACINTOSH),
        (_, _, Some(i)) => Err(ErreurDecodage {
            message: format!(
                "l'octet 0x{:02X} n'est valide ni en UTF-8 ni en Windows-1252, et le fichier ne ressemble pas non plus à du Mac Roman",
                octets[i]
            ),
            ligne: ligne(i),
            attendu: "un fichier texte en UTF-8, UTF-16 (avec BOM), Windows-1252 ou Mac Roman",
            correction: None,
        }),
        (w, m, None) if w > m => Ok(encoding_rs::WINDOWS_1252),
        (w, m, None) if m > w => Ok(encoding_rs::MACINTOSH),
        _ => {
            let i = octets.iter().position(|b| *b >= 0x80).unwrap_or(0);
            Err(ErreurDecodage {
                message: "l'encodage du fichier ne peut pas être reconnu avec certitude : ses caractères accentués se lisent aussi bien en Windows-1252 (Excel pour Windows) qu'en Mac Roman (Excel pour Mac)".into(),
                ligne: ligne(i),
                attendu: "un fichier en UTF-8, ou un encodage déclaré dans le modèle",
                correction: Some(
                    "enregistrez l'export en « CSV UTF-8 », ou déclarez son encodage dans rapport.toml : [exports.activites] encodage = \"windows-1252\" (Excel pour Windows) ou \"mac-roman\" (Excel pour Mac)",
                ),
            })
        }
    }
}

/// How many of the non-ASCII bytes of `octets` read, in `encodage`, as a
/// French letter (or apostrophe) that fits the letters beside it: two
/// points when its case matches theirs, one otherwise.
fn lettres_francaises(octets: &[u8], encodage: &'static Encoding) -> usize {
    const FRANCAISES: &str = "àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ’";
    let mut points = 0;
    for (i, &b) in octets.iter().enumerate() {
        if b < 0x80 {
            continue;
        }
        let (texte, _) = encodage.decode_without_bom_handling(std::slice::from_ref(&b));
        let Some(c) = texte.chars().next() else {
            continue;
        };
        if !FRANCAISES.contains(c) {
            continue;
        }
        let avant = i.checked_sub(1).map(|j| octets[j]);
        let apres = octets.get(i + 1).copied();
        let voisins = [avant, apres];
        let lettre = |v: &Option<u8>| v.is_some_and(|b| b.is_ascii_alphabetic() || b >= 0x80);
        if !voisins.iter().any(lettre) {
            continue;
        }
        let minuscule = voisins.iter().flatten().any(u8::is_ascii_lowercase);
        let accord = if c == '’' {
            voisins.iter().all(lettre)
        } else {
            c.is_lowercase() == minuscule
        };
        points += if accord { 2 } else { 1 };
    }
    points
}

/// The encoding `nom` of the model's `encodage` setting, if it is one.
pub fn encodage_declare(nom: &str) -> Option<&'static Encoding> {
    let n = crate::fr::normalise(nom).replace(['_', ' '], "-");
    match n.as_str() {
        "mac" | "macintosh" | "mac-roman" | "macroman" => Some(encoding_rs::MACINTOSH),
        "windows" | "excel" | "ansi" | "cp1252" => Some(encoding_rs::WINDOWS_1252),
        "utf8" => Some(encoding_rs::UTF_8),
        _ => Encoding::for_label(n.as_bytes()),
    }
}

/// The names the `encodage` setting accepts, for messages.
pub const ENCODAGES_DECLARES: &str =
    "« utf-8 », « windows-1252 », « mac-roman », « utf-16 », « iso-8859-15 »";

/// An encoding in words a coordinator knows: where such files come from.
pub fn nom_clair(e: &'static Encoding) -> String {
    if e == encoding_rs::WINDOWS_1252 {
        "Windows-1252 (l'encodage d'Excel pour Windows en français)".into()
    } else if e == encoding_rs::MACINTOSH {
        "Mac Roman (le « CSV (Macintosh) » d'Excel pour Mac)".into()
    } else if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE {
        "UTF-16 (le « Texte Unicode » d'Excel)".into()
    } else if e == encoding_rs::UTF_8 {
        "UTF-8".into()
    } else {
        e.name().into()
    }
}

impl Decodeur {
    /// Every line end of the chunk just decoded as one `\n`: `\r\n`
    /// (Windows) and a lone `\r` (old Mac) alike, so that the CSV reader
    /// counts lines where an editor does (it counts `\n` only, and a `\n`
    /// left after a `\r` ending a record would be counted with the next one).
    fn fins_de_ligne(&mut self) {
        let suite = self.cr_en_suspens && self.sortie.first() == Some(&b'\n');
        if !suite && !self.sortie.contains(&b'\r') {
            self.cr_en_suspens = false;
            return;
        }
        self.cr_en_suspens = self.sortie.last() == Some(&b'\r');
        // In place: the text only gets shorter.
        let s = &mut self.sortie;
        let (mut lu, mut ecrit) = (usize::from(suite), 0);
        while lu < s.len() {
            if s[lu] == b'\r' {
                s[ecrit] = b'\n';
                if s.get(lu + 1) == Some(&b'\n') {
                    lu += 1;
                }
            } else {
                s[ecrit] = s[lu];
            }
            lu += 1;
            ecrit += 1;
        }
        s.truncate(ecrit);
    }

    /// Fails when the chunk just decoded makes a line longer than [`LIGNE_MAX`].
    fn ligne_bornee(&mut self) -> Result<(), ErreurDecodage> {
        let s = &self.sortie;
        let (avant, apres) = match (
            s.iter().position(|b| *b == b'\n'),
            s.iter().rposition(|b| *b == b'\n'),
        ) {
            (Some(premier), Some(dernier)) => (premier, s.len() - dernier - 1),
            _ => (s.len(), self.depuis_saut + s.len()),
        };
        // A chunk is far shorter than the limit: only the line that spans chunks can pass it.
        if self.depuis_saut + avant > LIGNE_MAX || apres > LIGNE_MAX {
            return Err(ErreurDecodage {
                message: format!(
                    "la ligne dépasse {} Mio : ce n'est pas une ligne d'export",
                    LIGNE_MAX / (1024 * 1024)
                ),
                ligne: self.lignes + 1,
                attendu: "des lignes d'au plus 1 Mio (une ligne d'export en fait quelques centaines d'octets)",
                correction: Some(
                    "ouvrez le fichier dans un tableur : s'il n'a qu'une ligne immense, les fins de ligne ont été perdues ; enregistrez-le de nouveau en CSV",
                ),
            });
        }
        self.depuis_saut = apres;
        Ok(())
    }
}

/// How many line feeds `s` holds.
fn sauts(s: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', s).count()
}

/// Whether `b` is a control character of C0 that a text export never holds
/// (all but tab and line ends).
fn controle_c0(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

/// Where the first control character of `s` is, if any: a C0 one but tab
/// and line ends, or a C1 one (U+0080 to U+009F, `C2 80` to `C2 9F` in
/// UTF-8).
///
/// By blocks of 64 bytes, first a test without branches that the compiler
/// makes a few vector instructions (a byte below 0x20 but tab and line
/// ends, or a `C2`), then the exact test in a block that may hold one:
/// byte by byte, this scan was most of the decoding of a UTF-8 export.
fn premier_controle(s: &[u8]) -> Option<usize> {
    const BLOC: usize = 64;
    for (k, bloc) in s.chunks(BLOC).enumerate() {
        let suspect = bloc.iter().fold(0u8, |m, &b| {
            m | u8::from(controle_c0(b)) | u8::from(b == 0xC2)
        });
        if suspect == 0 {
            continue;
        }
        let debut = k * BLOC;
        let trouve = (debut..debut + bloc.len()).find(|&i| {
            controle_c0(s[i])
                || (s[i] == 0xC2 && s.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
        });
        if trouve.is_some() {
            return trouve;
        }
    }
    None
}

impl Read for Decodeur {
    fn read(&mut self, tampon: &mut [u8]) -> std::io::Result<usize> {
        if self.debut_sortie == self.sortie.len() {
            self.remplir()
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            // The text ends with a line end, as every line does.
            if self.sortie.is_empty() && self.dernier.is_some_and(|b| b != b'\n') {
                self.sortie.push(b'\n');
            }
        }
        let n = tampon.len().min(self.sortie.len() - self.debut_sortie);
        tampon[..n].copy_from_slice(&self.sortie[self.debut_sortie..self.debut_sortie + n]);
        self.debut_sortie += n;
        if n > 0 {
            self.dernier = Some(tampon[n - 1]);
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoder(octets: &[u8]) -> Result<String, ErreurDecodage> {
        let mut d = Decodeur::new(Box::new(std::io::Cursor::new(octets.to_vec())), None)?;
        let mut texte = String::new();
        d.read_to_string(&mut texte).map_err(|e| {
            e.into_inner()
                .and_then(|i| i.downcast::<ErreurDecodage>().ok())
                .map(|b| *b)
                .expect("une erreur de décodage")
        })?;
        Ok(texte)
    }

    #[test]
    fn a_line_longer_than_the_limit_is_refused_at_its_line() {
        let mut octets = b"date;action\n".to_vec();
        octets.extend(std::iter::repeat_n(b'x', LIGNE_MAX));
        octets.push(b'\n');
        assert_eq!(decoder(&octets).unwrap().len(), octets.len());
        octets.truncate(octets.len() - 1);
        octets.extend(b"xx\nfin\n");
        let e = decoder(&octets).unwrap_err();
        assert_eq!(e.ligne, 2);
        assert!(e.message.contains("dépasse 1 Mio"), "{e}");
    }

    #[test]
    fn undefined_windows_1252_bytes_and_mixed_encodings_are_refused() {
        assert_eq!(decoder(b"date;action\n\x81\n").unwrap_err().ligne, 2);
        let melange: Vec<u8> = "é;\n".bytes().chain(*b"\xe9\n").collect();
        assert!(decoder(&melange).unwrap_err().message.contains("mélange"));
        assert_eq!(decoder(b"th\xe8me\n").unwrap(), "thème\n");
    }

    #[test]
    fn decoding_spans_chunks_and_finds_a_late_bad_byte_at_its_line() {
        // A two-byte character cut by the chunk boundary, then a bad byte far below.
        let mut octets = vec![b'a'; MORCEAU - 1];
        octets.extend("é\n".as_bytes());
        for _ in 0..5000 {
            octets.extend(b"ligne;valeur\n");
        }
        assert_eq!(decoder(&octets).unwrap().len(), octets.len());
        octets.extend(b"fin \xe9\n");
        let e = decoder(&octets).unwrap_err();
        assert!(e.message.contains("mélange"), "{e}");
        assert_eq!(e.ligne, 5002);
    }

    #[test]
    fn utf16_with_a_byte_order_mark_and_control_characters_are_told_apart() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("date;é\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decoder(&utf16).unwrap(), "date;é\n");
        let sans_bom: Vec<u8> = "date\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert!(decoder(&sans_bom).unwrap_err().message.contains("contrôle"));
    }

    #[test]
    fn mac_roman_is_told_from_windows_1252_by_the_french_letters_it_gives() {
        // « Thématiques ; Accès aux droits ; l’équipe » as Excel for Mac and for Windows write it.
        let texte = "Thématiques;Accès aux droits;l’équipe\n";
        let (mac, _, _) = encoding_rs::MACINTOSH.encode(texte);
        let (windows, _, _) = encoding_rs::WINDOWS_1252.encode(texte);
        assert_eq!(decoder(&mac).unwrap(), texte);
        assert_eq!(decoder(&windows).unwrap(), texte);
        // « é » alone in Mac Roman is « Ž » in Windows-1252: the letters decide.
        assert_eq!(decoder(b"Th\x8Ematiques\n").unwrap(), "Thématiques\n");
    }

    #[test]
    fn bytes_that_both_encodings_read_without_a_french_letter_are_refused_not_guessed() {
        // 0xB0 is « ° » in Windows-1252 and « ∞ » in Mac Roman: no letter to decide.
        let e = decoder(b"date;num\n01/02/2013;N \xB0 3\n").unwrap_err();
        assert!(e.message.contains("avec certitude"), "{e}");
        assert_eq!(e.ligne, 2);
    }

    #[test]
    fn a_declared_encoding_is_used_as_declared() {
        let mut d = Decodeur::new(
            Box::new(std::io::Cursor::new(b"N \xB0 3\n".to_vec())),
            encodage_declare("windows-1252"),
        )
        .unwrap();
        let mut texte = String::new();
        d.read_to_string(&mut texte).unwrap();
        assert_eq!(texte, "N ° 3\n");
        assert_eq!(encodage_declare("Mac Roman"), Some(encoding_rs::MACINTOSH));
        assert_eq!(encodage_declare("latin1"), Some(encoding_rs::WINDOWS_1252));
        assert_eq!(encodage_declare("klingon"), None);
    }

    #[test]
    fn windows_and_old_mac_line_ends_are_given_out_as_one_line_feed_even_across_chunks() {
        assert_eq!(decoder(b"a;b\r\n1;2\r\n").unwrap(), "a;b\n1;2\n");
        assert_eq!(decoder(b"a;b\r1;2\r").unwrap(), "a;b\n1;2\n");
        // A \r\n cut by the end of a chunk is one line end, not two.
        let mut octets = vec![b'a'; MORCEAU - 1];
        octets.extend(b"\r\nb\r\n");
        let texte = decoder(&octets).unwrap();
        assert_eq!(
            texte.matches('\n').count(),
            2,
            "{:?}",
            &texte[texte.len() - 4..]
        );
    }

    #[test]
    fn control_characters_are_found_where_a_byte_by_byte_scan_finds_them() {
        // What the scan by blocks must give, written from the definition.
        let un_par_un = |s: &[u8]| {
            s.iter().enumerate().position(|(i, &b)| {
                (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
                    || (b == 0xC2 && s.get(i + 1).is_some_and(|n| (0x80..=0x9F).contains(n)))
            })
        };
        let mut graine =
            <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(0x2545_f491_4f6c_dd1du64);
        let mut hasard = move || rand::RngCore::next_u64(&mut graine);
        // Text with tabs, line ends, `C2` followed by what is and is not a
        // C1 character, at every place around the blocks' edges.
        let rares = [
            b'\t', b'\n', b'\r', 0xC2, 0xC2, 0x85, 0xA0, 0x9F, 0x80, 0x00, 0x1F, 0x7F,
        ];
        let mut trouves = 0;
        for n in [0, 1, 63, 64, 65, 127, 128, 129, 200, 1000] {
            for _ in 0..300 {
                let mut s: Vec<u8> = (0..n).map(|_| b'a' + (hasard() % 26) as u8).collect();
                for _ in 0..hasard() % 4 {
                    if n > 0 {
                        let i = (hasard() as usize) % n;
                        s[i] = rares[(hasard() as usize) % rares.len()];
                    }
                }
                let attendu = un_par_un(&s);
                trouves += usize::from(attendu.is_some());
                assert_eq!(premier_controle(&s), attendu, "{s:?}");
                assert_eq!(sauts(&s), s.iter().filter(|b| **b == b'\n').count());
            }
        }
        for i in [62, 63, 64, 127] {
            let mut s = vec![b'a'; 130];
            s[i] = 0xC2;
            s[i + 1] = 0x85;
            assert_eq!(premier_controle(&s), Some(i));
            s[i + 1] = 0xA0;
            assert_eq!(premier_controle(&s), None);
        }
        assert!(trouves > 500, "{trouves}");
    }
}
