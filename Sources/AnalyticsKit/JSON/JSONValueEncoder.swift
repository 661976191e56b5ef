/// Turns any `Encodable` value into a `JSONValue`, keeping keys in the order the value encodes them.
///
/// Stage outputs are `Codable`; this is how the engine reads them without knowing their types.
/// Optional properties encoded with `encodeIfPresent` (the synthesized default) are left out when nil.
public struct JSONValueEncoder: Sendable {
    /// Creates an encoder.
    public init() {}

    /// Encodes `value`.
    public func encode(_ value: some Encodable) throws -> JSONValue {
        if let json = value as? JSONValue { return json }
        if let convertible = value as? any JSONConvertible { return convertible.jsonValue }
        // Plain scalars skip the tree encoder (a stage that outputs a count, a label, a score).
        switch value {
        case let number as Int: return .int(number)
        case let number as Double: return .double(number)
        case let text as String: return .string(text)
        case let flag as Bool: return .bool(flag)
        default: break
        }
        let root = EncodingSlot()
        try value.encode(to: TreeEncoder(slot: root, codingPath: []))
        return root.resolve()
    }
}

/// A place in the tree being built; containers fill it in. Children live in arrays owned by the slot
/// so that appending is amortised O(1).
private final class EncodingSlot {
    enum Kind { case empty, value, object, array }
    var kind = Kind.empty
    var value = JSONValue.null
    var keys: [String] = []
    var children: [EncodingSlot] = []

    func resolve() -> JSONValue {
        switch kind {
        case .empty: return .object([])
        case .value: return value
        case .object: return .object(zip(keys, children).map { JSONField($0, $1.resolve()) })
        case .array: return .array(children.map { $0.resolve() })
        }
    }

    func set(_ v: JSONValue) {
        kind = .value
        value = v
    }

    func becomeObject() {
        guard kind != .object else { return }
        kind = .object
        keys = []
        children = []
    }

    func becomeArray() {
        guard kind != .array else { return }
        kind = .array
        children = []
    }

    func objectSlot(for key: String) -> EncodingSlot {
        becomeObject()
        if let index = keys.firstIndex(of: key) { return children[index] }
        let slot = EncodingSlot()
        keys.append(key)
        children.append(slot)
        return slot
    }

    func appendSlot() -> EncodingSlot {
        becomeArray()
        let slot = EncodingSlot()
        children.append(slot)
        return slot
    }

    func encode(_ value: some Encodable, codingPath: [any CodingKey]) throws {
        switch value {
        case let v as String: set(.string(v))
        case let v as Bool: set(.bool(v))
        case let v as Int: set(.int(v))
        case let v as Double: set(.double(v))
        case let v as Float: set(.double(Double(v)))
        case let v as Int32: set(.int(Int(v)))
        case let v as Int64: set(.int(Int(v)))
        case let v as UInt32: set(.int(Int(v)))
        case let v as JSONValue: set(v)
        case let v as any JSONConvertible: set(v.jsonValue)
        default: try value.encode(to: TreeEncoder(slot: self, codingPath: codingPath))
        }
    }
}

private struct TreeEncoder: Encoder {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        slot.becomeObject()
        return KeyedEncodingContainer(KeyedTreeContainer<Key>(slot: slot, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        slot.becomeArray()
        return UnkeyedTreeContainer(slot: slot, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleTreeContainer(slot: slot, codingPath: codingPath)
    }
}

private struct KeyedTreeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil(forKey key: Key) throws { slot.objectSlot(for: key.stringValue).set(.null) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try slot.objectSlot(for: key.stringValue).encode(value, codingPath: codingPath + [key])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: slot.objectSlot(for: key.stringValue), codingPath: codingPath + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot.objectSlot(for: key.stringValue), codingPath: codingPath + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TreeEncoder(slot: slot.objectSlot(for: "super"), codingPath: codingPath) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        TreeEncoder(slot: slot.objectSlot(for: key.stringValue), codingPath: codingPath + [key])
    }
}

private struct UnkeyedTreeContainer: UnkeyedEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]
    var count: Int { slot.children.count }

    mutating func encodeNil() throws { slot.appendSlot().set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try slot.appendSlot().encode(value, codingPath: codingPath + [AnyCodingKey(intValue: count)!])
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        TreeEncoder(slot: slot.appendSlot(), codingPath: codingPath).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        TreeEncoder(slot: slot.appendSlot(), codingPath: codingPath).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { TreeEncoder(slot: slot.appendSlot(), codingPath: codingPath) }
}

private struct SingleTreeContainer: SingleValueEncodingContainer {
    let slot: EncodingSlot
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { slot.set(.null) }
    mutating func encode<T: Encodable>(_ value: T) throws { try slot.encode(value, codingPath: codingPath) }
}

/// A type that builds its own `JSONValue`, skipping the generic `Encodable` machinery.
///
/// Only for hot output types (those written once per document or per term): the result must be
/// exactly what `Encodable` would give, which their tests check. `JSONValueEncoder` uses it
/// wherever it meets such a value, at any depth.
public protocol JSONConvertible {
    /// The value as JSON, keys in the order `Encodable` would write them.
    var jsonValue: JSONValue { get }
}
