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

    static func keepsPeriod(_ folded: String) -> Bool {
        neverFinal.contains(folded) || mayBeFinal.contains(folded)
    }
}
