import AnalyticsKit

/// The word lists the quote finder uses, written by the team.
///
/// One shared instance (`shared`) that the finder and the speaker resolver each hold: read as static
/// members, the lists were lazily made globals, and each of the 140-odd reads a document made called
/// `swift_once`. The single words compared with are literal hashes, which need no initialisation.
final class QuoteLexicon: Sendable {
    static let shared = QuoteLexicon()

    private init() {}

    static func set(_ words: [String]) -> TermSet { TermSet(words) }

    /// Reporting verbs: the cue of a quote ("said", "told", "warned").
    private static let cueWords = [
        "said", "says", "say", "told", "tells", "added", "adds", "asked", "asks", "wrote", "writes", "explained",
        "explains", "noted", "notes", "argued", "argues", "claimed", "claims", "insisted", "insists", "stated",
        "announced", "announces", "reported", "reports", "warned", "warns", "suggested", "suggests",
        "replied", "responded", "continued", "acknowledged", "acknowledges", "admitted", "admits", "declared",
        "emphasized", "emphasised", "stressed", "recalled", "predicted", "predicts", "confirmed", "confirms",
        "denied", "denies", "tweeted", "posted", "testified", "conceded", "countered", "remarked", "observed",
        "commented", "believes", "believed", "thinks", "thought", "contends", "contended", "alleged", "alleges",
        "maintained", "maintains", "urged", "revealed", "disclosed", "estimated", "concluded", "speculated",
        "promised", "vowed", "pledged", "complained", "agreed", "boasted", "charged", "cautioned", "quipped",
        "joked", "shouted", "wondered", "mused", "whispered", "saying", "telling", "reiterated", "reiterates",
    ]

    /// Verbs that attribute a quote standing right beside them (`“…,” beamed Kell`, `“…,” the sign
    /// reads`) but are too often something else to open reported speech.
    private static let directCueWords = [
        "read", "reads", "retorted", "exclaimed", "interjected", "yelled", "screamed", "asserted", "asserts", "assured",
        "echoed", "snapped", "chanted", "beamed", "barked", "sighed", "laughed", "marveled", "marvelled", "lamented",
        "recounted", "replies", "responds", "answered", "answers", "opined", "declares", "tweets", "cautions", "urges",
        "explains", "observes", "remarks", "concludes", "continues", "quips", "jokes", "shouts", "cried", "cries",
        "pleaded", "begged", "demanded", "insist", "gushed", "scoffed", "thundered", "fumed", "raged", "bragged",
        "yelling", "shouting", "chanting", "screaming", "sang", "repeated", "retaliated", "elaborated", "exhorted",
        "pressed", "quip",
    ]

    /// Verbs of belief and evidence that report a source's view ("most voters believe …", "the poll found
    /// that …"): cues for reported speech only, since a direct quote is attributed with a speech verb.
    private static let viewCueWords = [
        "believe", "know", "knows", "knew", "think", "feel", "feels", "felt", "fear", "fears", "feared", "hope", "hopes", "hoped",
        "expect", "expects", "expected", "argue", "insist", "claim", "suggest", "indicated", "indicates", "show",
        "shows", "showed", "found", "finds", "worry", "worries", "worried", "doubt", "doubts", "doubted", "assume",
        "assumed", "acknowledge", "admit", "deny", "predict", "estimate", "estimates", "concede", "conceded",
        // Stance verbs: what is criticized or endorsed is the source's reported position.
        "criticized", "criticised", "criticizes", "endorsed", "endorses", "praised", "praises", "accused", "accuses",
        "described", "describes", "called", "calls", "proposed", "proposes", "defended", "defends", "attacked", "attacks",
        "questioned", "questions", "dismissed", "dismisses", "rejected", "rejects", "blamed", "blames", "condemned",
        "condemns", "mocked", "mocks", "slammed", "slams", "touted", "touts", "highlighted", "highlights", "insisted",
        "decried", "decries", "blasted", "blasts", "lambasted", "derided", "denounced", "denounces", "assailed", "ridiculed",
        "hailed", "lauded", "applauded", "echoed", "thanked", "encouraged", "requested", "compared", "learned", "reminded", "reminds", "see", "sees",
        "implied", "implies", "hinted", "signaled", "signalled", "mentioned", "mentions", "discussed", "discusses",
        "talked", "talks", "spoke", "supported", "supports", "backed", "backs", "opposed", "opposes", "expressed",
        "expresses", "offered", "sought", "seeks", "demanded", "demands", "want", "wants", "wanted",
        // Refusals: "declined to comment" reports what the source would not say (`refusals`).
        "declined", "declines", "refused", "refuses",
    ]

