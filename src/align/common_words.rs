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
use std::collections::HashMap;
use std::sync::OnceLock;

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
    ("announce", "اعلن|اعلان", "annonce", "announce"),
    ("decide", "قرر|قرار", "decid|decision", "decid|decision"),
    ("meeting", "اجتماع|لقاء|التقي", "reunion|rencontre", "meeting|met$|meet$"),
    ("visit", "زياره|زار$", "visite", "visit"),
    ("trip", "رحله", "voyage", "trip$|journey|travel"),
    ("agreement", "اتفاق", "accord$|accords$", "agreement|deal$"),
    ("crisis", "ازمه", "crise", "crisis"),
    ("problem", "مشكله|مشاكل", "probleme", "problem"),
    ("change", "تغيير|تغير", "changement|changer|change$", "change"),
    ("increase", "ارتفاع|زياده", "hausse|augment", "increase|rise$|rose$"),
    ("decrease", "انخفاض|تراجع", "baisse|diminu", "decrease|decline|fall$|fell$|drop$"),
    ("market", "سوق|اسواق", "marche$|marches$", "market"),
    ("economy", "اقتصاد", "econom", "econom"),
    ("bank", "بنك|مصرف", "banque|bancaire", "bank"),
    ("tax", "ضريبه|ضرائب", "impot|taxe", "tax$|taxes$"),
    ("job", "وظيفه|وظائف|عمل$", "emploi|travail", "job$|jobs$|work$"),
    ("worker", "عامل$|عمال$|موظف", "employe|salarie|travailleur", "worker|employee|staff$"),
    ("president_office", "مكتب", "bureau", "office"),
    ("leader", "زعيم|قائد|قاده", "dirigeant|chef$|leader", "leader|chief$"),
    ("official", "مسؤول", "responsable|officiel", "official"),
    ("spokesman", "متحدث", "porte-parole", "spokes"),
    ("press", "صحفي|صحافه", "journalist|presse$", "journalist|press$|reporter"),
    ("newspaper", "صحيفه|جريده", "journal$", "newspaper"),
    ("television", "تلفزيون|تلفاز", "television|televise", "television|tv$"),
    ("internet", "انترنت|الانترنت$", "internet", "internet|online$"),
    ("social_media", "تواصل الاجتماعي", "reseaux sociaux", "social media"),
    ("region", "منطقه|مناطق", "region", "region|area$|areas$"),
    ("border", "حدود|حدودي", "frontiere", "border"),
    ("island", "جزيره|جزر$", "ile$|iles$", "island"),
    ("sea", "بحر$|بحري", "mer$|maritime", "sea$|maritime"),
    ("river", "نهر$|انهار", "fleuve|riviere", "river"),
    ("mountain", "جبل|جبال", "montagne", "mountain"),
    ("forest", "غابه|غابات", "foret", "forest"),
    ("storm", "عاصفه|عواصف", "tempete|orage", "storm"),
    ("wind", "رياح|ريح$", "vent$|vents$", "wind"),
    ("snow", "ثلج|ثلوج", "neige", "snow"),
    ("flood", "فيضان|سيول", "inondation|crue", "flood"),
    ("earthquake", "زلزال", "seisme|tremblement", "earthquake|quake"),
    ("hot", "حار$|حر$", "chaud|chaleur|canicule", "hot$|heat$"),
    ("cold", "برد$|بارد", "froid", "cold$"),
    ("police_arrest", "اعتقال|اعتقل|القبض", "arrete|arrestation|interpell", "arrest"),
    ("victim", "ضحيه|ضحايا", "victime", "victim"),
    ("injured", "جرح|جرحي|اصابه|اصيب|مصاب", "bless", "injur|wound"),
    ("accident", "حادث", "accident", "accident|crash"),
    ("crime", "جريمه|جرائم", "crime", "crime"),
    ("gun", "سلاح|اسلحه|بندقيه", "arme$|armes$|fusil", "gun$|guns$|weapon|firearm"),
    ("shooting", "اطلاق النار|النار$", "tir$|tirs$|fusillade|abattu", "shoot|shot$"),
    ("bomb", "قنبله|تفجير|انفجار", "bombe|explosion", "bomb|explosion|blast"),
    ("soldier", "جندي|جنود", "soldat", "soldier|troops"),
    ("refugee", "لاجئ", "refugie", "refugee"),
    ("migrant", "مهاجر|هجره", "migrant|immigr", "migrant|immigr"),
    ("religion", "دين$|ديني", "religi", "religio"),
    ("church", "كنيسه", "eglise", "church"),
    ("mosque", "مسجد", "mosquee", "mosque"),
    ("history", "تاريخ", "histoire|historique", "history|historic"),
    ("son", "ابن$|ابنه$|ابناء", "fils$", "son$|sons$"),
    ("daughter", "ابنه$|بنت$|ابنته", "fille$|filles$", "daughter"),
    ("wife", "زوجه|زوجته", "epouse|femme$", "wife$"),
    ("husband", "زوج$|زوجها", "mari$|epoux", "husband"),
    ("mother", "ام$|امه$|والده", "mere$", "mother"),
    ("father", "اب$|ابيه|والد$", "pere$", "father"),
    ("brother", "اخ$|اخيه|شقيق", "frere", "brother"),
    ("friend", "صديق|اصدقاء", "ami$|amis$|amie$", "friend"),
    ("age", "عمر$|عمره|سن$", "age$|ages$", "aged$|age$"),
    ("old_years", "عاما$", "ans$", "years$|year-old"),
    ("star", "نجم", "star$|vedette", "star$|stars$"),
    ("singer", "مغني|مطرب", "chanteu|rappeur", "singer|rapper"),
    ("show", "برنامج|عرض$", "emission|spectacle|programme", "show$|programme|program$"),
    ("season", "موسم", "saison", "season"),
    ("win", "فوز|فاز", "victoire|gagn|rempor", "win$|won$|victory|winner"),
    ("lose", "خساره|خسر", "defaite|perd", "loss$|lost$|lose$|defeat"),
    ("goal", "هدف|اهداف", "but$|buts$", "goal"),
    ("cup", "كاس$", "coupe", "cup$"),
    ("league", "دوري", "championnat|ligue", "league"),
    ("coach", "مدرب", "entraineu", "coach|manager"),
    ("fan", "مشجع|جماهير", "supporter|fans$", "fans$|supporter"),
    ("scientist", "علماء|عالم$", "scientifique|chercheu", "scientist|researcher"),
    ("space", "فضاء", "espace|spatial", "space$"),
    ("planet", "كوكب", "planete", "planet"),
    ("animal", "حيوان", "animal|animaux", "animal"),
    ("dog", "كلب", "chien", "dog$|dogs$"),
    ("cat", "قط$|قطه", "chat$|chats$", "cat$|cats$"),
    ("food", "طعام|غذاء|غذائي", "nourriture|aliment", "food"),
    ("energy", "طاقه", "energie", "energy"),
    ("oil", "نفط|بترول", "petrole", "oil$|petroleum"),
    ("gas", "غاز", "gaz$", "gas$"),
    ("climate", "مناخ", "climat", "climate"),
    ("environment", "بيئه", "environnement", "environment"),
    ("technology", "تكنولوجيا|تقنيه", "technolog", "technolog"),
    ("app", "تطبيق", "application", "app$|apps$|application"),
    ("data", "بيانات", "donnees", "data$"),
    ("customer", "عملاء|زبائن", "client", "customer|client"),
    ("product", "منتج", "produit", "product"),
    ("sale", "مبيعات|بيع", "vente", "sale$|sales$|sell|sold$"),
    ("buy", "شراء|اشتري", "achat|achet", "buy$|bought$|purchase"),
    ("cost", "تكلفه|كلفه", "cout$|couts$|couter", "cost$|costs$"),
    ("plan", "خطه|خطط", "plan$|plans$|projet", "plan$|plans$|project"),
    ("million_people", "مواطن", "citoyen", "citizen"),
    ("support", "دعم", "soutien|soutenir|appui", "support"),
    ("protest", "احتجاج|مظاهره|متظاهر", "manifest|protest", "protest|demonstrat"),
    ("rights", "حقوق", "droits$", "rights$"),
    ("freedom", "حريه", "liberte", "freedom|liberty"),
    ("peace", "سلام", "paix$", "peace"),
    ("president_trump_tweet", "تغريده|تويتر", "tweet|twitter", "tweet|twitter"),
];

