/// A set of hashed keys that can only say "certainly not" or "maybe": two bits per key in a bit array
/// small enough to stay in cache (a Bloom filter with two probes).
///
/// For the word lists looked up on every token: most words of a text are in none of them, and the
/// filter turns those away without touching the hash table behind it, which then settles the rest.
/// The two bits come from the key's lowest bits (`Size.log2Bits` each). The filter only prunes: a key
/// it passes is still looked up, so what the table answers does not change. The size is a type
/// (`FilterBits12`, `FilterBits20`), as `PackedHashTable`'s payload width is, so that the masks are
/// constants in the specialised code (stored, they cost the sentiment stage 4%).
public struct HashFilter<Size: HashFilterSize>: Sendable {
    @usableFromInline var words = [UInt64](repeating: 0, count: (1 << Size.log2Bits) / 64)

    /// An empty filter of 2^`Size.log2Bits` bits. About a hundredth of the non-members pass when it
    /// has 16 bits per member, a fiftieth with 12.
    public init() {}

    /// Adds a key.
    public mutating func insert(_ hash: UInt64) {
        let (a, b) = Self.probes(hash)
        words[a >> 6] |= 1 << UInt64(a & 63)
        words[b >> 6] |= 1 << UInt64(b & 63)
    }

    @inlinable @inline(__always) static func probes(_ hash: UInt64) -> (Int, Int) {
        let mask: UInt64 = (1 << Size.log2Bits) - 1
        return (Int(truncatingIfNeeded: hash & mask), Int(truncatingIfNeeded: (hash >> Size.log2Bits) & mask))
    }

    /// False when the key was certainly never inserted; true for every key inserted and a few others.
    @inlinable @inline(__always) public func mayContain(_ hash: UInt64) -> Bool {
        let (a, b) = Self.probes(hash)
        return words[a >> 6] & (1 << UInt64(a & 63)) != 0 && words[b >> 6] & (1 << UInt64(b & 63)) != 0
    }
}

/// The size of a `HashFilter`, as the base-2 logarithm of its bit count (6 to 32).
public protocol HashFilterSize: Sendable {
    static var log2Bits: UInt64 { get }
}

/// 4,096 bits (512 bytes): for lists of a few hundred words.
public enum FilterBits12: HashFilterSize { @inlinable public static var log2Bits: UInt64 { 12 } }
/// 16,384 bits (2 KB): for lists of a few hundred words looked up on nearly every token, where the
/// sparser bits turn more non-members away at the first probe (see `QuoteLexicon.cueFilter`).
public enum FilterBits14: HashFilterSize { @inlinable public static var log2Bits: UInt64 { 14 } }
/// 1,048,576 bits (128 KB): for lists of tens of thousands of words.
public enum FilterBits20: HashFilterSize { @inlinable public static var log2Bits: UInt64 { 20 } }
