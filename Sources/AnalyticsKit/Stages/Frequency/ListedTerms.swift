/// The terms one document's frequency output lists (its top words, then its top n-grams of each
/// size), kept as the JSON text the output writes for them.
///
/// Made for every document and, in a batch run, only ever written out: a `String` per term and an
/// array per list cost a sixth of the frequency path's time, and so did copying each term out of the
/// layer and then again into the record. So each term is written once, from the layer's bytes, as
/// the `{"term":…,"count":…}` object of its list; a caller that asks for `TermCount`s gets them read
/// back from that text.
struct ListedTerms: Sendable {
    /// One list: its n-gram size, where its objects end in `text`, and how many there are.
    private struct List: Sendable {
        let n: Int
        var end: Int
        var terms: Int
    }

    /// The lists' objects, comma-separated within a list, one list after another.
    private var text: JSONBuffer
    private var lists: [List] = []

    /// No lists yet; `termBytes` is about how many bytes of term text the lists will hold in all, to
    /// reserve room for.
    init(lists: Int, items: Int, termBytes: Int) {
        self.lists.reserveCapacity(lists)
        // Each object is its term and about 22 bytes of keys, quotes, digits and comma.
        text = JSONBuffer(capacity: termBytes + 22 * items)
    }

    /// Lists already made as `TermCount`s (a decoded output).
    init(_ lists: [(n: Int, terms: [TermCount])]) {
        self.init(lists: lists.count, items: 0, termBytes: 0)
        for (n, terms) in lists {
            begin(n: n)
            for term in terms {
                var text = term.term
                text.withUTF8 { text in append(count: term.count, pieces: 1) { _ in text } }
            }
        }
    }

    /// Starts the next list, of terms of `n` words.
    mutating func begin(n: Int) {
        lists.append(List(n: n, end: text.count, terms: 0))
    }

    /// Appends a term to the current list: its words (`piece(0)` to `piece(pieces - 1)`, joined by
    /// single spaces) and its count.
    mutating func append(count: Int, pieces: Int, _ piece: (Int) -> UnsafeBufferPointer<UInt8>) {
        let last = lists.count - 1
        JSONValue.appendTermCount(pieces: pieces, piece, count: count, comma: lists[last].terms > 0, to: &text)
        lists[last].terms += 1
        lists[last].end = text.count
    }

    /// Number of lists.
    var count: Int { lists.count }

    /// The n-gram size of list `k`.
    func n(ofList k: Int) -> Int { lists[k].n }

    /// Where list `k`'s objects are in `text`.
    private func textRange(_ k: Int) -> Range<Int> {
        (k == 0 ? 0 : lists[k - 1].end)..<lists[k].end
    }

    /// List `k` as `TermCount`s, read back from its JSON text.
    func terms(inList k: Int) -> [TermCount] {
        var list = JSONBuffer()
        appendList(k, to: &list)
        guard case .array(let elements)? = try? JSONParser.parse(list.array) else { return [] }
        return elements.compactMap { element in
            guard let term = element["term"]?.stringValue, case .int(let count)? = element["count"] else { return nil }
            return TermCount(term: term, count: count)
        }
    }

    /// Appends list `k` as the JSON array of `TermCount`s that `terms(inList:)` would write.
    func appendList(_ k: Int, to out: inout JSONBuffer) {
        out.append(UInt8(ascii: "["))
        text.withUnsafeBufferPointer { out.append(UnsafeBufferPointer(rebasing: $0[textRange(k)])) }
        out.append(UInt8(ascii: "]"))
    }
}
