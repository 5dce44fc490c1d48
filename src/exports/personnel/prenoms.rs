//! Common first names, to tell a name from a word in a cell: French ones,
//! and those of the people this kind of association meets (West Africa,
//! Nigeria, the Maghreb, Romania and Bulgaria, Latin America, China and
//! Vietnam). Written without accents or capitals, sorted for a binary
//! search. First names that are also common French words or place names
//! (Rose, Ange, Aurore, Victoire, France) are left out: the guard must not
//! take « France TERRE D'ASILE » for a person.

/// Whether `mot` (any case, accents or not) is a first name of the list;
/// `Jean-Pierre` is, by its first part.
pub(super) fn prenom_connu(mot: &str) -> bool {
    let plat = deunicode::deunicode(mot).to_lowercase();
    let premier = plat.split('-').next().unwrap_or("");
    PRENOMS.binary_search(&premier).is_ok() || PRENOMS.binary_search(&plat.as_str()).is_ok()
}

#[rustfmt::skip]
const PRENOMS: [&str; 461] = [
    "abdel", "abdelkader", "abdoulaye", "adaeze", "adam", "adrian", "adriana", "ahmed", "aicha",
    "aissatou", "alain", "alejandro", "alexandra", "alexandre", "alexandru", "alexei", "ali",
    "alice", "alina", "aliou", "alpha", "amadou", "amaka", "amal", "amel", "amina", "aminata",
    "ana", "anais", "anastasia", "andre", "andrea", "andreea", "andrei", "andrew", "angela", "anne",
    "anthony", "antoine", "antonio", "arthur", "asmaa", "assa", "astou", "audrey", "aurelie", "awa",
    "bakary", "beatriz", "benjamin", "bernard", "bianca", "binta", "bisi", "blessing", "bogdan",
    "boubacar", "brigitte", "bruna", "bruno", "bukola", "camila", "camille", "carla", "carlos",
    "carmen", "carolina", "caroline", "catalin", "catherine", "celine", "charles", "charlotte",
    "cheikh", "chinedu", "chioma", "chloe", "christian", "christiane", "christine", "christophe",
    "cindy", "claire", "clara", "claude", "claudia", "comfort", "constantin", "coumba", "cristian",
    "cristina", "cynthia", "daniel", "daniela", "daria", "david", "deborah", "denisa", "desislava",
    "diana", "diego", "dieynaba", "dimitar", "djeneba", "dmitri", "dolores", "doris", "ebere",
    "eduardo", "efe", "ekaterina", "elena", "elizabeth", "elodie", "emeka", "emilie", "emma",
    "emmanuel", "enzo", "eric", "ese", "esther", "eunice", "eva", "faith", "fanta", "farida",
    "fatima", "fatou", "fatoumata", "favour", "felipe", "felix", "femi", "fernanda", "fernando",
    "florence", "florentina", "florian", "florin", "folake", "francois", "francoise", "frederic",
    "funmilayo", "gabriel", "gabriela", "galina", "george", "georges", "georgi", "georgiana",
    "gerard", "gheorghe", "gift", "gladys", "gloria", "glory", "godwin", "grace", "guadalupe",
    "guillaume", "gustavo", "hajar", "hamid", "hanane", "hannah", "happiness", "hassan", "hawa",
    "helen", "henri", "houda", "hugo", "huong", "ibrahim", "ibrahima", "idrissa", "ifeoma",
    "ikechukwu", "ikram", "imane", "ines", "ioana", "ion", "ionut", "irene", "irina", "isabela",
    "isabelle", "issa", "ivan", "ivana", "ivie", "jacques", "jade", "james", "janet", "jaqueline",
    "jean", "jeanne", "jennifer", "jeremy", "jessica", "jing", "joao", "john", "jonathan", "jorge",
    "jose", "joseph", "josephine", "joy", "juan", "jules", "juliana", "julie", "julien", "juliet",
    "juliette", "justine", "kadiatou", "karim", "karima", "karine", "katarina", "kemi", "kenza",
    "kevin", "khadija", "kingsley", "ksenia", "kunle", "lamia", "lamine", "larisa", "larissa",
    "latifa", "laura", "laurence", "laurent", "lea", "leila", "leo", "leonardo", "leticia", "lina",
    "linda", "ling", "linh", "loredana", "lorena", "louis", "louise", "loveth", "luana", "lucas",
    "lucia", "luciana", "lucie", "ludmila", "luis", "lydia", "malika", "mamadou", "mame", "manon",
    "manuel", "marcel", "marcela", "marcos", "margaux", "maria", "mariam", "mariama", "marie",
    "marion", "marius", "mariya", "mark", "martine", "mary", "mathieu", "mathilde", "maxime",
    "mehdi", "mei", "melanie", "mercedes", "mercy", "meriem", "michael", "michel", "miguel",
    "mihaela", "mihai", "miriam", "modou", "mohamed", "mohammed", "monica", "monika", "monique",
    "moussa", "mustapha", "nabil", "nadejda", "nadia", "nafissatou", "naima", "naomi", "natalia",
    "nathalie", "nathan", "nawel", "ndeye", "ngoc", "ngozi", "nicolae", "nicolas", "nicole",
    "nikolai", "nneka", "oana", "oceane", "oksana", "olga", "olivier", "omar", "osagie", "osaretin",
    "osas", "oumar", "oumou", "ousmane", "paola", "pascal", "patience", "patricia", "patrick",
    "paul", "pauline", "paulo", "peace", "pedro", "peter", "petya", "philippe", "pierre", "pilar",
    "polina", "precious", "princess", "priscila", "priscilla", "quentin", "rachel", "rachid",
    "rachida", "radostina", "rafael", "rafaela", "ramatou", "ramona", "raphael", "razvan",
    "rebecca", "renata", "rene", "ricardo", "richard", "rita", "robert", "rodrigo", "roger",
    "rokia", "romain", "rosa", "roxana", "ruth", "sabrina", "said", "salimata", "salma", "samia",
    "samir", "samira", "samuel", "sanaa", "sandra", "sandrine", "sarah", "sebastien", "segun",
    "sekou", "sergei", "seydou", "sharon", "siham", "silviya", "simona", "sofia", "sokhna", "sonia",
    "sophie", "soraya", "sorin", "souad", "souleymane", "stefka", "stella", "stephane", "stephanie",
    "stephen", "success", "sunday", "susan", "svetlana", "sylvie", "tatiana", "tatiane", "thais",
    "theo", "thiago", "thierry", "thomas", "tina", "trang", "tunde", "uche", "valentina", "valerie",
    "vanessa", "vasile", "veronica", "veronique", "victor", "victoria", "viktoria", "vincent",
    "virginie", "vivian", "vladimir", "wafa", "william", "xiaoling", "xiaomei", "ximena", "yacouba",
    "yana", "yasmin", "yasmina", "yasmine", "yetunde", "ying", "youssef", "yulia", "zahra", "zineb",
    "zoe", "zohra",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_sorted_lowercase_without_accents_for_its_binary_search() {
        assert!(PRENOMS.windows(2).all(|p| p[0] < p[1]));
        assert!(
            PRENOMS
                .iter()
                .all(|p| p.bytes().all(|b| b.is_ascii_lowercase()))
        );
    }

    #[test]
    fn first_names_are_known_in_any_case_with_or_without_accents() {
        for p in [
            "Marie",
            "MARIE",
            "Élodie",
            "elodie",
            "Jean-Pierre",
            "Aïssatou",
            "Ngozi",
        ] {
            assert!(prenom_connu(p), "{p}");
        }
        for p in [
            "France", "Rose", "Toulouse", "Contact", "Rue", "Dupont", "VIH",
        ] {
            assert!(!prenom_connu(p), "{p}");
        }
    }
}
