//! A small hand-written trilingual list of everyday news words, used as anchors.
//!
//! # Idea
//! Arabic shares almost no spelling with French and English, but every article says *when*
//! (days, months, "yesterday"), *how many* (number words: `ثلاثة` = `trois` = `three` = `3`)
//! and *who* in generic words (president, government, police, children). A few hundred such
//! forms, written once by hand from general knowledge (not learnt from any corpus), give the
//! Arabic pairs anchors in sentences without names or digits.
//!
//! # Matching
//! Forms are keys (see [`crate::normalize`]). A form matches a word key that *starts with* it
//! (`presiden` matches `president`, `presidente`, `presidential`) unless it ends in `$`, which
//! asks for the whole word. Arabic words are also tried without their proclitics (`والرئيس` →
//! `رئيس`), and an Arabic form allows at most two more letters (suffixes: `رئيسه`, `اطفال`).
//! Number words map to [`super::anchors::AnchorKind::Number`] anchors so that `trois` meets `3`.

use crate::lang::Lang;
use crate::normalize::Token;

/// `(concept, arabic forms, french forms, english forms)`; forms are `|`-separated.
/// A concept that is a number is written as its digits.
const WORDS: &[(&str, &str, &str, &str)] = &[
    // numbers
    ("1", "واحد$|واحده$", "", ""),
    ("2", "اثنان$|اثنين$|اثنتين$|اثنتان$", "deux$", "two$"),
    ("3", "ثلاث$|ثلاثه$", "trois$", "three$"),
    ("4", "اربع$|اربعه$", "quatre$", "four$"),
    ("5", "خمس$|خمسه$", "cinq$", "five$"),
    ("6", "ست$|سته$", "six$", "six$"),
    ("7", "سبع$|سبعه$", "sept$", "seven$"),
    ("8", "ثماني|ثمان$", "huit$", "eight$"),
    ("9", "تسع$|تسعه$", "neuf$", "nine$"),
    ("10", "عشر$|عشره$", "dix$", "ten$"),
    ("20", "عشرين$|عشرون$", "vingt$", "twenty$"),
    ("100", "مئه$|مائه$|مئات$", "cent$|cents$|centaine", "hundred"),
    ("1000", "الف$|الاف$", "mille$|milliers$", "thousand"),
    ("1000000", "مليون|ملايين", "million", "million"),
    ("1000000000", "مليار", "milliard", "billion"),
    // time
    ("monday", "الاثنين$", "lundi", "monday"),
    ("tuesday", "الثلاثاء$", "mardi", "tuesday"),
    ("wednesday", "الاربعاء$", "mercredi", "wednesday"),
    ("thursday", "الخميس$", "jeudi", "thursday"),
    ("friday", "الجمعه$", "vendredi", "friday"),
    ("saturday", "السبت$", "samedi", "saturday"),
    ("sunday", "الاحد$", "dimanche", "sunday"),
    ("january", "يناير|كانون الثاني", "janvier", "january"),
    ("february", "فبراير|شباط", "fevrier", "february"),
    ("march", "مارس$|اذار", "mars$", "march$"),
    ("april", "ابريل|نيسان", "avril", "april"),
    ("may", "مايو|ايار", "mai$", ""),
    ("june", "يونيو|حزيران", "juin$", "june$"),
    ("july", "يوليو|تموز", "juillet", "july$"),
    ("august", "اغسطس|اب$", "aout$", "august$"),
    ("september", "سبتمبر|ايلول", "septembre", "september"),
    ("october", "اكتوبر|تشرين الاول", "octobre", "october"),
    ("november", "نوفمبر|تشرين الثاني", "novembre", "november"),
    ("december", "ديسمبر|كانون الاول", "decembre", "december"),
    ("year", "عام$|اعوام$|سنه$|سنوات$|سنوي", "an$|ans$|annee|annuel", "year"),
    ("month", "شهر$|اشهر$|شهور$", "mois$|mensuel", "month"),
    ("week", "اسبوع|اسابيع", "semaine", "week"),
    ("day", "يوم$|ايام$", "jour$|jours$|journee", "day$|days$"),
    ("hour", "ساعه$|ساعات$", "heure", "hour"),
    ("minute", "دقيقه$|دقائق$", "minute", "minute"),
    ("today", "اليوم$", "aujourd", "today"),
    ("yesterday", "امس$", "hier$", "yesterday"),
    ("tomorrow", "غدا$", "demain", "tomorrow"),
    ("morning", "صباح", "matin", "morning"),
    ("night", "ليل$|ليله$|مساء", "nuit|soir", "night|evening"),
    // people and institutions
    ("president", "رئيس", "presiden", "presiden"),
    ("minister", "وزير|وزراء", "ministre", "minister"),
    ("ministry", "وزاره", "ministere", "ministry|department$"),
    ("government", "حكومه|حكومي", "gouvernement", "government"),
    ("police", "شرطه", "police|policier", "police"),
    ("security", "امن$|امني", "securite|surete", "security"),
    ("army", "جيش|عسكري", "armee|militaire", "army|military"),
    ("court", "محكمه|قاضي", "tribunal|cour$|juge$", "court$|judge"),
    ("king", "ملك$|ملكي", "roi$|royal", "king$|royal"),
    ("parliament", "برلمان|مجلس النواب", "parlement", "parliament"),
    ("party", "حزب|احزاب", "parti$|partis$", "party$|parties$"),
    ("election", "انتخاب", "election|elu$|elus$", "election|elected"),
    ("vote", "تصويت|صوت$|اصوات", "vote$|votes$|voter|scrutin", "vote$|votes$|voted|voting"),
    ("law", "قانون|قوانين", "loi$|lois$|juridique", "law$|laws$|legal"),
    ("country", "بلد$|بلاد$|دوله$|دول$", "pays$|etat$|etats$", "country|countries|state$|states$|nation$"),
    ("city", "مدينه$|مدن$", "ville", "city|cities|town"),
    ("world", "عالم$|عالمي", "monde|mondial", "world"),
    ("people", "ناس$|اشخاص$|شخص$|سكان", "gens$|personne", "people|person|residents"),
    ("child", "طفل|اطفال", "enfant", "child"),
    ("woman", "امراه|نساء|سيده", "femme", "woman|women"),
    ("man", "رجل$|رجال$", "homme", "man$|men$"),
    ("family", "عائله|اسره", "famille", "family|families"),
    ("student", "طالب|طلاب", "etudiant|eleve", "student|pupil"),
    ("school", "مدرسه|مدارس", "ecole|scolaire", "school"),
    ("university", "جامعه$|جامعات$", "universit", "universit"),
    ("hospital", "مستشفي", "hopita", "hospital"),
    ("doctor", "طبيب|اطباء", "medecin|docteur", "doctor|physician"),
    ("company", "شركه|شركات", "societe|entreprise|compagnie", "company|companies|firm$"),
    ("team", "فريق", "equipe", "team"),
    ("player", "لاعب", "joueur", "player"),
    ("match", "مباراه|مباريات", "match", "match|game$|games$"),
    ("club", "نادي", "club$", "club$"),
    ("police_officer", "ضابط", "officier", "officer"),
    // things and events
    ("percent", "بالمئه|بالمائه|المئه$", "pour cent|pourcent", "percent|per cent"),
    ("dollar", "دولار", "dollar", "dollar"),
    ("euro", "يورو", "euro$|euros$", "euro$|euros$"),
    ("pound", "جنيه", "livre$|livres$", "pound$|pounds$"),
    ("price", "سعر|اسعار", "prix$", "price"),
    ("money", "مال$|اموال", "argent$", "money"),
    ("water", "مياه|ماء$", "eau$|eaux$", "water"),
    ("rain", "مطر|امطار", "pluie|pluvi|precipitation", "rain|precipitation"),
    ("weather", "طقس", "meteo", "weather"),
    ("temperature", "حراره", "temperature", "temperature"),
    ("fire", "حريق|حرائق|نار$", "incendie|feu$", "fire"),
    ("death", "موت|وفاه|قتل|قتلي", "mort$|morts$|deces|tue$|tues$|tuee", "death|dead$|died|killed|kill$"),
    ("attack", "هجوم|هجمات", "attaque|attentat", "attack"),
    ("war", "حرب", "guerre", "war$|wars$"),
    ("car", "سياره|سيارات", "voiture|vehicule", "car$|cars$|vehicle"),
    ("plane", "طائره|طائرات", "avion", "plane$|planes$|aircraft"),
    ("airport", "مطار", "aeroport", "airport"),
    ("phone", "هاتف|هواتف", "telephone", "phone"),
    ("video", "فيديو", "video", "video"),
    ("film", "فيلم|افلام", "film$|films$", "film$|films$|movie"),
    ("music", "موسيقي", "musique", "music"),
    ("song", "اغنيه|اغاني", "chanson", "song$|songs$"),
    ("album", "البوم", "album", "album"),
    ("book", "كتاب$|كتب$", "livre$|livres$", "book$|books$"),
    ("house", "منزل|منازل|بيت$", "maison", "house|home$|homes$"),
    ("health", "صحه$|صحي", "sante|sanitaire", "health"),
    ("study", "دراسه", "etude$|etudes$", "study$|studies$"),
    ("research", "بحث$|ابحاث|باحث", "recherche|chercheur", "research"),
    ("report", "تقرير", "rapport", "report"),
    ("statement", "بيان", "communique|declaration", "statement"),
    ("investigation", "تحقيق", "enquete", "investigation|inquiry"),
    ("prison", "سجن", "prison", "prison|jail"),
    ("north", "شمال", "nord$", "north"),
    ("south", "جنوب", "sud$", "south"),
    ("east", "شرق", "orient", "east$|eastern"),
    ("west", "غرب", "ouest|occident", "west$|western"),
    ("first", "اول$|اولي$", "premier|premiere", "first$"),
    ("second", "ثاني$|ثانيه$", "deuxieme|second", "second$"),
    ("last", "اخير|ماضي", "dernier|derniere", "last$|latest|past$"),
    ("new", "جديد", "nouveau|nouvel|nouvelle", "new$"),
    ("big", "كبير", "grand$|grande$|grands$|grandes$", "big$|large$|major$"),
    ("said", "قال$|قالت$|اوضح|اضاف|اكد", "a dit|declare|affirme|ajoute|explique", "said$|says$|added$|told$"),
    ("question", "سؤال|اسئله", "question", "question"),
    ("american", "امريكي|امريكا|اميركي|اميركا", "americain|amerique", "america"),
    ("british", "بريطاني|بريطانيا", "britanni|royaume-uni", "britain|british|uk$"),
    ("french", "فرنسي|فرنسا", "france|francais", "france|french"),
    ("european", "اوروب", "europe", "europe"),
    ("international", "دولي$|دوليه$", "international", "international"),
    ("national", "وطني|قومي", "national", "national"),
];