    /// Cues whose content is the infinitive after them ("declined to comment"), where other cues
    /// followed by "to" are no cue ("agreed to allow").
    let refusals = QuoteLexicon.set(["declined", "declines", "refused", "refuses"])

    /// Participles that attach speech to the subject of the sentence ("…, saying he would run").
    private static let participleCueWords = [
        "saying", "adding", "arguing", "noting", "claiming", "insisting", "explaining", "warning", "suggesting",
        "stressing", "acknowledging", "asserting", "contending", "predicting", "declaring", "charging", "writing",
        "citing", "calling", "accusing", "urging", "blaming", "praising", "criticizing", "describing",
        "remarking", "stating", "recalling", "conceding", "admitting", "lamenting", "complaining", "promising", "vowing",
        "announcing", "boasting", "asking", "questioning", "attacking", "denouncing", "defending", "dismissing", "rejecting", "mocking",
    ]

    /// Verbs whose cue is the verb and its particle (`“…,” Ruiz shot back`, `Vik pointed out that …`):
    /// the particle carries the role (it passes `cueFilter`), and the cue starts at the verb
    /// (`QuoteFinder.cueStart`).
    static let particleCues: [(verb: UInt64, particle: UInt64, role: UInt8)] = [
        ("shot", "back", direct), ("fired", "back", direct), ("hit", "back", direct), ("snapped", "back", direct),
        ("went", "on", direct), ("chimed", "in", direct),
        ("pointed", "out", speech), ("points", "out", speech), ("point", "out", view),
    ].map { (TermHash.ofTerm($0.0), TermHash.ofTerm($0.1), $0.2) }
    /// Whether a word is one of the particles of `particleCues`.
    static func isParticle(_ hash: UInt64) -> Bool { particleHashes.contains(hash) }
    private static let particleHashes = ["back", "on", "out", "in"].map { TermHash.ofTerm($0) }

    /// Nouns for a poll, whose findings PolNeAR attributes to it with the cue "in" (`Trump leads in
    /// the latest polls`). They pass `cueFilter`, without a role, so that the finder lists where they are.
    let pollNouns = QuoteLexicon.set(pollNounWords)
    private static let pollNounWords = ["poll", "polls", "survey", "surveys", "polling"]
    /// Words that may follow the word for a poll in its phrase (`in a survey released Monday`, `in
    /// polls from Quinnipiac`); any other word makes it a noun's modifier (`in polling places`).
    let pollPhraseGoesOn = QuoteLexicon.set([
        "released", "conducted", "taken", "published", "from", "of", "by", "last", "this", "on", "since", "and", "despite",
    ])

    /// Labels that open a headline before a colon and are not a speaker ("Update: …", "Video: …").
    let headlineLabels = QuoteLexicon.set([
        "update", "updated", "note", "editor's", "watch", "video", "photos", "photo", "exclusive", "breaking",
        "related", "live", "analysis", "opinion", "correction", "read", "listen", "q", "a", "the", "why", "how", "what",
    ])

    /// Conjunctions that may open a sentence before its subject ("And he said …").
    let openingConjunctions = QuoteLexicon.set(["and", "but", "so", "then", "still", "yet", "also"])

    /// Prepositions, adverbs and conjunctions that open a phrase before the subject ("On Twitter, Bush
    /// called …", "Soon after, Canova wrote …").
    let openingPrepositions = QuoteLexicon.set([
        "on", "in", "at", "during", "after", "before", "asked", "with", "for", "from", "as", "when", "while", "later",
        "earlier", "last", "soon", "now", "meanwhile", "however", "instead", "again", "today", "yesterday", "tonight",
        "separately", "recently", "previously", "since", "despite", "although", "though", "if", "once", "until",
        "amid", "amidst", "like", "unlike", "contrary", "early", "following", "without", "throughout", "under", "among", "beyond",
    ])

