/// The English stop words used by `stopwords: english`: function words that carry little topic.
///
/// Written by the team: articles, pronouns, auxiliaries, prepositions, conjunctions and the commonest
/// adverbs, with their contracted forms (folded, so "don’t" matches "don't").
enum EnglishStopwords {
    static let words: [String] = """
    a about above after again against all am an and any are aren't as at be because been before being \
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down \
    during each few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here \
    here's hers herself him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself \
    just let's me more most mustn't my myself no nor not now of off on once only or other ought our ours \
    ourselves out over own same shan't she she'd she'll she's should shouldn't so some such than that \
    that's the their theirs them themselves then there there's these they they'd they'll they're they've \
    this those through to too under until up upon very was wasn't we we'd we'll we're we've were weren't \
    what what's when when's where where's which while who who's whom why why's will with won't would \
    wouldn't you you'd you'll you're you've your yours yourself yourselves also said says s t would \
    may might must shall us via yet
    """.split(separator: " ").map(String.init)
}

/// The stop words of a frequency stage, by hash: a table with a filter in front that turns away most
/// other words without probing it (most distinct words of a text are not stop words). A list of
/// thousands of words fills the filter and it lets everything through: slower, never wrong.
struct StopWords: Sendable {
    private var table: HashedTable<Bool>
    private var filter = HashFilter<FilterBits14>()

    /// An empty list with room for about `capacity` hashes.
    init(capacity: Int) { table = HashedTable(capacity: max(capacity, 8), empty: false) }

    mutating func insert(_ hash: UInt64) {
        table.update(hash, initial: { true }) { _ in }
        filter.insert(hash)
    }

    @inline(__always) func contains(_ hash: UInt64) -> Bool { filter.mayContain(hash) && table.contains(hash) }
}
