import AnalyticsKit

/// The rules' word lists and constants, written by the team.
///
/// The rules are VADER's family (Hutto & Gilbert 2014) with the changes our prototype measured on the
/// human-rated sets: negation looks back at most 3 words and applies once; "like", "kind of", "sort of"
/// and "pretty" are function words, not sentiment; sentiment after would, could, if, hope is damped;
/// the constants below were retuned (normalisation 22, negation −0.5, booster 0.6, "but" 0.5/1.2).
enum SentimentRules {
    /// Normalises the sum of valences to (-1, 1): sum / √(sum² + alpha).
    static let alpha = 22.0
    /// A negated valence is multiplied by this.
    static let negation: Float = -0.5
    /// What a booster adds to (or a dampener takes from) the next sentiment word.
    static let boost: Float = 0.6
    /// A sentiment word in capitals among mixed-case text gains this much.
    static let capitals: Float = 0.733
    /// Valences before "but" are scaled by this, after it by `afterBut`.
    static let beforeBut: Float = 0.5
    static let afterBut: Float = 1.2
    /// Sentiment after would, could, if, hope is scaled by this.
    static let hedged: Float = 0.5
    /// Each "!" (at most 4) adds this much emphasis; two or three "?" add `question` each, more add 0.96.
    static let exclamation = 0.292
    static let question = 0.18

    /// A set of words as a pre-hashed table: looked up by `Token.hash` without `Hasher`.
    static func hashes(_ words: [String]) -> HashedTable<Bool> {
        var table = HashedTable<Bool>(capacity: words.count, empty: false)
        for word in words { table.update(TermHash.ofTerm(word), initial: { true }) { _ in } }
        return table
    }

    /// Words that negate what follows (within three words). Words ending in n't are negators too.
    static let negators = hashes([
        "not", "no", "never", "none", "nobody", "nothing", "nowhere", "neither", "nor", "without", "cannot",
        "cant", "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "wont", "wouldnt", "shouldnt",
        "couldnt", "hasnt", "havent", "hadnt", "aint", "mightnt", "mustnt", "neednt", "darent", "nope", "nah",
        "rarely", "seldom",
    ])

    /// Words that strengthen (positive) or weaken (negative) the next sentiment word, by `boost`.
    static let boosters: HashedTable<Float> = {
        var table = HashedTable<Float>(capacity: 96, empty: 0)
        for word in [
            "absolutely", "amazingly", "awfully", "completely", "considerably", "decidedly", "deeply", "enormously",
            "entirely", "especially", "exceptionally", "extremely", "fabulously", "fully", "greatly", "highly", "hugely",
            "incredibly", "intensely", "majorly", "more", "most", "particularly", "purely", "quite", "really",
            "remarkably", "so", "substantially", "thoroughly", "totally", "tremendously", "truly", "unbelievably",
            "utterly", "very", "super", "too", "freaking", "frickin", "hella", "insanely", "seriously",
            "uber", "way", "real", "mega", "ultra", "exceedingly", "extraordinarily", "terribly",
        ] { table.update(TermHash.ofTerm(word), initial: { boost }) { _ in } }
        for word in [
            "almost", "barely", "hardly", "less", "little", "marginally", "occasionally", "partly", "scarcely",
            "slightly", "somewhat", "kinda", "sorta", "fairly", "rather", "mildly", "moderately", "relatively",
        ] { table.update(TermHash.ofTerm(word), initial: { -boost }) { _ in } }
        return table
    }()

    /// "like" is a preposition ("looks like", "seems like") unless a subject or an auxiliary comes
    /// right before it ("I like", "would like", "don't like") or it opens the text.
    static let like = hashes(["like", "likes", "liked"])
    static let likeSubjects = hashes([
        "i", "you", "we", "they", "u", "ya", "to", "really", "also", "still", "totally", "actually", "do", "does", "did",
        "would", "i'd", "we'd", "you'd", "they'd", "might", "may", "will", "gonna", "who", "definitely", "just",
        "people", "everyone", "everybody", "somebody", "anybody", "nobody", "personally", "always", "genuinely", "me",
        "kinda", "sorta", "truly", "certainly", "and", "but",
    ])
    /// "pretty" boosts a sentiment word after it ("pretty good"); otherwise it is the adjective.
    static let pretty = hashes(["pretty"])

    /// Words after which sentiment is hypothetical and damped.
    static let hedges = hashes(["would", "could", "should", "might", "if", "hope", "hoping", "hoped", "wish", "wished", "unless"])

    /// "kind of", "sort of": the first word is a dampener when "of" follows.
    static let kindOf = hashes(["kind", "sort"])
    static let of = hashes(["of"])
    static let but = hashes(["but"])
    static let least = hashes(["least"])
    static let atOrVery = hashes(["at", "very"])
    static let never = hashes(["never"])
    static let soOrThis = hashes(["so", "this"])
    static let without = hashes(["without"])
    static let doubt = hashes(["doubt"])
    static let no = hashes(["no"])