    /// Days and months: a sentence opening with one opens with a time phrase ("Sunday on the radio, …").
    let calendarWords = QuoteLexicon.set([
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
        "april", "may", "june", "july", "august", "september", "october", "november", "december", "tomorrow",
    ])

    /// Words before a day or month in a time phrase after a cue ("said on Wednesday", "said last March").
    let timeOpeners = QuoteLexicon.set(["on", "last", "this", "late", "early", "in"])
    /// Periods of time that make a time phrase after a qualifier ("this week", "last night").
    let periods = QuoteLexicon.set([
        "week", "month", "year", "weekend", "morning", "afternoon", "evening", "night", "summer", "spring", "fall", "winter",
    ])
    /// Words that open a time phrase before a speech verb ("this past week", "earlier this month", "on Tuesday").
    let timeQualifiers = QuoteLexicon.set([
        "this", "last", "past", "next", "earlier", "later", "on", "that", "early", "late", "same", "the",
    ])
    // Single words the rules compare with (these and the others below given as numbers), as
    // `TermHash.ofTerm` hashes them, written out: computed, each was a lazily made global, and every
    // comparison called `swift_once` (about 46 calls a document). A test in `QuotesTests` checks
    // each number against its word.
    static let may: UInt64 = 0x3ef9_ec7e_cbb8_5396  // "may"
    static let put: UInt64 = 0xa125_803b_ee31_079e  // "put"
    static let puts: UInt64 = 0xd818_27a8_fc25_7fd7  // "puts"
    static let `as`: UInt64 = 0x47aa_8d70_7c0f_534f  // "as"
    static let it: UInt64 = 0x5f33_fabb_2534_8b55  // "it"

    /// Words after a cue that qualify it, beside the prepositions and time words (`said via email`,
    /// `said here`, `said afterward`).
    let cueQualifierWords = QuoteLexicon.set([
        "via", "through", "here", "there", "afterward", "afterwards", "then", "again", "too", "also", "not", "only",
    ])

    /// Words that are a time phrase on their own after a cue ("said yesterday the …").
    let timeWords = QuoteLexicon.set(["yesterday", "today", "tonight"])

    /// Words that make an opening phrase a time phrase ("Hours later,", "Two weeks ago,", "A day earlier,").
    let timeAdverbs = QuoteLexicon.set(["later", "earlier", "ago", "afterwards", "afterward", "beforehand"])

    /// Words that open a sentence without being its speaker ("This is why …", "Each spring, …").
    let notSubjects = QuoteLexicon.set([
        "this", "that", "these", "those", "each", "every", "more", "most", "even", "it's", "that's", "there",
        "there's", "here", "here's", "what", "what's", "why", "how", "such", "all", "any", "no", "none", "only", "just",
        "yes", "wait", "of", "to", "not", "perhaps", "maybe", "indeed", "still", "well",
    ])

    /// Prepositions after which a cue-like word in -s is a plural noun ("in the polls", "of his attacks").
    let prepositions = QuoteLexicon.set([
        "in", "of", "to", "for", "with", "from", "at", "by", "on", "about", "across", "among", "into", "than",
    ])

    /// Quantifiers that can stand alone as a subject (`Some said …`, `Many believed …`).
    let quantifiers = QuoteLexicon.set(["some", "many", "several", "most", "few", "both", "all", "others", "any"])
    /// Cue verbs in the past tense that do not end in -ed.
    let irregularPasts = QuoteLexicon.set(["said", "told", "wrote", "thought", "felt", "knew", "saw", "spoke", "found", "sought", "sang"])

    /// Words after which a cue-like word is a noun ("such demands", "the calls", "his remarks").
    let nounMarkers = QuoteLexicon.set([
        "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "such", "these", "those", "this", "that",
        "new", "repeated", "renewed", "growing", "further", "many", "some", "several", "no", "any", "of", "for",
    ])