/// Per language: single-word form → `(concept index, whole word only)`.
type Index = HashMap<&'static str, Vec<(usize, bool)>>;

fn index(lang: Lang) -> &'static Index {
    static INDEX: OnceLock<[Index; 3]> = OnceLock::new();
    let all = INDEX.get_or_init(|| {
        let build = |pick: fn(&(&'static str, &'static str, &'static str, &'static str)) -> &'static str| {
            let mut map: Index = HashMap::new();
            for (k, e) in WORDS.iter().enumerate() {
                for form in pick(e).split('|').filter(|f| !f.is_empty() && !f.contains(' ')) {
                    let (stem, exact) = match form.strip_suffix('$') {
                        Some(s) => (s, true),
                        None => (form, false),
                    };
                    map.entry(stem).or_default().push((k, exact));
                }
            }
            map
        };
        [build(|e| e.1), build(|e| e.2), build(|e| e.3)]
    });
    match lang {
        Lang::Ar => &all[0],
        Lang::Fr => &all[1],
        Lang::En => &all[2],
    }
}

fn index_keys(lang: Lang) -> impl Iterator<Item = &'static str> {
    index(lang).keys().copied()
}

/// The anchors (kind, key) of the common words in a token; empty for most tokens.
pub fn common_word_anchors(tok: &Token, lang: Lang) -> Vec<(super::anchors::AnchorKind, String)> {
    let index = index(lang);
    // No prefix longer than the longest form can be in the index: stopping there keeps a
    // one-megabyte token (a line of `ß` or a word without spaces) linear, not quadratic.
    static LONGEST: OnceLock<usize> = OnceLock::new();
    let longest = *LONGEST.get_or_init(|| {
        [Lang::Ar, Lang::Fr, Lang::En].iter().flat_map(|&l| index_keys(l)).map(str::len).max().unwrap_or(0)
    });
    let candidates: Vec<&str> = if tok.is_arabic() {
        let mut c = vec![tok.key.as_str()];
        c.extend(tok.clitic_splits().into_iter().map(|s| s.stem));
        c
    } else {
        vec![tok.key.as_str()]
    };
    let mut hits: Vec<usize> = Vec::new();
    for c in candidates {
        let total = c.chars().count();
        for (n, (end, _)) in c.char_indices().skip(1).chain(std::iter::once((c.len(), ' '))).enumerate() {
            if end > longest {
                break;
            }
            let Some(entries) = index.get(&c[..end]) else { continue };
            let whole = end == c.len();
            // Arabic forms allow at most two suffix letters; Latin forms any ending
            let suffix_ok = !tok.is_arabic() || total <= n + 1 + 2;
            for &(k, exact) in entries {
                if (whole || (!exact && suffix_ok)) && !hits.contains(&k) {
                    hits.push(k);
                }
            }
        }
    }
    hits.sort_unstable();
    hits.into_iter()
        .map(|k| {
            let concept = WORDS[k].0;
            let kind = if concept.bytes().all(|b| b.is_ascii_digit()) {
                super::anchors::AnchorKind::Number
            } else {
                super::anchors::AnchorKind::Common
            };
            (kind, concept.to_string())
        })
        .collect()
}

