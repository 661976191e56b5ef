/// Words that keep their trailing period ("Mr.", "Jan.", "Inc."), and which of them may also end a sentence.
///
/// Written by the team for English news. Keys are folded, without the period.
enum Abbreviations {
    /// Titles and other words that are never the last word of a sentence.
    static let neverFinal: Set<String> = [
        "mr", "mrs", "ms", "dr", "prof", "sen", "rep", "gov", "gen", "col", "lt", "sgt", "capt", "cmdr",
        "adm", "maj", "rev", "hon", "pres", "supt", "insp", "det", "st", "mt", "ft", "no", "nos", "vs",
        "jan", "feb", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est", "fig",
        "vol", "ave", "blvd", "rd", "messrs", "mme", "mlle", "cf", "al",
    ]
    /// Words that keep their period but may end a sentence when a new one clearly starts after them.
    static let mayBeFinal: Set<String> = [
        "inc", "corp", "co", "ltd", "llc", "plc", "jr", "sr", "etc", "bros",
    ]
    /// Words that, capitalised after an abbreviation, show that a new sentence has started.
    static let sentenceStarters: Set<String> = [
        "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "but", "and", "in", "on", "at",
        "this", "that", "these", "those", "there", "his", "her", "its", "their", "our", "my", "as", "if",
        "when", "while", "after", "before", "for", "however", "meanwhile", "still", "yet", "so", "some",
        "many", "most", "one", "two", "what", "who", "how", "why", "officials", "analysts",
    ]

    /// The words that keep their period, packed as `packed(_:)` packs them: the tokenizer asks for
    /// every word before a period, and building a `String` for each cost it a few percent. In
    /// `HashedTable`s rather than `Set`s, whose SipHash per lookup cost the text layer 1%.
    static let keepingPeriod = HashedTable(containing: neverFinal.union(mayBeFinal).map { packed($0.utf8) })
    /// `mayBeFinal` packed the same way, for the sentence splitter.
    static let mayBeFinalPacked = HashedTable(containing: mayBeFinal.map { packed($0.utf8) })
    /// The `TermHash` of each of `sentenceStarters`: a token's hash is looked up without building a `String`.
    static let sentenceStarterHashes = HashedTable(containing: sentenceStarters.map(TermHash.ofTerm))

    /// Up to eight ASCII bytes in an integer, the first in the lowest byte; the tokenizer packs a
    /// word's lower-cased bytes the same way.
    static func packed<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var value: UInt64 = 0
        for (k, b) in bytes.enumerated() where k < 8 { value |= UInt64(b) << UInt64(8 * k) }
        return value
    }
}