/// The anchors (kind, key) of the common words in a token; empty for most tokens.
pub fn common_word_anchors(tok: &Token, lang: Lang) -> Vec<(super::anchors::AnchorKind, String)> {
    let mut out = Vec::new();
    let forms_of = |e: &(&'static str, &'static str, &'static str, &'static str)| match lang {
        Lang::Ar => e.1,
        Lang::Fr => e.2,
        Lang::En => e.3,
    };
    let candidates: Vec<&str> = if tok.is_arabic() {
        let mut c = vec![tok.key.as_str()];
        c.extend(tok.clitic_splits().into_iter().map(|s| s.stem));
        c
    } else {
        vec![tok.key.as_str()]
    };
    for e in WORDS {
        let hit = forms_of(e).split('|').filter(|f| !f.is_empty()).any(|form| {
            let (stem, exact) = match form.strip_suffix('$') {
                Some(s) => (s, true),
                None => (form, false),
            };
            if stem.contains(' ') {
                return false; // multi-word forms are matched on the whole text, see `phrase_anchors`
            }
            candidates.iter().any(|c| {
                if exact {
                    *c == stem
                } else if tok.is_arabic() {
                    c.starts_with(stem) && c.chars().count() <= stem.chars().count() + 2
                } else {
                    c.starts_with(stem)
                }
            })
        });
        if hit {
            let kind = if e.0.bytes().all(|b| b.is_ascii_digit()) {
                super::anchors::AnchorKind::Number
            } else {
                super::anchors::AnchorKind::Common
            };
            out.push((kind, e.0.to_string()));
        }
    }
    out
}

/// Anchors of the multi-word forms (`pour cent`, `كانون الثاني`) found in a key.
pub fn phrase_anchors(key: &str, lang: Lang) -> Vec<(super::anchors::AnchorKind, String)> {
    let mut out = Vec::new();
    for e in WORDS {
        let forms = match lang {
            Lang::Ar => e.1,
            Lang::Fr => e.2,
            Lang::En => e.3,
        };
        for form in forms.split('|').filter(|f| f.contains(' ')) {
            // a phrase starts and ends at word boundaries
            let f = form.trim_end_matches('$');
            let mut pos = 0;
            while let Some(k) = key[pos..].find(f) {
                out.push((super::anchors::AnchorKind::Common, e.0.to_string()));
                pos += k + f.len();
            }
        }
    }
    out
}
