extension RandomAccessCollection {
    /// The first index whose element does not satisfy `belongs`, by binary search.
    ///
    /// For looking up positions in sorted offsets (tokens by scalar offset, quotes by first token,
    /// names by start): the collection must be partitioned by `belongs`, every element that satisfies
    /// it coming before every element that does not. O(log n). Inlinable so that plugin modules get
    /// it specialised: called through generics it cost the quotes stage a tenth of its speed.
    @inlinable public func partitionPoint(_ belongs: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let mid = index(low, offsetBy: half)
            if belongs(self[mid]) {
                low = index(after: mid)
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }
}