    /// Words after which a cue word in -ed is an adjective ("the reported deaths", "his stated goal"):
    /// `nounMarkers` less the quantifiers (`Some said …`) and "that" (`the group that reported …`).
    let adjectiveMarkers = QuoteLexicon.set([
        "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "such", "these", "those", "this",
    ])

    /// Adverbs that may open a participle's phrase set off by commas (`…, also campaigning in Ohio, said`).
    let participleLeads = QuoteLexicon.set(["also", "still", "now", "then", "once", "already", "even", "just", "again", "later", "while"])

    /// A pronoun and "is" or "has", which look like possessives (folded: the curly apostrophe is straight).
    let contractedPronouns = QuoteLexicon.set(["he's", "she's", "it's", "who's", "that's", "there's", "what's", "where's", "here's"])

    /// What a word can cue, as bits, for one lookup per token: `speech` (`cueWords`), `view` (`viewCueWords`),
    /// `participle` (`participleCueWords`), `direct` (`directCueWords`).
    static let speech: UInt8 = 1, view: UInt8 = 2, participle: UInt8 = 4, direct: UInt8 = 8
    /// Packed (a 60-bit tag and the four role bits in one word): half the size of a `HashedTable`,
    /// for a lookup on every word of every document.
    let cueRoles: PackedHashTable<PayloadBits4> = {
        var table = PackedHashTable<PayloadBits4>(capacity: 512)
        for (words, role) in cueWordLists {
            for word in words {
                let hash = TermHash.ofTerm(word)
                table.set(hash, payload: (table[hash] ?? 0) | UInt64(role))
            }
        }
        return table
    }()

    /// The cue word lists with the role bit each gives.
    static let cueWordLists: [(words: [String], role: UInt8)] = [
        (cueWords, speech), (viewCueWords, view), (participleCueWords, participle), (directCueWords, direct),
    ]

    /// Two bits per cue word in 16,384 (2 KB, in cache): nearly every word of a text is not a cue, and
    /// this answers for it without probing `cueRoles`. In 4,096 bits the cue words set about a quarter
    /// of them, so that the first bit tested was a coin toss for other words too (44 mispredicted
    /// branches a document by callgrind's model).
    let cueFilter: HashFilter<FilterBits14> = {
        var filter = HashFilter<FilterBits14>()
        for (words, _) in cueWordLists {
            for word in words { filter.insert(TermHash.ofTerm(word)) }
        }
        for cue in particleCues { filter.insert(cue.particle) }
        for word in pollNounWords { filter.insert(TermHash.ofTerm(word)) }
        filter.insert(according)
        return filter
    }()

    /// Pronouns that can be a speaker, resolved to the last person named.
    let pronouns = QuoteLexicon.set(["he", "she", "they", "i", "we", "it"])
    /// Pronouns resolved to the last person named before them; "who" opens a relative clause after one.
    let personPronouns = QuoteLexicon.set(["he", "she", "who"])

    /// Words that may start a nominal speaker ("the agency", "a spokesman", "officials").
    let determiners = QuoteLexicon.set([
        "the", "a", "an", "his", "her", "their", "its", "some", "many", "several", "one", "two", "three", "other", "another", "both",
    ])

    /// Words that open a clause right after a cue ("said it would cooperate", "say the plan failed"):
    /// the cue reports what follows, so the words before the sentence's comma are not its content
    /// (`Later in the day, the FBI said it would cooperate.`).
    let clauseOpeners = QuoteLexicon.set([
        "he", "she", "it", "they", "we", "i", "there", "the", "a", "an", "this", "these", "those", "his", "their", "its", "our",
    ])

    /// Finite verbs that a speaker phrase never holds ("said the talks had stalled" is content).
    let finiteVerbs = QuoteLexicon.set([
        "is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "should", "can", "may", "might", "must",
        "do", "does", "did",
    ])

    /// Auxiliaries between a speaker and a cue ("has said", "was quoted as saying").
    private static let auxiliaryWords = [
        "has", "have", "had", "was", "were", "is", "are", "will", "would", "also", "later", "then", "previously", "once",
        "quoted", "cited", "as", "reportedly", "recently", "often", "repeatedly", "publicly", "privately", "first", "never",
        "again", "already", "even", "still", "just", "since",
    ]

