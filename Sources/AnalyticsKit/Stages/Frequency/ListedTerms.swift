/// The terms one document's frequency output lists (its top words, then its top n-grams of each
/// size), with the text of all of them in one buffer.
///
/// Made for every document and, in a batch run, only ever written out: a `String` per term and an
/// array per list cost a sixth of the frequency path's time, so the terms stay bytes until a caller
/// asks for `TermCount`s.
struct ListedTerms: Sendable {
    /// One listed term: where its text ends in `text`, and its count.
    private struct Item: Sendable {
        let end: UInt32
        let count: Int32
    }

    /// One list: its n-gram size, and the end of its items in `items`.
    private struct List: Sendable {
        let n: Int
        var end: Int
    }

    /// The terms' UTF-8, one after another.
    private var text: [UInt8] = []
    private var items: [Item] = []
    private var lists: [List] = []

    /// No lists yet; `termBytes` and `items` are what the lists will hold in all, to reserve room for.
    init(lists: Int, items: Int, termBytes: Int) {
        self.lists.reserveCapacity(lists)
        self.items.reserveCapacity(items)
        text.reserveCapacity(termBytes)
    }

    /// Lists already made as `TermCount`s (a decoded output).
    init(_ lists: [(n: Int, terms: [TermCount])]) {
        self.init(lists: lists.count, items: 0, termBytes: 0)
        for (n, terms) in lists {
            begin(n: n)
            for term in terms {
                append { $0.append(contentsOf: term.term.utf8) }
                end(count: term.count)
            }
        }
    }

    /// Starts the next list, of terms of `n` words.
    mutating func begin(n: Int) {
        lists.append(List(n: n, end: items.count))
    }

    /// Appends text to the current term (the writer appends bytes to the buffer it is given).
    mutating func append(_ write: (inout [UInt8]) -> Void) {
        write(&text)
    }

    /// Ends the current term, with its count; the text appended since the last term is its text.
    mutating func end(count: Int) {
        precondition(text.count <= UInt32.max, "listed terms are short; their text cannot reach 4 GB")
        items.append(Item(end: UInt32(text.count), count: Int32(clamping: count)))
        lists[lists.count - 1].end = items.count
    }

    /// Number of lists.
    var count: Int { lists.count }

    /// The n-gram size of list `k`.
    func n(ofList k: Int) -> Int { lists[k].n }

    /// The items of list `k`.
    private func itemRange(_ k: Int) -> Range<Int> {
        (k == 0 ? 0 : lists[k - 1].end)..<lists[k].end
    }

    /// Calls `body` with the text and count of each term in list `k`, in order.
    func forEachTerm(inList k: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) -> Void) {
        text.withUnsafeBufferPointer { text in
            for i in itemRange(k) {
                let start = i == 0 ? 0 : Int(items[i - 1].end)
                body(UnsafeBufferPointer(rebasing: text[start..<Int(items[i].end)]), Int(items[i].count))
            }
        }
    }

    /// List `k` as `TermCount`s.
    func terms(inList k: Int) -> [TermCount] {
        var terms: [TermCount] = []
        terms.reserveCapacity(itemRange(k).count)
        forEachTerm(inList: k) { text, count in terms.append(TermCount(term: String(decoding: text, as: UTF8.self), count: count)) }
        return terms
    }

    /// Appends list `k` as the JSON array of `TermCount`s that `terms(inList:)` would write.
    func appendList(_ k: Int, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        var first = true
        forEachTerm(inList: k) { text, count in
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            JSONValue.appendTermCount(text, count: count, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
