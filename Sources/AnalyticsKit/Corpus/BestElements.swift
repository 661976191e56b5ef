extension Sequence {
    /// The first `limit` elements in the order `before` defines, ties in sequence order: what sorting
    /// the whole sequence and taking a prefix gives, in one pass that keeps at most `limit` elements.
    ///
    /// For short lists picked from long ones (a document's strongest sentiment words, its top terms by
    /// TF-IDF): about one comparison per element when most lose to the last one kept, `limit` at worst.
    /// `before` must be a strict weak ordering. Inlinable so that plugin modules get it specialised.
    @inlinable public func best(_ limit: Int, by before: (Element, Element) throws -> Bool) rethrows -> [Element] {
        guard limit > 0 else { return [] }
        var kept: [Element] = []
        kept.reserveCapacity(Swift.min(limit, 256) + 1)
        for element in self {
            if kept.count == limit, try !before(element, kept[limit - 1]) { continue }
            var position = kept.count
            while position > 0, try before(element, kept[position - 1]) { position -= 1 }
            kept.insert(element, at: position)
            if kept.count > limit { kept.removeLast() }
        }
        return kept
    }
}