/// Anchors of the multi-word forms (`pour cent`, `كانون الثاني`) found in a key.
pub fn phrase_anchors(key: &str, lang: Lang) -> Vec<(super::anchors::AnchorKind, String)> {
    static PHRASES: OnceLock<[Vec<(&'static str, &'static str)>; 3]> = OnceLock::new();
    let all = PHRASES.get_or_init(|| {
        let pick = |f: fn(&(&'static str, &'static str, &'static str, &'static str)) -> &'static str| {
            WORDS
                .iter()
                .flat_map(|e| {
                    f(e).split('|').filter(|x| x.contains(' ')).map(move |x| (x.trim_end_matches('$'), e.0))
                })
                .collect::<Vec<_>>()
        };
        [pick(|e| e.1), pick(|e| e.2), pick(|e| e.3)]
    });
    let phrases = match lang {
        Lang::Ar => &all[0],
        Lang::Fr => &all[1],
        Lang::En => &all[2],
    };
    let mut out = Vec::new();
    for &(f, concept) in phrases {
        let mut pos = 0;
        while let Some(k) = key[pos..].find(f) {
            let (start, end) = (pos + k, pos + k + f.len());
            let before_ok = key[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after_ok = key[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok {
                out.push((super::anchors::AnchorKind::Common, concept.to_string()));
            }
            pos = end;
        }
    }
    out
}