    /// Words that end a speaker phrase when met going outwards.
    let stops = QuoteLexicon.set(subordinatorWords + ["and", "but", "that", "as", "so"])

    /// Verbs of telling, followed by the one told before what was said ("told the BBC she …").
    let tellVerbs = QuoteLexicon.set(["told", "tells", "tell", "telling"])

    /// Modals, negations and "do" before a cue: part of the cue ("did not say", "may feel", "won't say").
    private static let modalWords = [
        "not", "may", "might", "must", "can", "could", "should", "shall", "do", "does", "did",
        "don't", "doesn't", "didn't", "won't", "can't", "cannot", "wouldn't", "couldn't", "shouldn't", "never",
    ]

    /// Verbs before "to" and a cue, part of the cue ("declined to say", "wants to know").
    private static let controlWords = ["want", "wants", "wanted", "decline", "declines", "declined", "refuse", "refuses", "refused",
        "try", "tries", "tried", "trying", "aim", "aims", "aimed", "seek", "seeks", "sought", "hope", "hopes", "hoped",
        "plan", "plans", "planned", "need", "needs", "needed", "continue", "continues", "continued", "began", "begin", "begins",
        "started", "starts", "fail", "fails", "failed", "chose", "choose", "chooses", "intend", "intends", "intended", "expect",
        "expects", "expected", "threatened", "threatens", "vowed", "vows", "promised", "promises", "pledged", "agreed", "wished",
        "like", "likes", "liked", "went", "goes", "wish", "managed", "appeared", "appears", "seemed", "seems", "used",
        "likely", "unlikely", "able", "unable", "eager", "willing", "unwilling", "inclined", "reluctant", "quick", "ready"]

    /// Words of degree and the forms of "be" before an adjective that takes "to" ("slightly more likely to
    /// say", "should be able to").
    private static let degreeWords = ["more", "less", "most", "least", "slightly", "much", "far", "very", "so", "too", "be", "been", "being"]

    /// What a word before a cue can be, as bits, for one lookup per word of the walk back from a cue
    /// (`cueStart`): `auxiliary`, `modal`, `control` (a verb taking "to"), `degree`.
    static let auxiliary: UInt8 = 1, modal: UInt8 = 2, control: UInt8 = 4, degree: UInt8 = 8
    let cueLeads: PackedHashTable<PayloadBits4> = {
        var table = PackedHashTable<PayloadBits4>(capacity: 256)
        for (words, role) in [(auxiliaryWords, auxiliary), (modalWords, modal), (controlWords, control), (degreeWords, degree)] {
            for word in words {
                let hash = TermHash.ofTerm(word)
                table.set(hash, payload: (table[hash] ?? 0) | UInt64(role))
            }
        }
        return table
    }()

    /// Words a speaker phrase never starts with: a walk back from a cue that took them took too much.
    let speakerOpeners = QuoteLexicon.set(subordinatorWords.filter { $0 != "who" && $0 != "which" }
        + ["and", "but", "that", "as", "so", "since", "among", "of", "for", "from", "with", "without", "about", "into", "or", "then"])

    /// Words that open a subordinate clause: a verb after one has that clause's subject, not the sentence's.
    let subordinators = QuoteLexicon.set(subordinatorWords)
    private static let subordinatorWords = [
        "when", "if", "because", "while", "after", "before", "although", "though", "whereas", "unless", "until", "who", "which",
    ]

    /// Who is told, between a cue and a quote ("told reporters: “…”").
    let hearers = QuoteLexicon.set([
        "reporters", "journalists", "him", "her", "them", "us", "me", "supporters", "voters", "viewers", "listeners",
        "lawmakers",
    ])

    /// Words that open what qualifies a cue before its "that" ("said on Tuesday that", "told CNN in an interview that").
    let qualifiers = QuoteLexicon.set([
        "in", "on", "at", "during", "last", "this", "earlier", "late", "yesterday", "today", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "recently", "previously", "publicly", "privately",
        "repeatedly", "again", "reporters", "journalists", "him", "her", "them", "us", "me", "cnn", "fox", "abc", "nbc", "cbs",
    ])

