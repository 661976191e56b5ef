/// A hash table keyed by precomputed 64-bit hashes (`Token.hash`, n-gram hashes), for counting terms.
///
/// Keys are hashed already, so lookups skip `Hasher` and go straight to a slot (Fibonacci hashing,
/// linear probing, load at most 1/2). That makes counting several times faster than `[UInt64: V]`,
/// which matters because every word of every document is counted. A key of 0 is stored as another
/// constant, so 0 can mark an empty slot.
public struct HashedTable<Value> {
    private var keys: [UInt64]
    private var values: [Value?]
    private var shift: UInt64
    /// Number of keys stored.
    public private(set) var count = 0

    /// An empty table sized for about `capacity` keys.
    public init(capacity: Int = 8) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = Array(repeating: 0, count: size)
        values = Array(repeating: nil, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    @inline(__always) private static func stored(_ key: UInt64) -> UInt64 { key == 0 ? 0x9E37_79B9_7F4A_7C15 : key }

    @inline(__always) private func home(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    /// The value for `key`, if present.
    public subscript(key: UInt64) -> Value? {
        let k = Self.stored(key)
        let mask = keys.count - 1
        var i = home(k)
        while true {
            let found = keys[i]
            if found == k { return values[i] }
            if found == 0 { return nil }
            i = (i + 1) & mask
        }
    }

    /// True when `key` is present.
    @inline(__always) public func contains(_ key: UInt64) -> Bool {
        let k = Self.stored(key)
        let mask = keys.count - 1
        var i = home(k)
        while true {
            let found = keys[i]
            if found == k { return true }
            if found == 0 { return false }
            i = (i + 1) & mask
        }
    }

    /// Updates the value for `key`, inserting `initial()` first when the key is new. Returns true if it was new.
    @inline(__always) @discardableResult
    public mutating func update(_ key: UInt64, initial: () -> Value, _ body: (inout Value) -> Void) -> Bool {
        if count * 2 >= keys.count { grow() }
        let k = Self.stored(key)
        let mask = keys.count - 1
        var i = home(k)
        while true {
            let found = keys[i]
            if found == k {
                body(&values[i]!)
                return false
            }
            if found == 0 {
                keys[i] = k
                var value = initial()
                body(&value)
                values[i] = value
                count += 1
                return true
            }
            i = (i + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = Array(repeating: 0, count: oldKeys.count * 2)
        values = Array(repeating: nil, count: oldKeys.count * 2)
        shift -= 1
        let mask = keys.count - 1
        for (slot, k) in oldKeys.enumerated() where k != 0 {
            var i = home(k)
            while keys[i] != 0 { i = (i + 1) & mask }
            keys[i] = k
            values[i] = oldValues[slot]
        }
    }

    /// Calls `body` with every key and value, in slot order (not a meaningful order: sort what you output).
    public func forEach(_ body: (UInt64, Value) -> Void) {
        for i in keys.indices where keys[i] != 0 { body(keys[i], values[i]!) }
    }
}

extension HashedTable: Sendable where Value: Sendable {}
