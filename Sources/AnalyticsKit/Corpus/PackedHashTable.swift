/// A hash table that packs each entry into one 64-bit word: the top bits of the key's hash as a tag
/// and a small payload in the low `Width.bits`. Half the size of `HashedTable` or less, so a word
/// list stays in cache; for lookups on every token (syllable counts, valences, word roles).
///
/// Two keys are confused only if their hashes agree in all `64 - payloadBits` tag bits: choose the
/// payload width with that in mind. Keys are hashed already (`Token.hash`); Fibonacci hashing and
/// linear probing, load at most 1/2. The width is a type (`PayloadBits4`, `PayloadBits16`,
/// `PayloadBits32`) so that the masks are constants in the specialised code: as a stored value it
/// cost the sentiment stage 5% of its speed. Inlinable so that plugin modules get it specialised.
public struct PackedHashTable<Width: PackedPayloadWidth>: Sendable {
    @usableFromInline var slots: [UInt64]
    @usableFromInline var shift: UInt64
    @usableFromInline var stored = 0

    @inlinable @inline(__always) var payloadMask: UInt64 { (1 << Width.bits) - 1 }

    /// An empty table for about `capacity` keys.
    public init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        slots = Array(repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// Number of keys stored.
    @inlinable public var count: Int { stored }

    @inlinable @inline(__always) func tag(_ hash: UInt64) -> UInt64 {
        let high = hash & ~payloadMask
        // 0 marks an empty slot, so a zero tag is stored as another constant.
        return high == 0 ? 0x9E37_79B9_7F4A_7C15 & ~payloadMask : high
    }

    /// A masking shift, exact since `shift` is at most 60 (as in `HashedTable.home`).
    @inlinable @inline(__always) func home(_ tag: UInt64) -> Int {
        Int(truncatingIfNeeded: (tag &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The payload stored for `hash`, if any.
    @inlinable public subscript(hash: UInt64) -> UInt64? {
        let t = tag(hash)
        let mask = slots.count - 1
        var i = home(t)
        while true {
            let slot = slots[i]
            if slot == 0 { return nil }
            if slot & ~payloadMask == t { return slot & payloadMask }
            i = (i + 1) & mask
        }
    }

    /// Stores `payload` (its low `Width.bits` bits) for `hash`, replacing what was there. Inlinable
    /// too: unspecialised, each store read the width through a witness table (start-up fills tables
    /// of 100,000 words and more).
    @inlinable public mutating func set(_ hash: UInt64, payload: UInt64) {
        if stored * 2 >= slots.count { grow() }
        let t = tag(hash)
        let mask = slots.count - 1
        var i = home(t)
        while slots[i] != 0 && slots[i] & ~payloadMask != t { i = (i + 1) & mask }
        if slots[i] == 0 { stored += 1 }
        slots[i] = t | (payload & payloadMask)
    }

    @usableFromInline mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for slot in old where slot != 0 {
            var i = home(slot & ~payloadMask)
            while slots[i] != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }
}

/// The payload width of a `PackedHashTable`, in bits (1 to 48).
public protocol PackedPayloadWidth: Sendable {
    static var bits: UInt64 { get }
}

/// A 4-bit payload (60-bit tags).
public enum PayloadBits4: PackedPayloadWidth { @inlinable public static var bits: UInt64 { 4 } }
/// A 16-bit payload (48-bit tags).
public enum PayloadBits16: PackedPayloadWidth { @inlinable public static var bits: UInt64 { 16 } }
/// A 32-bit payload (32-bit tags).
public enum PayloadBits32: PackedPayloadWidth { @inlinable public static var bits: UInt64 { 32 } }