    /// Prepositions that belong to the cue when reported content follows them (`called for`, `asked
    /// about`, `warned of`, `commented on`): the content is what comes after.
    let cuePrepositions = QuoteLexicon.set(["about", "for", "on", "of"])

    /// Forms of "be", before a verb in the passive.
    let beForms = QuoteLexicon.set(["is", "are", "was", "were", "be", "been", "being", "'s"])

    /// Adverbs between "be" and a passive verb ("is now expected", "was long thought").
    let passiveAdverbs = QuoteLexicon.set(["now", "also", "still", "already", "long", "often", "not", "never", "generally", "widely"])

    /// Conjunctions that join a second verb to its subject's first (`… survived the war and says …`).
    let verbConjunctions = QuoteLexicon.set(["and", "but"])

    /// Conjunctions that join a second reporting clause to reported content (`…, but the council said …`).
    let clauseConjunctions = QuoteLexicon.set(["and", "but", "while", "whereas", "although", "though", "yet"])

    /// Words that open a relative clause after a speaker.
    let relatives = QuoteLexicon.set(["which", "who", "whose", "whom", "who's", "who'd", "who've", "who'll"])

    /// "according" (`according to X`) passes `cueFilter` without a role, so that the finder lists where it is.
    static let according: UInt64 = 0xaf76_1bce_d12a_65a8  // "according"
    static let to: UInt64 = 0xe136_632e_22df_b892  // "to"
    static let of: UInt64 = 0xfc40_8a08_3e71_4eca  // "of"
    static let asked: UInt64 = 0xdea5_22ab_abdf_a8a3  // "asked"
    static let when: UInt64 = 0x8454_c251_e089_5ec0  // "when"
    static let by: UInt64 = 0xfa74_c186_5a6e_c359  // "by"
    /// Words after a sentence-opening "Asked" that make it a question put to the subject ("Asked
    /// whether …,", "Asked about …,", "Asked by a reporter to …,").
    let questionOpeners = QuoteLexicon.set([
        "if", "whether", "about", "what", "who", "how", "why", "when", "where", "which", "to", "by", "for",
    ])
    /// The question openers that may follow a phrase of time or place after "asked" (`Asked on Monday about …`).
    let questions = QuoteLexicon.set(["if", "whether", "about", "what", "who", "how", "why", "where", "which"])
    static let `while`: UInt64 = 0x2c8a_44c3_28ac_9064  // "while"
    static let `in`: UInt64 = 0x7347_fcb0_fa67_5ed8  // "in"
    static let that: UInt64 = 0x5580_f1a3_5230_1632  // "that"
    static let who: UInt64 = 0xb42a_354b_6f11_f966  // "who"
    static let up: UInt64 = 0xb41a_c4e3_b69c_c1fa  // "up"
    /// The cue "show", which before "up" means arriving (`One voter showed up in a beret`), and is a
    /// noun after or before these (`talk show host`, `the show's host`, `a TV show trial`).
    let showVerbs = QuoteLexicon.set(["show", "shows", "showed", "shown", "showing"])
    let showNounsBefore = QuoteLexicon.set([
        "talk", "game", "chat", "radio", "tv", "news", "morning", "reality", "comedy", "cooking", "trade", "road", "air",
        "variety", "late-night",
    ])
    let showNounsAfter = QuoteLexicon.set([
        "host", "hosts", "business", "trial", "trials", "runner", "runners", "floor", "producer", "producers", "audience",
    ])
    static let the: UInt64 = 0x3afe_6cd1_b024_b399  // "the"
}

/// A set of words by their term hashes, for the finder's per-token lookups: the hashes are computed
/// already, so the lookup skips `Hasher` (which cost a tenth of the stage's time with `Set<UInt64>`);
/// packed, so that a word list stays small in cache.
struct TermSet: Sendable {
    private var table: PackedHashTable<PayloadBits4>

    init(_ words: [String]) {
        table = PackedHashTable(capacity: words.count)
        for word in words { table.set(TermHash.ofTerm(word), payload: 1) }
    }

    @inline(__always) func contains(_ hash: UInt64) -> Bool { table[hash] != nil }
}
