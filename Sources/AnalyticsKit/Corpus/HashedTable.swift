/// A hash table keyed by precomputed 64-bit hashes (`Token.hash`, n-gram hashes), for counting terms.
///
/// Keys are hashed already, so lookups skip `Hasher` and go straight to a slot (Fibonacci hashing,
/// linear probing, load at most 1/2), and each key sits next to its value so that a lookup in a large
/// corpus table costs one cache miss. That makes counting several times faster than `[UInt64: V]`,
/// which matters because every word of every document is counted. A key of 0 is stored as another
/// constant, so 0 can mark an empty slot; `empty` fills the value of empty slots and is never returned.
/// The hot methods are inlinable so that plugin modules get code specialised for their value type.
public struct HashedTable<Value> {
    @usableFromInline struct Slot {
        @usableFromInline var key: UInt64
        @usableFromInline var value: Value
        @inlinable init(key: UInt64, value: Value) {
            self.key = key
            self.value = value
        }
    }

    @usableFromInline var slots: [Slot]
    @usableFromInline var shift: UInt64
    @usableFromInline let empty: Value
    @usableFromInline var stored = 0

    /// Number of keys stored.
    @inlinable public var count: Int { stored }

    /// An empty table sized for about `capacity` keys.
    @inlinable public init(capacity: Int = 8, empty: Value) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        self.empty = empty
        slots = Array(repeating: Slot(key: 0, value: empty), count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inlinable @inline(__always) static func storedKey(_ key: UInt64) -> UInt64 { key == 0 ? 0x9E37_79B9_7F4A_7C15 : key }

    /// A masking shift: `shift` is at most 60 (a table has 16 slots or more), where it is exact, and
    /// the checked one clamped the count for every lookup.
    @inlinable @inline(__always) func home(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) &>> shift)
    }

    /// The value for `key`, if present.
    @inlinable public subscript(key: UInt64) -> Value? {
        let k = Self.storedKey(key)
        let mask = slots.count - 1
        var i = home(k)
        while true {
            let found = slots[i].key
            if found == k { return slots[i].value }
            if found == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// True when `key` is present.
    @inlinable public func contains(_ key: UInt64) -> Bool {
        self[key] != nil
    }

    /// Updates the value for `key`, inserting `initial()` first when the key is new. Returns true if it was new.
    @inlinable @inline(__always) @discardableResult
    public mutating func update(_ key: UInt64, initial: () -> Value, _ body: (inout Value) -> Void) -> Bool {
        if stored * 2 >= slots.count { grow() }
        let k = Self.storedKey(key)
        let mask = slots.count - 1
        var i = home(k)
        while true {
            let found = slots[i].key
            if found == k {
                body(&slots[i].value)
                return false
            }
            if found == 0 {
                slots[i].key = k
                slots[i].value = initial()
                body(&slots[i].value)
                stored += 1
                return true
            }
            i = (i + 1) & mask
        }
    }

    @inlinable mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(key: 0, value: empty), count: old.count * 2)
        shift -= 1
        let mask = slots.count - 1
        for slot in old where slot.key != 0 {
            var i = home(slot.key)
            while slots[i].key != 0 { i = (i + 1) & mask }
            slots[i] = slot
        }
    }

    /// Calls `body` with every key and value, in slot order (not a meaningful order: sort what you output).
    @inlinable public func forEach(_ body: (UInt64, Value) -> Void) {
        for slot in slots where slot.key != 0 { body(slot.key, slot.value) }
    }
}

extension HashedTable: Sendable where Value: Sendable {}
extension HashedTable.Slot: Sendable where Value: Sendable {}

extension HashedTable where Value == Bool {
    /// A set of 64-bit keys for lookups on every token: `contains` costs a multiply and a probe, where
    /// `Set<UInt64>` runs SipHash per lookup.
    init(containing keys: some Sequence<UInt64>) {
        let keys = Array(keys)
        self.init(capacity: keys.count, empty: false)
        for key in keys { update(key, initial: { true }) { _ in } }
    }
}