    /// Phrases whose meaning is not the sum of their words, with the valence the whole phrase takes
    /// (placed on its last word, the others count 0). Keyed by `phraseKey` of their words' hashes.
    static let idioms: (phrases: HashedTable<Float>, lastWords: HashedTable<Bool>) = {
        let phrases: [(String, Float)] = [
            ("the bomb", 3), ("the shit", 3), ("bad ass", 1.5), ("badass", 1.5), ("yeah right", -2), ("kiss of death", -1.5),
            ("to die for", 3), ("cut the mustard", 2), ("hand to mouth", -2), ("back handed", -2), ("blow smoke", -2),
            ("blowing smoke", -2), ("upper hand", 1), ("break a leg", 2), ("cooking with gas", 2), ("in the black", 2),
            ("in the red", -2), ("on the ball", 2), ("under the weather", -2), ("over the moon", 3), ("piece of cake", 2),
            ("waste of time", -2.5), ("waste of money", -2.5), ("no brainer", 1.5), ("fell flat", -2), ("falls flat", -2),
            ("let down", -2), ("let me down", -2), ("not bad", 1.5), ("a must", 2), ("must see", 2.5), ("must watch", 2.5),
        ]
        var table = HashedTable<Float>(capacity: phrases.count, empty: 0)
        var lastWords = HashedTable<Bool>(capacity: phrases.count, empty: false)
        for (phrase, valence) in phrases {
            let words = phrase.split(separator: " ").map { TermHash.ofTerm(String($0)) }
            table.update(phraseKey(words[...]), initial: { valence }) { _ in }
            lastWords.update(words[words.count - 1], initial: { true }) { _ in }
        }
        return (table, lastWords)
    }()

    /// The key of a phrase: its words' hashes combined in order.
    static func phraseKey<Words: Sequence>(_ words: Words) -> UInt64 where Words.Element == UInt64 {
        words.reduce(TermHash.basis) { TermHash.combine($0, $1) }
    }
    static let longestIdiom = 3
}

/// What a word does for the rules, looked up once per token: the rules then test bits, not tables.
struct WordRole: OptionSet, Sendable {
    let rawValue: UInt16
    static let negator = WordRole(rawValue: 1 << 0)
    static let hedge = WordRole(rawValue: 1 << 1)
    static let kindOrSort = WordRole(rawValue: 1 << 2)
    static let of = WordRole(rawValue: 1 << 3)
    static let least = WordRole(rawValue: 1 << 4)
    static let atOrVery = WordRole(rawValue: 1 << 5)
    static let never = WordRole(rawValue: 1 << 6)
    static let soOrThis = WordRole(rawValue: 1 << 7)
    static let without = WordRole(rawValue: 1 << 8)
    static let doubt = WordRole(rawValue: 1 << 9)
    static let no = WordRole(rawValue: 1 << 10)
    static let like = WordRole(rawValue: 1 << 11)
    static let likeSubject = WordRole(rawValue: 1 << 12)
    static let pretty = WordRole(rawValue: 1 << 13)
    static let but = WordRole(rawValue: 1 << 14)
    static let idiomEnd = WordRole(rawValue: 1 << 15)

    /// A word's roles and, for boosters and dampeners, what it adds to the next sentiment word.
    struct Entry: Sendable {
        var roles: WordRole
        var booster: Float
    }

    /// Every word with a role or a booster value, by hash: one lookup per token.
    static let table: RoleTable = {
        var packed = RoleTable(capacity: 256)
        entries.forEach { hash, entry in packed.set(hash, entry) }
        return packed
    }()

    private static let entries: HashedTable<Entry> = {
        var table = HashedTable<Entry>(capacity: 256, empty: Entry(roles: [], booster: 0))
        let none = Entry(roles: [], booster: 0)
        func mark(_ words: HashedTable<Bool>, _ role: WordRole) {
            words.forEach { hash, _ in table.update(hash, initial: { none }) { $0.roles.insert(role) } }
        }
        SentimentRules.boosters.forEach { hash, boost in table.update(hash, initial: { none }) { $0.booster = boost } }
        mark(SentimentRules.negators, .negator)
        mark(SentimentRules.hedges, .hedge)
        mark(SentimentRules.kindOf, .kindOrSort)
        mark(SentimentRules.of, .of)
        mark(SentimentRules.least, .least)
        mark(SentimentRules.atOrVery, .atOrVery)
        mark(SentimentRules.never, .never)
        mark(SentimentRules.soOrThis, .soOrThis)
        mark(SentimentRules.without, .without)
        mark(SentimentRules.doubt, .doubt)
        mark(SentimentRules.no, .no)
        mark(SentimentRules.like, .like)
        mark(SentimentRules.likeSubjects, .likeSubject)
        mark(SentimentRules.pretty, .pretty)
        mark(SentimentRules.but, .but)
        mark(SentimentRules.idioms.lastWords, .idiomEnd)
        return table
    }()
}

/// The role table: a `PackedHashTable` with a 32-bit payload (16 bits of roles, the booster in
/// hundredths), so the per-token lookup reads one small, cache-resident array. A word with no role is
/// mistaken for one only if its hash agrees with a role word's in 32 bits (about 1 in 30 million).
struct RoleTable: Sendable {
    private var table: PackedHashTable<PayloadBits32>
    /// Most words have no role; this turns them away before the table is probed.
    private var filter = HashFilter<FilterBits14>()

    /// Four slots per expected word (a sparser table than the default half, for shorter probes).
    init(capacity: Int) { table = PackedHashTable(capacity: capacity * 2) }

    mutating func set(_ hash: UInt64, _ entry: WordRole.Entry) {
        let booster = UInt64(UInt16(bitPattern: Int16((entry.booster * 100).rounded())))
        table.set(hash, payload: UInt64(entry.roles.rawValue) << 16 | booster)
        filter.insert(hash)
    }

    subscript(hash: UInt64) -> WordRole.Entry? {
        guard filter.mayContain(hash) else { return nil }
        return table[hash].map {
            WordRole.Entry(roles: WordRole(rawValue: UInt16(truncatingIfNeeded: $0 >> 16)),
                           booster: Float(Int16(bitPattern: UInt16(truncatingIfNeeded: $0))) / 100)
        }
    }
}
